/**
 * ts-jest transpiles only (tsconfig.json sets `isolatedModules`), which keeps jest
 * fast; `tsc --noEmit` type-checks separately as the first half of `npm test`.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Headless-Chromium tests run apart: npm run test:browser (jest.browser.config.js);
  // the end-to-end local run too: npm run test:local (jest.local.config.js); and the
  // slow checks (every stage with every validation plugin, real bundles, child
  // processes, long property runs): npm run test:slow (jest.slow.config.js).
  // .ci/run runs all three (docs/performance.md, "Suite and synth").
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/test/browser/',
    '<rootDir>/test/local/local-run.test.ts',
    ...require('./jest.slow.config.js').testMatch,
  ],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }],
  },
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  // Jest's default (cores - 1) is one worker on a 2-core machine, which runs the
  // files in band and leaves a core idle; every core is as fast or faster
  // (docs/performance.md, "Suite and synth").
  maxWorkers: '100%',
};
