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
  // the end-to-end local run too: npm run test:local (jest.local.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/browser/', '<rootDir>/test/local/local-run.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }],
  },
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
};
