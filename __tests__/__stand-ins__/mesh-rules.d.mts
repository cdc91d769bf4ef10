// Types of mesh-rules.mjs (the stand-in runs as plain Node; tests import its rules directly).
export declare const ISTIO_CRDS: Record<string, { spec: object | null; required: string[] }>;
/** Why the API server refuses an Istio object ([] when it accepts it); `istio` undefined = not installed. */
export declare function istioObjectIssues(object: unknown, istio: string | undefined): string[];
/** The proxy settings an injector reads from a pod's (and, for Linkerd, its namespace's) annotations. */
export declare function injectedProxy(
  mesh: 'istio' | 'linkerd',
  version: string,
  podAnnotations?: Record<string, string>,
  namespaceAnnotations?: Record<string, string>,
): { mesh: string; version: string; read: Record<string, string>; ignored: string[] };
