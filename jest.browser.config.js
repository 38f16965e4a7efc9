/**
 * `npm run test:browser`: the web app in headless Chromium (Debian's
 * /usr/bin/chromium, or CHROME_PATH) against the dev stage under `npm run
 * local`, kept out of `npm test`. Each file starts one local run (a bundled
 * synth) in beforeAll (test/browser/support/local-stage.ts sets that timeout);
 * single steps wait for the real checker and the user pool.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }],
  },
  testTimeout: 90_000,
};
