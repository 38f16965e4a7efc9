/**
 * Small page helpers the browser tests share: the live region, the file
 * table, the sign-in form, axe-core, and screenshots (docs/images/ with
 * REFRESH_SCREENSHOTS=1, as `npm run web:screenshots` sets, else a temp dir).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'puppeteer-core';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
let screenshotDir: string | undefined;

/** Where screenshots go: docs/images/ when refreshing them, else a temp dir. */
export function screenshotsDir(): string {
  screenshotDir ??= process.env.REFRESH_SCREENSHOTS === '1' ? path.join(REPO_ROOT, 'docs', 'images') : fs.mkdtempSync(path.join(os.tmpdir(), 'web-shots-'));
  return screenshotDir;
}

/** Saves `<name>.png`; `fullPage` when the live region (top) and the control that changed it are far apart. */
export async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: path.join(screenshotsDir(), `${name}.png`), fullPage: options.fullPage ?? false });
}

export const visible = (page: Page, selector: string) => page.$eval(selector, (el) => el.checkVisibility());
export const text = (page: Page, testId: string) => page.$eval(`[data-testid="${testId}"]`, (el) => (el.textContent ?? '').trim());

/** Waits until the live region says something matching `pattern`, and returns it. */
export async function statusMatching(page: Page, pattern: RegExp, timeout = 20_000): Promise<string> {
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.querySelector('[data-testid="status"]')?.textContent ?? ''),
    { timeout },
    pattern.source,
  );
  return text(page, 'status');
}

/** axe-core's violations on the whole document, as `rule: targets` lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  }
  const result = (await page.evaluate(() => (window as any).axe.run(document, { resultTypes: ['violations'] }))) as {
    violations: Array<{ id: string; nodes: Array<{ target: string[] }> }>;
  };
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Fills the email/password form and submits it with the mouse. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.click('[data-testid="email"]', { clickCount: 3 });
  await page.type('[data-testid="email"]', email);
  await page.click('[data-testid="password"]', { clickCount: 3 });
  await page.type('[data-testid="password"]', password);
  await page.click('[data-testid="sign-in-submit"]');
}

/** The file table's rows as [name, size, status]. */
export async function fileRows(page: Page): Promise<string[][]> {
  return page.$$eval('[data-testid="file-list"] tbody tr[data-file]', (rows) =>
    rows.map((row) =>
      Array.from(row.querySelectorAll('td'))
        .slice(0, 3)
        .map((td) => (td.textContent ?? '').trim()),
    ),
  );
}
