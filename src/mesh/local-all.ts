/** Registers every local data plane (each file calls registerLocalDataPlane). */
export {};
