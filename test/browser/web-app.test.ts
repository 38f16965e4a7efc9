/**
 * The web app in headless Chromium, served with the hosting's CSP, against
 * fake AWS endpoints (request interception): sign-in errors, SRP sign-in,
 * upload, the not-permissions/ denial, the API call and the file list.
 * Fails on any page error, console error or CSP violation, and on any axe-core
 * violation. Screenshots go to docs/images/ with REFRESH_SCREENSHOTS=1
 * (`npm run web:screenshots`), else to a temp dir.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import puppeteer, { type Browser, type ConsoleMessage, type ElementHandle, type Page } from 'puppeteer-core';
import { main as writeClientConfig } from '../../scripts/client-config/cli';
import type { AmplifyOutputs } from '../../scripts/client-config/amplify-outputs';
import { buildWeb } from '../../web/build';
import { contentSecurityPolicy, extraConnectOrigins } from '../../web/csp';
import { startStaticServer, type StaticServer } from '../../web/static-server';
import { FakeAws } from './fake-aws';

const REPO = path.resolve(__dirname, '..', '..');
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env.REFRESH_SCREENSHOTS === '1' ? path.join(REPO, 'docs', 'images') : fs.mkdtempSync(path.join(os.tmpdir(), 'web-shots-'));
const USER = { email: 'ana@example.org', password: 'Correct-Horse-9', confirmed: true };
const UNCONFIRMED = { email: 'new@example.org', password: 'Another-Pass-9', confirmed: false };

let site: string;
let server: StaticServer;
let browser: Browser;
let page: Page;
let aws: FakeAws;
let outputs: AmplifyOutputs;
/** Page errors, console errors and CSP violations not expected by the step running. */
const problems: string[] = [];

/** Browser console lines for the failures a step provokes on purpose (HTTP 400 from Cognito, 403 from S3). */
function expectedFailure(message: ConsoleMessage): boolean {
  const url = message.location().url ?? '';
  return (
    /Failed to load resource: the server responded with a status of 400/.test(message.text()) && url.startsWith(`https://cognito-idp.`)
  ) || (/Failed to load resource: the server responded with a status of 403/.test(message.text()) && url.includes('/not-permissions/'));
}

beforeAll(async () => {
  site = fs.mkdtempSync(path.join(os.tmpdir(), 'web-site-'));
  await buildWeb(site);
  // The real generator, on the prod fixture: it has a sign-in domain, Google and a SAML provider.
  const lines: string[] = [];
  const outFile = path.join(site, 'amplify_outputs.json');
  const code = await writeClientConfig(['--stage', 'prod', '--outputs', path.join(REPO, 'test', 'scripts', 'fixtures', 'cdk-outputs.json'), '--out', outFile], {
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
  });
  if (code !== 0) throw new Error(lines.join('\n'));
  outputs = JSON.parse(fs.readFileSync(outFile, 'utf8'));
  server = await startStaticServer({ root: site, csp: contentSecurityPolicy(extraConnectOrigins(outputs)) });

  aws = new FakeAws(outputs, [USER, UNCONFIRMED]);
  aws.seedFile('orders.csv', 2048, 'accepted');
  aws.seedFile('notes.txt.csv', 512, 'rejected', false);

  browser = await puppeteer.launch({ executablePath: CHROME, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  page = await browser.newPage();
  await page.setViewport({ width: 1000, height: 760, deviceScaleFactor: 1 });
  await page.setRequestInterception(true);
  page.on('request', (request) => void aws.handle(request, server.origin));
  page.on('pageerror', (error) => problems.push(`page error: ${(error as Error).message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !expectedFailure(message)) problems.push(`console error: ${message.text()} (${message.location().url ?? ''})`);
  });
  // CDP-injected, so not subject to the page's CSP; reports every violation as a console error too.
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`));
  });
}, 60_000);

afterEach(() => {
  expect(problems.splice(0)).toEqual([]);
  expect(aws.unexpected).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(site, { recursive: true, force: true });
});

const visible = (selector: string) => page.$eval(selector, (el) => el.checkVisibility());
const text = (testId: string) => page.$eval(`[data-testid="${testId}"]`, (el) => (el.textContent ?? '').trim());

/** Waits until the live region says something matching `pattern`, and returns it. */
async function statusMatching(pattern: RegExp): Promise<string> {
  await page.waitForFunction((source) => new RegExp(source).test(document.querySelector('[data-testid="status"]')?.textContent ?? ''), { timeout: 20_000 }, pattern.source);
  return text('status');
}

async function axeViolations(): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  }
  const result = (await page.evaluate(() => (window as any).axe.run(document, { resultTypes: ['violations'] }))) as {
    violations: Array<{ id: string; nodes: Array<{ target: string[] }> }>;
  };
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) as `${string}.png` });

async function signIn(email: string, password: string): Promise<void> {
  await page.click('[data-testid="email"]', { clickCount: 3 });
  await page.type('[data-testid="email"]', email);
  await page.click('[data-testid="password"]', { clickCount: 3 });
  await page.type('[data-testid="password"]', password);
  await page.click('[data-testid="sign-in-submit"]');
}

describe('GIVEN the built site served with the hosting CSP and the prod outputs', () => {
  test('WHEN it loads THEN the sign-in form, one button per provider and no axe violations show', async () => {
    await page.goto(`${server.origin}/`, { waitUntil: 'networkidle0' });
    await statusMatching(/Sign in to see your files/);

    expect(await visible('[data-testid="sign-in-form"]')).toBe(true);
    expect(await visible('#challenge-form')).toBe(false);
    expect(await visible('[data-testid="identity-id"]')).toBe(false);
    const buttons = await page.$$eval('#provider-list button', (els) => els.map((el) => el.textContent));
    expect(buttons).toEqual(outputs.custom.auth.identity_providers.map((name) => `Sign in with ${name}`));
    expect(await axeViolations()).toEqual([]);
    await shot('sign-in');
  });

  test('WHEN /auth/callback is opened THEN the app itself answers (the hosted sign-in returns there)', async () => {
    const response = await page.goto(`${server.origin}/auth/callback`, { waitUntil: 'networkidle0' });

    expect(response?.status()).toBe(200);
    await statusMatching(/Sign in to see your files/);
  });

  test('WHEN signing in with a wrong password THEN the SRP proof fails and the error is shown', async () => {
    await signIn(USER.email, 'Wrong-Password-1');

    expect(await statusMatching(/Sign-in failed/)).toBe('Sign-in failed. NotAuthorizedException: Incorrect username or password.');
    expect(aws.log.filter((l) => l.startsWith('POST https://cognito-idp.'))).toEqual([
      expect.stringMatching(/ 200$/), // InitiateAuth answered with the PASSWORD_VERIFIER challenge
      expect.stringMatching(/ 400$/), // the proof made with the wrong password was refused
    ]);
    await shot('sign-in-error');
  });

  test('WHEN an unconfirmed user signs in THEN the page says to confirm the account', async () => {
    await signIn(UNCONFIRMED.email, UNCONFIRMED.password);

    expect(await statusMatching(/not confirmed/)).toMatch(/^This account is not confirmed yet/);
  });

  test('WHEN signing in with the right password by keyboard THEN the signed-in page shows the identity ID and the seeded files with statuses', async () => {
    await page.click('[data-testid="email"]', { clickCount: 3 });
    await page.keyboard.type(USER.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(USER.password);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('sign-in-submit');
    // Keyboard focus is visible.
    expect(await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle)).toBe('solid');
    await page.keyboard.press('Enter');

    await page.waitForFunction(() => /:/.test(document.querySelector('[data-testid="identity-id"]')?.textContent ?? ''), { timeout: 20_000 });
    expect(await text('identity-id')).toBe(aws.identityId);
    await page.waitForSelector('[data-testid="file-list"] tr[data-file="orders.csv"]');
    expect(await visible('[data-testid="sign-in-form"]')).toBe(false);
    expect(await fileRows()).toEqual([
      ['notes.txt.csv', '512 B', 'rejected'],
      ['orders.csv', '2.0 KB', 'accepted'],
    ]);
    expect(await axeViolations()).toEqual([]);
    await shot('signed-in');
  });

  test('WHEN a CSV is uploaded THEN it is PUT under <identityId>/ and listed as pending', async () => {
    const csv = path.join(site, 'people.csv');
    fs.writeFileSync(csv, 'name,city\nAna,Porto\nBo,Oslo\n');
    aws.uploadSizes.set('people.csv', fs.statSync(csv).size);
    const input = (await page.$('[data-testid="upload-input"]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(csv);
    await page.click('[data-testid="upload-submit"]');

    expect(await statusMatching(/Uploaded|failed/)).toMatch(/^Uploaded people\.csv/);
    await page.waitForSelector('[data-testid="file-list"] tr[data-file="people.csv"]');
    expect((await fileRows()).find((row) => row[0] === 'people.csv')?.[2]).toBe('pending');
    expect(aws.objects.get(`${aws.identityId}/people.csv`)?.contentType).toBe('text/csv');
    expect(aws.log).toContainEqual(`PUT https://${outputs.storage.bucket_name}.s3.${outputs.storage.aws_region}.amazonaws.com/${encodeURIComponent(aws.identityId)}/people.csv 200`);
    await shot('uploaded');
  });

  test('WHEN trying to write under not-permissions/ THEN S3 refuses and AccessDenied is shown', async () => {
    await page.click('[data-testid="try-not-permissions"]');

    expect(await statusMatching(/Denied|Unexpected/)).toBe('Denied as expected: writing not-permissions/probe.csv failed with AccessDenied: Access Denied');
    expect(aws.log).toContainEqual(`PUT https://${outputs.storage.bucket_name}.s3.${outputs.storage.aws_region}.amazonaws.com/not-permissions/probe.csv 403`);
    expect([...aws.objects.keys()].filter((k) => k.startsWith('not-permissions/'))).toEqual([]);
    await shot('not-permissions');
  });

  test('WHEN Call API is pressed THEN GET /me answers with the caller and the JSON is shown', async () => {
    await page.click('[data-testid="call-api"]');

    await statusMatching(/GET \/me answered 200/);
    const shown = JSON.parse(await page.$eval('#api-output', (el) => el.textContent ?? ''));
    expect(shown).toEqual({ sub: expect.any(String), username: expect.any(String), email: USER.email, groups: [] });
    expect(await axeViolations()).toEqual([]);
    await shot('call-api');
  });

  test('WHEN Download is pressed THEN the browser asks S3 for a presigned attachment URL of that file', async () => {
    const downloaded = page.waitForRequest((r) => r.url().includes(`/${encodeURIComponent(aws.identityId)}/orders.csv?`) || r.url().includes(`/${aws.identityId}/orders.csv?`));
    await page.click('button[aria-label="Download orders.csv"]');

    const url = new URL((await downloaded).url());
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(new RegExp(`^${aws.accessKeyId}/`));
    expect(url.searchParams.get('response-content-disposition')).toMatch(/^attachment/);
  });

  test('WHEN Delete is pressed THEN the object is removed and the list no longer shows it', async () => {
    await page.click('button[aria-label="Delete people.csv"]');

    await statusMatching(/Deleted people\.csv/);
    expect(aws.objects.has(`${aws.identityId}/people.csv`)).toBe(false);
    expect((await fileRows()).map((row) => row[0])).toEqual(['notes.txt.csv', 'orders.csv']);
  });
});

async function fileRows(): Promise<string[][]> {
  return page.$$eval('[data-testid="file-list"] tbody tr[data-file]', (rows) =>
    rows.map((row) => Array.from(row.querySelectorAll('td')).slice(0, 3).map((td) => (td.textContent ?? '').trim())),
  );
}
