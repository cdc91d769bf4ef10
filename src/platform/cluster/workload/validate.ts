/**
 * Structural checks of the objects meshgate generates, mirroring the Kubernetes API's required
 * fields and name rules for the kinds we emit (Namespace, ConfigMap, Deployment, DaemonSet,
 * Service, Job, PeerAuthentication). The API server validates for real on a cluster; this catches mistakes in
 * tests and before a slow cluster round trip. A full OpenAPI check would need a schema package
 * (e.g. `kubernetes-models`), which this repository does not install.
 */

type Json = Record<string, unknown>;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;
const CONFIGMAP_MAX_BYTES = 1024 * 1024;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const port = (value: unknown) =>
  Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535;

function checkLabels(labels: unknown, where: string, errors: string[]): void {
  if (labels === undefined) return;
  if (!isObject(labels)) return void errors.push(`${where}: must be a map`);
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_KEY.test(key) || key.split('/').pop()!.length > 63)
      errors.push(`${where}: invalid key ${key}`);
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value))
      errors.push(`${where}.${key}: invalid value ${String(value)}`);
  }
}

function checkPodSpec(spec: unknown, where: string, errors: string[]): void {
  if (!isObject(spec)) return void errors.push(`${where}: missing pod spec`);
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length === 0)
    return void errors.push(`${where}.containers: at least one container`);
  const volumes = new Set(Array.isArray(spec.volumes) ? spec.volumes.map((v) => (v as Json).name) : []);
  for (const [i, container] of (containers as Json[]).entries()) {
    const at = `${where}.containers[${i}]`;
    if (typeof container.name !== 'string' || !DNS_LABEL.test(container.name))
      errors.push(`${at}.name: invalid`);
    if (typeof container.image !== 'string' || container.image === '') errors.push(`${at}.image: required`);
    for (const p of (container.ports as Json[] | undefined) ?? [])
      if (!port(p.containerPort)) errors.push(`${at}.ports: invalid containerPort`);
    for (const e of (container.env as Json[] | undefined) ?? [])
      if (typeof e.name !== 'string' || (e.value !== undefined && typeof e.value !== 'string'))
        errors.push(`${at}.env: name and string value`);
    for (const m of (container.volumeMounts as Json[] | undefined) ?? [])
      if (!volumes.has(m.name)) errors.push(`${at}.volumeMounts: unknown volume ${String(m.name)}`);
  }
}

function checkKind(object: Json, where: string, errors: string[]): void {
  const spec = object.spec as Json | undefined;
  switch (object.kind) {
    case 'Deployment':
    case 'DaemonSet': {
      const selector = (spec?.selector as Json | undefined)?.matchLabels as Json | undefined;
      const template = spec?.template as Json | undefined;
      const podLabels = ((template?.metadata as Json | undefined)?.labels as Json | undefined) ?? {};
      if (!isObject(selector) || Object.keys(selector).length === 0)
        errors.push(`${where}.spec.selector.matchLabels: required`);
      else
        for (const [k, v] of Object.entries(selector))
          if (podLabels[k] !== v)
            errors.push(`${where}: selector ${k}=${String(v)} does not match the template's labels`);
      checkLabels(podLabels, `${where}.spec.template.metadata.labels`, errors);
      checkPodSpec(template?.spec, `${where}.spec.template.spec`, errors);
      const restartPolicy = (template?.spec as Json | undefined)?.restartPolicy;
      if (restartPolicy !== undefined && restartPolicy !== 'Always')
        errors.push(`${where}: restartPolicy must be Always (or left out)`);
      break;
    }
    case 'Job': {
      const template = spec?.template as Json | undefined;
      const podSpec = template?.spec as Json | undefined;
      if (!['Never', 'OnFailure'].includes(String(podSpec?.restartPolicy)))
        errors.push(`${where}: restartPolicy must be Never or OnFailure`);
      if (spec?.completionMode === 'Indexed' && !Number.isInteger(spec.completions))
        errors.push(`${where}: Indexed needs completions`);
      checkLabels(
        (template?.metadata as Json | undefined)?.labels,
        `${where}.spec.template.metadata.labels`,
        errors,
      );
      checkPodSpec(podSpec, `${where}.spec.template.spec`, errors);
      break;
    }
    case 'Service': {
      const ports = spec?.ports;
      if (!Array.isArray(ports) || ports.length === 0) errors.push(`${where}.spec.ports: at least one`);
      else
        for (const p of ports as Json[])
          if (!port(p.port)) errors.push(`${where}.spec.ports: invalid port ${String(p.port)}`);
      break;
    }
    case 'ConfigMap': {
      const data = (object.data as Json | undefined) ?? {};
      let bytes = 0;
      for (const [key, value] of Object.entries(data)) {
        if (!CONFIGMAP_KEY.test(key)) errors.push(`${where}.data: invalid key ${key}`);
        if (typeof value !== 'string') errors.push(`${where}.data.${key}: must be a string`);
        else bytes += Buffer.byteLength(value);
      }
      if (bytes > CONFIGMAP_MAX_BYTES) errors.push(`${where}: data is ${bytes} bytes, over the 1 MiB limit`);
      break;
    }
    case 'PeerAuthentication': {
      const mode = (spec?.mtls as Json | undefined)?.mode;
      if (!['STRICT', 'PERMISSIVE', 'DISABLE', 'UNSET'].includes(String(mode)))
        errors.push(`${where}.spec.mtls.mode: invalid`);
      break;
    }
  }
}

/** Problems found in `objects` (empty when they look valid). */
export function validateObjects(objects: readonly object[]): string[] {
  const errors: string[] = [];
  for (const raw of objects) {
    const object = raw as Json;
    const metadata = object.metadata as Json | undefined;
    const where = `${String(object.kind)}/${String(metadata?.name)}`;
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string')
      errors.push(`${where}: apiVersion and kind required`);
    const name = metadata?.name;
    const nameRule = object.kind === 'Namespace' || object.kind === 'Service' ? DNS_LABEL : DNS_SUBDOMAIN;
    if (typeof name !== 'string' || name.length > (nameRule === DNS_LABEL ? 63 : 253) || !nameRule.test(name))
      errors.push(`${where}: invalid metadata.name`);
    if (
      metadata?.namespace !== undefined &&
      (typeof metadata.namespace !== 'string' || !DNS_LABEL.test(metadata.namespace))
    )
      errors.push(`${where}: invalid metadata.namespace`);
    checkLabels(metadata?.labels, `${where}.metadata.labels`, errors);
    checkKind(object, where, errors);
  }
  return errors;
}

/** Throw when a generated object is malformed (a bug in meshgate, not in the user's input). */
export function assertValidObjects(objects: readonly object[]): void {
  const errors = validateObjects(objects);
  if (errors.length > 0)
    throw new Error(`meshgate generated invalid Kubernetes objects:\n${errors.join('\n')}`);
}
