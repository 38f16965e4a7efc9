/**
 * `npm run test:local`: the end-to-end test of `npm run local` (one bundled
 * synth and every local service in a child process), kept out of `npm test`.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/local'],
  testMatch: ['**/local-run.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }],
  },
  testTimeout: 60_000,
};
