/**
 * The language switch (web/src/i18n.ts) in headless Chromium against the dev
 * stage under `npm run local`: Vietnamese everywhere the page speaks, `<html
 * lang>` following, the choice remembered across reloads, the browser's own
 * language as the first guess, and axe-core clean on every screen in both.
 */
import type { Page } from 'puppeteer-core';
import { signedIn, signOut } from './support/journey-helpers';
import { LOCAL_STAGE_TIMEOUT_MS, startLocalStage, type LocalStage } from './support/local-stage';
import { axeViolations, signIn, statusMatching, text } from './support/page-helpers';

const USER = { email: 'ngon-ngu@example.org', password: 'Correct-Horse-9!x' };

let stage: LocalStage;
let page: Page;

const provoked = (message: string, url: string) => /status of 400/.test(message) && url.startsWith(stage.endpoints.endpoints.cognitoIdp);
const lang = () => page.evaluate(() => document.documentElement.lang);
const heading = () => page.$eval('[data-view]:not([hidden]) h1', (h1) => h1.textContent);

beforeAll(async () => {
  stage = await startLocalStage();
  await stage.signUpAndConfirm(USER.email, USER.password);
  page = await stage.newPage({ allowConsoleError: provoked });
}, LOCAL_STAGE_TIMEOUT_MS);

afterEach(() => {
  expect(stage.takeProblems()).toEqual([]);
});

afterAll(async () => {
  await stage?.stop();
});

describe('GIVEN the dev stage under npm run local and its web app in Chromium with an English browser', () => {
  test('WHEN it loads THEN it speaks English and every signed-out screen has no axe violations', async () => {
    await page.goto(`${stage.origin}/`, { waitUntil: 'networkidle0' });
    await statusMatching(page, /Sign in to see your files/);
    expect(await lang()).toBe('en');
    expect(await axeViolations(page)).toEqual([]);
    for (const [opener, view] of [
      ['sign-up', 'Create an account'],
      ['forgot-password', 'Reset your password'],
    ] as const) {
      await page.click(`[data-testid="${opener}"]`);
      expect(await heading()).toBe(view);
      expect(await axeViolations(page)).toEqual([]);
      await page.click('[data-view]:not([hidden]) button.back');
    }
  });

  test('WHEN Tiếng Việt is chosen THEN <html lang="vi">, the words and the live region are Vietnamese, every screen is axe-clean, and a reload keeps it', async () => {
    await page.select('[data-testid="language"]', 'vi');

    expect(await lang()).toBe('vi');
    expect(await heading()).toBe('Đăng nhập');
    expect(await text(page, 'sign-in-submit')).toBe('Đăng nhập');
    expect(await text(page, 'status')).toBe('Đăng nhập để xem các tệp của bạn.');
    expect(await page.title()).toBe('Truy cập Cognito');
    expect(await axeViolations(page)).toEqual([]);

    await page.click('[data-testid="sign-up"]');
    expect(await heading()).toBe('Tạo tài khoản');
    await page.type('[data-testid="sign-up-password"]', 'abc');
    expect(await page.$$eval('#sign-up-policy li', (items) => items.map((item) => item.textContent))).toContain('ít nhất 12 ký tự (chưa đạt)');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('[data-view]:not([hidden]) button.back');
    await page.click('[data-testid="forgot-password"]');
    expect(await heading()).toBe('Đặt lại mật khẩu');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('[data-view]:not([hidden]) button.back');

    await page.reload({ waitUntil: 'networkidle0' });
    await statusMatching(page, /Đăng nhập để xem/);
    expect(await lang()).toBe('vi');
    expect(await page.$eval('[data-testid="language"]', (select) => (select as HTMLSelectElement).value)).toBe('vi');
  });

  test('WHEN signing in in Vietnamese THEN a Cognito refusal is a plain Vietnamese sentence and the signed-in page is Vietnamese and axe-clean', async () => {
    await signIn(page, USER.email, 'Wrong-Password-1!x');
    expect(await statusMatching(page, /không thành công/)).toBe('Đăng nhập không thành công. Email hoặc mật khẩu không đúng.');

    await signIn(page, USER.email, USER.password);
    await signedIn(page);
    expect(await page.$eval('#signed-in-heading', (h1) => h1.textContent)).toBe('Tệp của bạn');
    expect(await text(page, 'passkey-add')).toBe('Thêm khóa truy cập');
    expect(await axeViolations(page)).toEqual([]);
    await signOut(page);
  });

  test('WHEN English is chosen again THEN everything is English and <html lang="en">', async () => {
    await page.select('[data-testid="language"]', 'en');
    expect(await lang()).toBe('en');
    expect(await heading()).toBe('Sign in');
    expect(await text(page, 'status')).toBe('Signed out.');
  });

  test('GIVEN nothing chosen yet WHEN the browser prefers Vietnamese THEN the page starts in Vietnamese', async () => {
    const fresh = await stage.newPage();
    await fresh.evaluateOnNewDocument(() => {
      Object.defineProperty(navigator, 'languages', { get: () => ['vi-VN', 'vi'] });
      Object.defineProperty(navigator, 'language', { get: () => 'vi-VN' });
    });
    await fresh.goto(`${stage.origin}/`, { waitUntil: 'networkidle0' });
    await fresh.evaluate(() => localStorage.removeItem('cognito-access.language'));
    await fresh.reload({ waitUntil: 'networkidle0' });
    expect(await fresh.evaluate(() => document.documentElement.lang)).toBe('vi');
    await fresh.close();
  });
});
