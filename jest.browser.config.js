/**
 * `npm run test:browser`: the web app in headless Chromium (Debian's
 * /usr/bin/chromium, or CHROME_PATH), kept out of `npm test`.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }],
  },
  testTimeout: 60_000,
};
