/**
 * Validation of generated Kubernetes objects against the API's OpenAPI schemas, through the
 * kubernetes-models package (core and built-in API groups; CRDs such as Istio's
 * PeerAuthentication are not in it and are left to the structural checks).
 */
import { Job } from 'kubernetes-models/batch/v1';
import { DaemonSet, Deployment } from 'kubernetes-models/apps/v1';
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';

type Validatable = { validate(): void };
const MODELS: Record<string, new (data: any) => Validatable> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/DaemonSet': DaemonSet,
  'batch/v1/Job': Job,
};

/** Schema errors per object (empty when all are valid); kinds without a model are listed as skipped. */
export function schemaErrors(objects: readonly object[]): { errors: string[]; skipped: string[] } {
  const errors: string[] = [];
  const skipped: string[] = [];
  for (const object of objects) {
    const { apiVersion, kind } = object as { apiVersion: string; kind: string };
    const Model = MODELS[`${apiVersion}/${kind}`];
    if (!Model) {
      skipped.push(`${apiVersion}/${kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      errors.push(`${kind}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { errors, skipped };
}
