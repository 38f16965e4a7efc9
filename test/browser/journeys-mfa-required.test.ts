/**
 * A stage whose pool requires MFA (TOTP), in headless Chromium under `npm run
 * local`: the dev stage file with `userPool.mfa.mode` "required" and password
 * as the only first factor (Cognito allows passwordless factors only when MFA
 * is optional). A new user's first sign-in sets up an authenticator app on the
 * page (CONTINUE_SIGN_IN_WITH_TOTP_SETUP); the next sign-in asks for its code.
 * The setup screen is axe-clean and photographed in English and Vietnamese.
 */
import type { Page } from 'puppeteer-core';
import { base32Decode, totp } from '../../scripts/smoke/totp';
import { signedIn, signOut, stableShot } from './support/journey-helpers';
import { LOCAL_STAGE_TIMEOUT_MS, startLocalStage, type LocalStage } from './support/local-stage';
import { axeViolations, signIn, statusMatching, text, visible } from './support/page-helpers';

const USER = { email: 'mfa-required@example.org', password: 'Correct-Horse-9!x' };
const VIETNAMESE_USER = { email: 'mfa-bat-buoc@example.org', password: 'Correct-Horse-9!x' };

let stage: LocalStage;
let page: Page;

beforeAll(async () => {
  stage = await startLocalStage({
    editConfig: (config) => {
      const userPool = config.userPool as Record<string, unknown>;
      userPool.mfa = { mode: 'required', totp: true };
      userPool.signIn = { firstFactors: ['password'] };
    },
  });
  await stage.signUpAndConfirm(USER.email, USER.password);
  await stage.signUpAndConfirm(VIETNAMESE_USER.email, VIETNAMESE_USER.password);
  page = await stage.newPage();
}, LOCAL_STAGE_TIMEOUT_MS);

afterEach(() => {
  expect(stage.takeProblems()).toEqual([]);
});

afterAll(async () => {
  await stage?.stop();
});

describe('GIVEN a stage that requires TOTP MFA under npm run local', () => {
  test('WHEN a user without an app signs in THEN the page shows the setup key, takes a code from it and signs in; the next sign-in asks for the code', async () => {
    await page.goto(`${stage.origin}/`, { waitUntil: 'networkidle0' });
    await statusMatching(page, /Sign in to see your files/);
    expect(await visible(page, '[data-testid="passkey-sign-in"]')).toBe(false);
    await signIn(page, USER.email, USER.password);

    await page.waitForSelector('[data-testid="totp-setup"]', { visible: true, timeout: 20_000 });
    const secret = await text(page, 'totp-secret');
    expect(secret).toMatch(/^[A-Z2-7]{16,}=*$/);
    expect(await axeViolations(page)).toEqual([]);
    await stableShot(page, 'journey-totp-setup-en');
    await page.type('[data-testid="totp-code"]', totp(base32Decode(secret)));
    await page.click('[data-testid="totp-submit"]');
    await signedIn(page);
    // Already set up: the signed-in page offers no second setup.
    expect(await visible(page, '[data-testid="totp-setup-start"]')).toBe(false);
    await signOut(page);

    await signIn(page, USER.email, USER.password);
    await page.waitForSelector('[data-testid="challenge-code"]', { visible: true, timeout: 20_000 });
    await page.type('[data-testid="challenge-code"]', totp(base32Decode(secret)));
    await page.click('[data-testid="challenge-submit"]');
    await signedIn(page);
    await signOut(page);
  });

  test('WHEN a user without an app signs in in Vietnamese THEN the setup screen is Vietnamese and axe-clean, and its code signs in', async () => {
    await page.select('[data-testid="language"]', 'vi');
    await signIn(page, VIETNAMESE_USER.email, VIETNAMESE_USER.password);
    await page.waitForSelector('[data-testid="totp-setup"]', { visible: true, timeout: 20_000 });
    expect(await page.$eval('[data-view]:not([hidden]) h1', (h1) => h1.textContent)).toBe('Thiết lập ứng dụng xác thực');
    expect(await page.$eval('[data-testid="totp-submit"]', (button) => button.textContent)).toBe('Bật');
    expect(await axeViolations(page)).toEqual([]);
    await stableShot(page, 'journey-totp-setup-vi');
    await page.type('[data-testid="totp-code"]', totp(base32Decode(await text(page, 'totp-secret'))));
    await page.click('[data-testid="totp-submit"]');
    await signedIn(page);
    await signOut(page);
  });
});
