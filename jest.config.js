/** Jest in ESM mode (NestJS 12 is ESM-only): see ../shared/STACK-NOTES.md. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  setupFiles: ['<rootDir>/test/support/env.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.test.ts'],
  // Real-world samples live outside the repo (../shared/samples): `npm run test:samples` runs them.
  testPathIgnorePatterns: ['/node_modules/', '/test/samples/'],
  testTimeout: 120000,
  maxWorkers: 1,
};
