/** The local data planes by name. A proxy is added here as one more file. */
import type { LocalDataPlane } from './local-types.js';

const registry = new Map<string, LocalDataPlane>();

export function registerLocalDataPlane(plane: LocalDataPlane): void {
  registry.set(plane.name, plane);
}

export function localDataPlane(name: string): LocalDataPlane | undefined {
  return registry.get(name);
}

export function localDataPlaneNames(): string[] {
  return [...registry.keys()];
}
