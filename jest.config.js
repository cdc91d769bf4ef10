// Jest on native ESM (see README "Development"): ts-jest transforms TypeScript,
// `.js` suffixes on relative imports are mapped back to the `.ts` sources.
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: { ignoreCodes: [151002] } }],
  },
  transformIgnorePatterns: ['node_modules/(?!(@actions)/)'],
  testTimeout: 60000,
};
