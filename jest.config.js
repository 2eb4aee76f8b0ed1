/**
 * Jest runs the TypeScript sources as ESM through ts-jest, wrapped by test/transform.cjs
 * (docs/development.md). Two tiers:
 * `npm test` runs every `*.test.ts` but the slow ones; `npm run test:slow` runs the
 * `*.slow.test.ts` files (exhaustive sweeps, full-data floors, fuzzing, soaks).
 */
const SLOW = process.env.STS_TEST_TIER === 'slow';

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['<rootDir>/test/transform.cjs', { useESM: true }],
  },
  testMatch: SLOW ? ['<rootDir>/test/**/*.slow.test.ts'] : ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: SLOW ? ['/node_modules/'] : ['/node_modules/', '\\.slow\\.test\\.ts$'],
  testTimeout: SLOW ? 600000 : 60000,
  // Jest's default is a worker per core but one: one on a 2-core machine, where the suites that
  // wait on real processes, threads and PostgreSQL then leave a core idle for most of the run.
  maxWorkers: '100%',
  // Rebuilds dist/ when src/ is newer: real-process and worker-thread tests run it.
  globalSetup: '<rootDir>/test/global-setup.js',
};
