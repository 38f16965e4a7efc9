/**
 * Every journey a person takes on the signed-out side, in headless Chromium
 * against the dev stage under `npm run local` (self sign-up on, MFA optional
 * with TOTP, first factors password and passkey, passkey relying party
 * localhost): sign up and confirm, reset a password, a TOTP challenge after
 * setting up an app, passkeys with a virtual authenticator, keyboard only.
 * Codes come from the local mailbox. axe-core runs on every screen reached.
 * Language (en/vi) is in journeys-language.test.ts; every screen in both
 * languages, with its screenshots, in journeys-screens.test.ts.
 */
import type { Page } from 'puppeteer-core';
import { base32Decode, totp } from '../../scripts/smoke/totp';
import { addVirtualAuthenticator, codeAfter, focusedTestId, mailCount, retype, signedIn, signOut, stableShot, tabTo } from './support/journey-helpers';
import { LOCAL_STAGE_TIMEOUT_MS, startLocalStage, type LocalStage } from './support/local-stage';
import { axeViolations, signIn, statusMatching, text, visible } from './support/page-helpers';

const PASSWORD = 'Correct-Horse-9!x';
const NEW_PASSWORD = 'Battery-Staple-7#y';

let stage: LocalStage;
let page: Page;

/** Refusals the tests provoke on purpose: a wrong code or password answered 400 by the local user pool. */
const provoked = (message: string, url: string) => /status of 400/.test(message) && url.startsWith(stage.endpoints.endpoints.cognitoIdp);

beforeAll(async () => {
  stage = await startLocalStage();
  page = await stage.newPage({ allowConsoleError: provoked });
  await addVirtualAuthenticator(page);
}, LOCAL_STAGE_TIMEOUT_MS);

afterEach(() => {
  expect(stage.takeProblems()).toEqual([]);
});

afterAll(async () => {
  await stage?.stop();
});

async function openSignIn(): Promise<void> {
  await page.goto(`${stage.origin}/`, { waitUntil: 'networkidle0' });
  await statusMatching(page, /Sign in to see your files/);
}

describe('GIVEN the dev stage under npm run local and its web app in Chromium', () => {
  test('WHEN someone signs up, takes the code from the mailbox and confirms THEN they are signed in, the password policy having been checked as they typed', async () => {
    const email = 'sign-up@example.org';
    await openSignIn();
    await page.click('[data-testid="sign-up"]');
    expect(await visible(page, '[data-testid="sign-up-email"]')).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    await page.type('[data-testid="sign-up-email"]', email);
    await page.type('[data-testid="sign-up-password"]', 'short');
    const unmet = await page.$$eval('#sign-up-policy li[data-met="false"]', (items) => items.map((item) => item.textContent));
    expect(unmet).toContain('at least 12 characters (not yet)');
    await page.click('[data-testid="sign-up-submit"]');
    expect(await statusMatching(page, /rule/)).toBe('The password does not meet every rule yet.');

    await retype(page, '[data-testid="sign-up-password"]', PASSWORD);
    expect(await page.$$eval('#sign-up-policy li[data-met="false"]', (items) => items.length)).toBe(0);
    await page.click('[data-testid="sign-up-submit"]');
    expect(await statusMatching(page, /We emailed a code/)).toBe(`We emailed a code to ${email}. Enter it to confirm your account.`);
    expect(await visible(page, '[data-testid="confirm-code"]')).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    await page.type('[data-testid="confirm-code"]', '000000');
    await page.click('[data-testid="confirm-submit"]');
    expect(await statusMatching(page, /Could not confirm/)).toBe('Could not confirm. That code is wrong. Check it and try again.');

    const before = await mailCount(stage, email);
    await page.click('[data-testid="confirm-resend"]');
    await statusMatching(page, /A new code is on its way/);
    await retype(page, '[data-testid="confirm-code"]', await codeAfter(stage, email, before));
    await page.click('[data-testid="confirm-submit"]');

    await signedIn(page);
    expect(await visible(page, '[data-testid="sign-in-form"]')).toBe(false);
    await signOut(page);
  });

  test('WHEN someone who forgot the password asks for a code and sets a new password THEN the new password signs in and the old one no longer does', async () => {
    const email = 'forgot@example.org';
    await stage.signUpAndConfirm(email, PASSWORD);
    await openSignIn();
    await page.type('[data-testid="email"]', email);
    await page.click('[data-testid="forgot-password"]');
    expect(await page.$eval('[data-testid="reset-email"]', (input) => (input as HTMLInputElement).value)).toBe(email);
    expect(await axeViolations(page)).toEqual([]);

    const before = await mailCount(stage, email);
    await page.click('[data-testid="reset-request"]');
    await statusMatching(page, /a code is on its way/);
    await page.type('[data-testid="reset-code"]', await codeAfter(stage, email, before));
    await page.type('[data-testid="reset-password"]', NEW_PASSWORD);
    expect(await axeViolations(page)).toEqual([]);
    await page.click('[data-testid="reset-submit"]');
    expect(await statusMatching(page, /password is changed/)).toBe('Your password is changed. Sign in with it.');
    expect(await page.$eval('[data-testid="email"]', (input) => (input as HTMLInputElement).value)).toBe(email);

    await signIn(page, email, PASSWORD);
    expect(await statusMatching(page, /Sign-in failed/)).toBe('Sign-in failed. The email or password is wrong.');
    await signIn(page, email, NEW_PASSWORD);
    await signedIn(page);
    await signOut(page);
  });

  test('WHEN the stage offers no email codes (dev: password and passkey) THEN there is no "Email me a code" button and no SMS notice', async () => {
    await openSignIn();
    expect(await visible(page, '[data-testid="email-code-sign-in"]')).toBe(false);
    expect(await visible(page, '[data-testid="unsupported-methods"]')).toBe(false);
    // The passkey button waits for an address.
    expect(await visible(page, '[data-testid="passkey-sign-in"]')).toBe(false);
    await page.type('[data-testid="email"]', 'someone@example.org');
    expect(await visible(page, '[data-testid="passkey-sign-in"]')).toBe(true);
  });

  test('WHEN a signed-in person sets up an authenticator app THEN the next sign-in asks for its code on the challenge screen, refuses a wrong one and accepts the right one', async () => {
    const email = 'totp@example.org';
    await stage.signUpAndConfirm(email, PASSWORD);
    await openSignIn();
    await signIn(page, email, PASSWORD);
    await signedIn(page);

    await page.click('[data-testid="totp-setup-start"]');
    await page.waitForSelector('[data-testid="totp-secret"]', { visible: true });
    const secret = await text(page, 'totp-secret');
    expect(secret).toMatch(/^[A-Z2-7]{16,}=*$/);
    // The QR code comes from its own chunk, loaded only now.
    await page.waitForSelector('[data-testid="totp-qr"]', { visible: true });
    expect(await page.$eval('[data-testid="totp-qr"]', (img) => (img as HTMLImageElement).src)).toMatch(/^data:image\/gif;base64,/);
    expect(await axeViolations(page)).toEqual([]);
    await page.type('[data-testid="totp-code"]', totp(base32Decode(secret)));
    await page.click('[data-testid="totp-submit"]');
    expect(await statusMatching(page, /authenticator app is set up/)).toBe('Your authenticator app is set up; sign-in will ask for its code.');
    expect(await visible(page, '[data-testid="totp-setup-start"]')).toBe(false);
    await signOut(page);

    await signIn(page, email, PASSWORD);
    await page.waitForSelector('[data-testid="challenge-code"]', { visible: true });
    expect(await statusMatching(page, /needed to finish/)).toBe('Code from your authenticator app: needed to finish signing in.');
    expect(await focusedTestId(page)).toBe('challenge-code');
    expect(await axeViolations(page)).toEqual([]);
    await page.type('[data-testid="challenge-code"]', '000000');
    await page.click('[data-testid="challenge-submit"]');
    expect(await statusMatching(page, /did not work/)).toBe('That did not work. That code is wrong. Check it and try again.');
    await retype(page, '[data-testid="challenge-code"]', totp(base32Decode(secret)));
    await page.click('[data-testid="challenge-submit"]');
    await signedIn(page);
    await signOut(page);
  });

  test('WHEN a signed-in person adds a passkey THEN it is listed, signs them in without a password, and can be removed', async () => {
    const email = 'passkey@example.org';
    await stage.signUpAndConfirm(email, PASSWORD);
    await openSignIn();
    await signIn(page, email, PASSWORD);
    await signedIn(page);
    await page.waitForSelector('[data-testid="passkey-add"]', { visible: true });
    expect(await page.$$eval('[data-testid="passkey-list"] > li', (items) => items.length)).toBe(0);

    await page.click('[data-testid="passkey-add"]');
    expect(await statusMatching(page, /Passkey added|Passkey action failed/)).toBe('Passkey added.');
    expect(await page.$$eval('[data-testid="passkey-list"] > li', (items) => items.length)).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await stableShot(page, 'journey-passkeys');
    await signOut(page);

    await retype(page, '[data-testid="email"]', email);
    await page.click('[data-testid="passkey-sign-in"]');
    await signedIn(page);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="passkey-list"] > li').length === 1, { timeout: 20_000 });

    await page.click('[data-testid="passkey-remove"]');
    expect(await statusMatching(page, /Passkey removed|Passkey action failed/)).toBe('Passkey removed.');
    expect(await page.$$eval('[data-testid="passkey-list"] > li', (items) => items.length)).toBe(0);
    await signOut(page);
  });

  test('WHEN someone signs up and then signs in using only the keyboard THEN every step is reachable with Tab and Enter and focus moves to each new screen', async () => {
    const email = 'keyboard@example.org';
    await openSignIn();
    await tabTo(page, 'sign-up');
    await page.keyboard.press('Enter');
    await tabTo(page, 'sign-up-email');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    expect(await focusedTestId(page)).toBe('sign-up-password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await statusMatching(page, /We emailed a code/);
    // Focus moved to the confirm screen's heading.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await tabTo(page, 'confirm-code');
    await page.keyboard.type(await stage.latestCode(email));
    await page.keyboard.press('Enter');
    await signedIn(page);
    await signOut(page);

    await tabTo(page, 'email');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await signedIn(page);
    await signOut(page);
  });
});
