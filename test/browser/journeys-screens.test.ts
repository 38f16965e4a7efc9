/**
 * Every screen of the web app in English and in Vietnamese, in headless
 * Chromium under `npm run local`: sign-in, sign-up, confirm, the signed-in
 * page, its account section, adding an authenticator app, reset, the MFA
 * choice and the code challenge. axe-core finds no violation on any of them
 * in either language, and each is photographed as
 * docs/images/journey-<screen>-<en|vi>.png (written only with
 * REFRESH_SCREENSHOTS=1, `npm run web:screenshots`). The stage offers TOTP and
 * email MFA so the choice screen is reached; the sign-in-time TOTP setup
 * screen is in journeys-mfa-required.test.ts.
 */
import type { Page } from 'puppeteer-core';
import { base32Decode, totp } from '../../scripts/smoke/totp';
import { enableEmailMfaBesideTotp, signedIn, signOut, stableShot, withTotpAndEmailMfa } from './support/journey-helpers';
import { LOCAL_STAGE_TIMEOUT_MS, startLocalStage, type LocalStage } from './support/local-stage';
import { axeViolations, signIn, text } from './support/page-helpers';

const PASSWORD = 'Correct-Horse-9!x';

/** The headings that prove each screen speaks the chosen language. */
const HEADINGS = {
  en: {
    signIn: 'Sign in',
    signUp: 'Create an account',
    confirm: 'Confirm your email',
    files: 'Your files',
    reset: 'Reset your password',
    mfaChoice: 'How do you want to get your sign-in code?',
    challenge: 'One more step',
    totpSection: 'Two-step sign-in',
  },
  vi: {
    signIn: 'Đăng nhập',
    signUp: 'Tạo tài khoản',
    confirm: 'Xác nhận email của bạn',
    files: 'Tệp của bạn',
    reset: 'Đặt lại mật khẩu',
    mfaChoice: 'Bạn muốn nhận mã đăng nhập bằng cách nào?',
    challenge: 'Thêm một bước nữa',
    totpSection: 'Đăng nhập hai bước',
  },
} as const;

let stage: LocalStage;
let page: Page;

const heading = () => page.$eval('[data-view]:not([hidden]) h1', (h1) => h1.textContent);

/** axe-clean, then photographed as journey-<screen>-<language>. */
async function screen(name: string, language: string, options: { fullPage?: boolean } = {}): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
  await stableShot(page, `journey-${name}-${language}`, options);
}

beforeAll(async () => {
  stage = await startLocalStage({ editConfig: withTotpAndEmailMfa });
  page = await stage.newPage();
}, LOCAL_STAGE_TIMEOUT_MS);

afterEach(() => {
  expect(stage.takeProblems()).toEqual([]);
});

afterAll(async () => {
  await stage?.stop();
});

describe.each(['en', 'vi'] as const)('GIVEN a stage with TOTP and email MFA under npm run local and the page in %s', (language) => {
  const email = `screens-${language}@example.org`;
  const words = HEADINGS[language];
  let secret: string;

  test('WHEN someone signs up and confirms THEN the sign-in, sign-up and confirm screens are in that language and axe-clean', async () => {
    await page.goto(`${stage.origin}/`, { waitUntil: 'networkidle0' });
    await page.select('[data-testid="language"]', language);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
    expect(await heading()).toBe(words.signIn);
    await screen('sign-in', language);

    await page.click('[data-testid="sign-up"]');
    expect(await heading()).toBe(words.signUp);
    await page.type('[data-testid="sign-up-email"]', email);
    await page.type('[data-testid="sign-up-password"]', PASSWORD);
    await screen('sign-up', language);

    await page.click('[data-testid="sign-up-submit"]');
    await page.waitForSelector('[data-testid="confirm-code"]', { visible: true, timeout: 20_000 });
    expect(await heading()).toBe(words.confirm);
    await screen('confirm', language);
    await page.type('[data-testid="confirm-code"]', await stage.latestCode(email));
    await page.click('[data-testid="confirm-submit"]');
    await signedIn(page);
  });

  test('WHEN signed in THEN the files page, the account section and adding an authenticator app are in that language and axe-clean', async () => {
    expect(await page.$eval('#signed-in-heading', (h1) => h1.textContent)).toBe(words.files);
    await screen('signed-in', language);

    await page.click('[data-testid="change-password"]');
    await page.waitForSelector('[data-testid="change-password-form"]', { visible: true });
    await page.$eval('#account', (section) => section.scrollIntoView({ block: 'start' }));
    await screen('account', language);
    await page.click('[data-testid="change-password"]');

    await page.click('[data-testid="totp-setup-start"]');
    await page.waitForSelector('[data-testid="totp-qr"]', { visible: true, timeout: 20_000 });
    expect(await page.$eval('#totp-section-heading', (h2) => h2.textContent)).toBe(words.totpSection);
    secret = await text(page, 'totp-secret');
    await page.$eval('#totp-section-heading', (h2) => h2.scrollIntoView({ block: 'start' }));
    await screen('totp-add', language);
    await page.type('[data-testid="totp-code"]', totp(base32Decode(secret)));
    await page.click('[data-testid="totp-submit"]');
    await page.waitForSelector('[data-testid="totp-setup"]', { hidden: true, timeout: 20_000 });
    await enableEmailMfaBesideTotp(stage, page);
    await signOut(page);
  });

  test('WHEN signed out THEN the reset screen is in that language and axe-clean', async () => {
    await page.click('[data-testid="forgot-password"]');
    expect(await heading()).toBe(words.reset);
    await screen('reset', language);
    await page.click('[data-view]:not([hidden]) button.back');
  });

  test('WHEN signing in with two MFA methods THEN the MFA choice and the code challenge are in that language and axe-clean', async () => {
    await signIn(page, email, PASSWORD);
    await page.waitForSelector('[data-testid="mfa-choice-totp"]', { visible: true, timeout: 20_000 });
    expect(await heading()).toBe(words.mfaChoice);
    await screen('mfa-choice', language);

    await page.click('[data-testid="mfa-choice-totp"]');
    await page.waitForSelector('[data-testid="challenge-code"]', { visible: true, timeout: 20_000 });
    expect(await heading()).toBe(words.challenge);
    await screen('challenge', language);
    await page.type('[data-testid="challenge-code"]', totp(base32Decode(secret)));
    await page.click('[data-testid="challenge-submit"]');
    await signedIn(page);
    await signOut(page);
  });
});
