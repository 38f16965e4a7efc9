/**
 * The web app in headless Chromium against the dev stage under `npm run local`
 * (test/browser/support/local-stage.ts): real SRP sign-in against the local
 * user pool, identity-pool credentials, uploads judged by the template's
 * policies, the real upload checker, the API behind its Cognito authorizer.
 * No request is intercepted. Fails on any page error, unexpected console error
 * or CSP violation, and on any axe-core violation. Screenshots go to
 * docs/images/ with REFRESH_SCREENSHOTS=1 (`npm run web:screenshots`), else to
 * a temp dir.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { CognitoIdentityProviderClient, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { ElementHandle, HTTPResponse, Page } from 'puppeteer-core';
import type { AmplifyOutputs } from '../../contracts/amplify-outputs';
import { main as writeClientConfig } from '../../scripts/client-config/cli';
import { buildWeb } from '../../web/build';
import { contentSecurityPolicy, extraConnectOrigins } from '../../web/csp';
import { startStaticServer, type StaticServer } from '../../web/static-server';
import { LOCAL_STAGE_TIMEOUT_MS, startLocalStage, type LocalStage } from './support/local-stage';
import { axeViolations, fileRows, shot, signIn, statusMatching, text, visible } from './support/page-helpers';

const USER = { email: 'ana@example.org', password: 'Correct-Horse-9!x' };
const UNCONFIRMED = { email: 'new@example.org', password: 'Another-Pass-9!x' };
const CSV = 'name,city\nAna,Porto\nBo,Oslo\n';
const REPO = path.resolve(__dirname, '..', '..');

let stage: LocalStage;
let page: Page;
let identityId: string;
/** `<X-Amz-Target> <status>` of every call the page made to the local user pool. */
const userPoolCalls: string[] = [];
/** `<fetch|xhr> <method> <path> <status>` of every call the page made to the local S3. */
const s3Calls: string[] = [];

/** Console lines for the refusals the tests provoke on purpose: Cognito's 400s, the 403 under not-permissions/. */
function provoked(message: string, url: string): boolean {
  return (
    (/status of 400/.test(message) && url.startsWith(stage.endpoints.endpoints.cognitoIdp)) ||
    (/status of 403/.test(message) && url.startsWith(stage.endpoints.endpoints.s3) && url.includes('/not-permissions/'))
  );
}

beforeAll(async () => {
  // Screenshots show the documented port (it must be free); test runs take any free ports.
  stage = await startLocalStage({ port: process.env.REFRESH_SCREENSHOTS === '1' ? 5173 : undefined });
  await stage.signUpAndConfirm(USER.email, USER.password);
  const idp = new CognitoIdentityProviderClient({
    region: stage.endpoints.region,
    endpoint: stage.endpoints.endpoints.cognitoIdp,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  await idp.send(
    new SignUpCommand({
      ClientId: stage.endpoints.userPoolClientId,
      Username: UNCONFIRMED.email,
      Password: UNCONFIRMED.password,
      UserAttributes: [{ Name: 'email', Value: UNCONFIRMED.email }],
    }),
  );
  idp.destroy();

  page = await stage.newPage({ allowConsoleError: provoked });
  page.on('response', (response: HTTPResponse) => {
    const request = response.request();
    if (request.method() === 'OPTIONS') return;
    const url = response.url();
    if (url.startsWith(stage.endpoints.endpoints.cognitoIdp)) userPoolCalls.push(`${request.headers()['x-amz-target']} ${response.status()}`);
    if (url.startsWith(stage.endpoints.endpoints.s3))
      s3Calls.push(`${request.resourceType()} ${request.method()} ${decodeURIComponent(new URL(url).pathname)} ${response.status()}`);
  });
}, LOCAL_STAGE_TIMEOUT_MS);

afterEach(() => {
  expect(stage.takeProblems()).toEqual([]);
});

afterAll(async () => {
  await stage?.stop();
});

describe('GIVEN the dev stage under npm run local and its web app in Chromium', () => {
  test('WHEN it loads THEN the local banner, the sign-in form without provider buttons and no axe violations show', async () => {
    await page.goto(`${stage.origin}/`, { waitUntil: 'networkidle0' });
    await statusMatching(page, /Sign in to see your files/);

    expect(await text(page, 'local-banner')).toMatch(/^Running locally/);
    expect(await visible(page, '[data-testid="sign-in-form"]')).toBe(true);
    expect(await visible(page, '#challenge-form')).toBe(false);
    expect(await visible(page, '[data-testid="identity-id"]')).toBe(false);
    // The local run has no hosted UI, so its outputs list no providers (the buttons are tested below with the prod outputs).
    expect(await page.$$eval('#provider-list button', (els) => els.length)).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'local-sign-in');
  });

  test('WHEN /auth/callback is opened THEN the app itself answers (the hosted sign-in returns there)', async () => {
    const response = await page.goto(`${stage.origin}/auth/callback`, { waitUntil: 'networkidle0' });

    expect(response?.status()).toBe(200);
    await statusMatching(page, /Sign in to see your files/);
  });

  test('WHEN signing in with a wrong password THEN the user pool refuses the SRP proof and the error is shown', async () => {
    userPoolCalls.length = 0;
    await signIn(page, USER.email, 'Wrong-Password-1!x');

    expect(await statusMatching(page, /Sign-in failed/)).toMatch(/^Sign-in failed\. /);
    expect(userPoolCalls).toEqual([
      'AWSCognitoIdentityProviderService.InitiateAuth 200', // answered with the PASSWORD_VERIFIER challenge
      'AWSCognitoIdentityProviderService.RespondToAuthChallenge 400', // the proof made with the wrong password
    ]);
    await shot(page, 'local-sign-in-error');
  });

  test('WHEN an unconfirmed user signs in THEN the page says to confirm the account', async () => {
    await signIn(page, UNCONFIRMED.email, UNCONFIRMED.password);

    expect(await statusMatching(page, /not confirmed/)).toMatch(/^This account is not confirmed yet/);
  });

  test('WHEN signing in with the right password by keyboard THEN the signed-in page shows the identity ID and no files yet', async () => {
    await page.goto(`${stage.origin}/`, { waitUntil: 'networkidle0' });
    await statusMatching(page, /Sign in to see your files/);
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
    identityId = await text(page, 'identity-id');
    expect(identityId).toMatch(new RegExp(`^${stage.endpoints.region}:[0-9a-f-]{36}$`));
    await page.waitForFunction(() => /No files yet/.test(document.getElementById('file-rows')?.textContent ?? ''), { timeout: 20_000 });
    expect(await visible(page, '[data-testid="sign-in-form"]')).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
  });

  test('WHEN a CSV is uploaded THEN it lands under <identityId>/ and the real checker accepts it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-upload-'));
    const csv = path.join(dir, 'people.csv');
    fs.writeFileSync(csv, CSV);
    const input = (await page.$('[data-testid="upload-input"]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(csv);
    await page.click('[data-testid="upload-submit"]');

    expect(await statusMatching(page, /Uploaded|failed/)).toMatch(/^Uploaded people\.csv/);
    await page.waitForSelector('[data-testid="file-list"] tr[data-file="people.csv"]');
    // Amplify Storage calls S3 with XMLHttpRequest in a browser; the bridge re-signs each call for the local S3.
    expect(s3Calls).toContainEqual(`xhr PUT /${stage.endpoints.bucket}/${identityId}/people.csv 200`);
    const stored = await stage.s3.send(new GetObjectCommand({ Bucket: stage.endpoints.bucket, Key: `${identityId}/people.csv` }));
    expect(stored.ContentType).toBe('text/csv');
    expect(await stored.Body!.transformToString()).toBe(CSV);

    // The checker runs off the bucket's event; Refresh until the row leaves pending.
    const deadline = Date.now() + 30_000;
    let status = (await rowOf('people.csv'))?.[2];
    while (status !== 'accepted' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await refreshFiles();
      status = (await rowOf('people.csv'))?.[2];
    }
    expect(await rowOf('people.csv')).toEqual(['people.csv', `${CSV.length} B`, 'accepted']);
    expect(await axeViolations(page)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
    await shot(page, 'local-files-accepted');
  });

  test('WHEN trying to write under not-permissions/ THEN the policies refuse it and AccessDenied is shown', async () => {
    await page.click('[data-testid="try-not-permissions"]');

    expect(await statusMatching(page, /Denied|Unexpected/)).toMatch(/^Denied as expected: writing not-permissions\/probe\.csv failed with AccessDenied/);
    expect(s3Calls).toContainEqual(`xhr PUT /${stage.endpoints.bucket}/not-permissions/probe.csv 403`);
    const listed = await stage.s3.send(new ListObjectsV2Command({ Bucket: stage.endpoints.bucket, Prefix: 'not-permissions/' }));
    expect(listed.KeyCount ?? 0).toBe(0);
    await shot(page, 'local-not-permissions-denied', { fullPage: true });
  });

  test('WHEN Call API is pressed THEN GET /me answers with the caller and the JSON is shown', async () => {
    await page.click('[data-testid="call-api"]');

    await statusMatching(page, /GET \/me answered 200/);
    const shown = JSON.parse(await page.$eval('#api-output', (el) => el.textContent ?? ''));
    expect(shown).toEqual({ sub: expect.any(String), username: expect.any(String), email: USER.email, groups: [] });
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'local-api-me', { fullPage: true });
  });

  test('WHEN Download is pressed THEN the browser fetches the file with a presigned GET and saves it as an attachment', async () => {
    const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-downloads-'));
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    const requested = page.waitForRequest(
      (r) => r.url().startsWith(`${stage.endpoints.endpoints.s3}/${stage.endpoints.bucket}/`) && r.url().includes('/people.csv?'),
    );
    await page.click('button[aria-label="Download people.csv"]');

    const url = new URL((await requested).url());
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('response-content-disposition')).toMatch(/^attachment/);
    const saved = path.join(downloads, 'people.csv');
    const deadline = Date.now() + 10_000;
    while (!fs.existsSync(saved) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fs.readFileSync(saved, 'utf8')).toBe(CSV);
    await cdp.detach();
    fs.rmSync(downloads, { recursive: true, force: true });
  });

  test('WHEN Delete is pressed THEN the object is removed and the list no longer shows it', async () => {
    await page.click('button[aria-label="Delete people.csv"]');

    await statusMatching(page, /Deleted people\.csv/);
    expect(s3Calls).toContainEqual(`xhr DELETE /${stage.endpoints.bucket}/${identityId}/people.csv 204`);
    const listed = await stage.s3.send(new ListObjectsV2Command({ Bucket: stage.endpoints.bucket, Prefix: `${identityId}/` }));
    expect(listed.KeyCount ?? 0).toBe(0);
    expect(await page.$('button[aria-label="Delete people.csv"]')).toBeNull();
    // The check result goes with the object (the checker handles the delete event); Refresh until the row is gone.
    const deadline = Date.now() + 30_000;
    while ((await rowOf('people.csv')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await refreshFiles();
    }
    expect(await rowOf('people.csv')).toBeUndefined();
  });
});

/**
 * The hosted sign-in buttons need a sign-in domain, which the local run does
 * not have (no hosted UI): the prod stage's outputs, from the project's own
 * generator, on the built site with the hosting CSP. Nothing here calls a
 * service; the test checks that no request leaves the site.
 */
describe('GIVEN the built site served with the hosting CSP and the prod outputs (a sign-in domain, Google and a SAML provider)', () => {
  let site: string;
  let server: StaticServer;
  let outputs: AmplifyOutputs;
  let hosted: Page;
  const offSite: string[] = [];

  beforeAll(async () => {
    site = fs.mkdtempSync(path.join(os.tmpdir(), 'web-site-'));
    await buildWeb(site);
    const lines: string[] = [];
    const outFile = path.join(site, 'amplify_outputs.json');
    const code = await writeClientConfig(
      ['--stage', 'prod', '--outputs', path.join(REPO, 'test', 'scripts', 'fixtures', 'cdk-outputs.json'), '--out', outFile],
      {
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
      },
    );
    if (code !== 0) throw new Error(lines.join('\n'));
    outputs = JSON.parse(fs.readFileSync(outFile, 'utf8'));
    server = await startStaticServer({ root: site, csp: contentSecurityPolicy(extraConnectOrigins(outputs)) });
    hosted = await stage.newPage();
    hosted.on('request', (request) => {
      if (!request.url().startsWith(`${server.origin}/`)) offSite.push(request.url());
    });
  }, 60_000);

  afterAll(async () => {
    await hosted?.close();
    await server?.close();
    if (site) fs.rmSync(site, { recursive: true, force: true });
  });

  test('WHEN it loads THEN the sign-in form shows one button per provider and no axe violations', async () => {
    await hosted.goto(`${server.origin}/`, { waitUntil: 'networkidle0' });
    await statusMatching(hosted, /Sign in to see your files/);

    expect(await visible(hosted, '[data-testid="sign-in-form"]')).toBe(true);
    const buttons = await hosted.$$eval('#provider-list button', (els) => els.map((el) => el.textContent));
    expect(buttons).toEqual(outputs.custom.auth.identity_providers.map((name) => `Sign in with ${name}`));
    expect(await axeViolations(hosted)).toEqual([]);
    expect(offSite).toEqual([]);
    await shot(hosted, 'sign-in');
  });
});

/** Presses Refresh and waits for this refresh's answer in the live region. */
async function refreshFiles(): Promise<void> {
  await page.$eval('[data-testid="status"]', (el) => (el.textContent = ''));
  await page.click('#refresh-files');
  await statusMatching(page, /listed|Listing failed/);
}

async function rowOf(name: string): Promise<string[] | undefined> {
  return (await fileRows(page)).find((row) => row[0] === name);
}
