/**
 * A stage offering two MFA methods (TOTP and email, MFA optional), in headless
 * Chromium under `npm run local`: a user with an authenticator app set up on
 * the page and email MFA turned on, neither preferred, is asked which to use
 * (Cognito's SELECT_MFA_TYPE, the page's mfa-choice screen). Email leads to a
 * code from the mailbox, the app to its TOTP code; both sign in.
 */
import type { Page } from 'puppeteer-core';
import { base32Decode, totp } from '../../scripts/smoke/totp';
import { codeAfter, enableEmailMfaBesideTotp, mailCount, signedIn, signOut, withTotpAndEmailMfa } from './support/journey-helpers';
import { LOCAL_STAGE_TIMEOUT_MS, startLocalStage, type LocalStage } from './support/local-stage';
import { axeViolations, signIn, statusMatching, text, visible } from './support/page-helpers';

const USER = { email: 'mfa-choice@example.org', password: 'Correct-Horse-9!x' };

let stage: LocalStage;
let page: Page;
let secret: string;

beforeAll(async () => {
  stage = await startLocalStage({ editConfig: withTotpAndEmailMfa });
  await stage.signUpAndConfirm(USER.email, USER.password);
  page = await stage.newPage();
}, LOCAL_STAGE_TIMEOUT_MS);

afterEach(() => {
  expect(stage.takeProblems()).toEqual([]);
});

afterAll(async () => {
  await stage?.stop();
});

/** Signs in with the password and waits for the choice of method. */
async function signInToChoice(): Promise<void> {
  await signIn(page, USER.email, USER.password);
  await page.waitForSelector('[data-testid="mfa-choice-email"]', { visible: true, timeout: 20_000 });
}

describe('GIVEN a stage with TOTP and email MFA under npm run local and a user who has both, neither preferred', () => {
  beforeAll(async () => {
    // Before: no MFA yet, so the password alone signs in; then the app is set up on the page.
    await page.goto(`${stage.origin}/`, { waitUntil: 'networkidle0' });
    await statusMatching(page, /Sign in to see your files/);
    await signIn(page, USER.email, USER.password);
    await signedIn(page);
    await page.click('[data-testid="totp-setup-start"]');
    await page.waitForSelector('[data-testid="totp-secret"]', { visible: true });
    secret = await text(page, 'totp-secret');
    await page.type('[data-testid="totp-code"]', totp(base32Decode(secret)));
    await page.click('[data-testid="totp-submit"]');
    await statusMatching(page, /authenticator app is set up/);
    await enableEmailMfaBesideTotp(stage, page);
    await signOut(page);
  }, 90_000);

  test('WHEN they sign in THEN the page asks how to get the code, offering both methods, and is axe-clean', async () => {
    await signInToChoice();
    expect(await page.$eval('#mfa-choice-heading', (h1) => h1.textContent)).toBe('How do you want to get your sign-in code?');
    expect(await visible(page, '[data-testid="mfa-choice-totp"]')).toBe(true);
    expect(await visible(page, '[data-testid="mfa-choice-email"]')).toBe(true);
    expect(await visible(page, '[data-testid="challenge-code"]')).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
  });

  test('WHEN they choose email THEN a code is mailed, the email code challenge takes it and they are signed in', async () => {
    const before = await mailCount(stage, USER.email);
    await page.click('[data-testid="mfa-choice-email"]');
    await page.waitForSelector('[data-testid="challenge-code"]', { visible: true, timeout: 20_000 });
    expect(await statusMatching(page, /needed to finish/)).toBe('Code we emailed you: needed to finish signing in.');
    await page.type('[data-testid="challenge-code"]', await codeAfter(stage, USER.email, before));
    await page.click('[data-testid="challenge-submit"]');
    await signedIn(page);
    await signOut(page);
  });

  test('WHEN they choose the authenticator app THEN no code is mailed, the TOTP challenge takes the app code and they are signed in', async () => {
    await signInToChoice();
    const before = await mailCount(stage, USER.email);
    await page.click('[data-testid="mfa-choice-totp"]');
    await page.waitForSelector('[data-testid="challenge-code"]', { visible: true, timeout: 20_000 });
    expect(await statusMatching(page, /needed to finish/)).toBe('Code from your authenticator app: needed to finish signing in.');
    await page.type('[data-testid="challenge-code"]', totp(base32Decode(secret)));
    await page.click('[data-testid="challenge-submit"]');
    await signedIn(page);
    expect(await mailCount(stage, USER.email)).toBe(before);
    await signOut(page);
  });
});
