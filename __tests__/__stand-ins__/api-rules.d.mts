// Types of api-rules.mjs for the TypeScript tests that call its rules directly.
export const ANNOTATIONS_MAX_BYTES: number;
export const CONFIGMAP_MAX_BYTES: number;
export function asApplied(object: object, serverSide: boolean): object;
export function validateObject(object: object): string[];
export function immutableFieldIssues(stored: object | undefined, next: object): string[];
export function linkerdNativeSidecarKeys(version: string): string[];
export function linkerdJobCompletes(options: {
  linkerdVersion?: string;
  namespaceAnnotations?: Record<string, string>;
  podAnnotations?: Record<string, string>;
}): boolean;
