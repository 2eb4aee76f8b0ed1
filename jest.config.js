/** Jest runs the TypeScript sources as ESM through ts-jest (see README, "Development"). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/slow/'],
  testTimeout: 60000,
  // Rebuilds dist/ when src/ is newer: real-process and worker-thread tests run it.
  globalSetup: '<rootDir>/test/global-setup.js',
};
