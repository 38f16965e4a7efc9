/**
 * The signed-in account page in headless Chromium against the dev stage under
 * `npm run local` (test/browser/support/local-stage.ts), with the stage's upload
 * limit lowered to 4 KiB so the page can only show it by reading the stage:
 * upload limits and types refused before sending, Refresh, change password,
 * sign out, sign out everywhere (refresh tokens revoked), delete account
 * (nothing of the user left in S3 or DynamoDB, sign-in refused), axe-core in
 * both languages, and the keyboard path through the delete confirmation.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CognitoIdentityProviderClient, GetTokensFromRefreshTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ListTablesCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectVersionsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { ElementHandle, HTTPRequest, Page } from 'puppeteer-core';
import { ACCOUNT_DELETED_ATTRIBUTES, ACCOUNT_DELETED_SK } from '../../contracts/upload-results-table';
import { srpSignIn } from '../../scripts/smoke/srp-sign-in';
import { LOCAL_STAGE_TIMEOUT_MS, startLocalStage, type LocalStage } from './support/local-stage';
import { axeViolations, fileRows, signIn, statusMatching, text, visible } from './support/page-helpers';

/** The stage's own limit, far below the stack's 10 MiB default the page used to show. */
const MAX_UPLOAD_BYTES = 4096;
const PASSWORD = 'Correct-Horse-9!x';
const CSV = 'name,city\nAna,Porto\n';

let stage: LocalStage;
let idp: CognitoIdentityProviderClient;
let page: Page;
let dir: string;
/** `<method> <url>[ <X-Amz-Target>]` of every request the page sent beyond its own origin. */
const sent: string[] = [];

/** Console lines for refusals the tests provoke on purpose: Cognito's 400 for a wrong or deleted user's sign-in. */
function provoked(message: string, url: string): boolean {
  return /status of 400/.test(message) && url.startsWith(stage.endpoints.endpoints.cognitoIdp);
}

beforeAll(async () => {
  stage = await startLocalStage({
    editConfig: (config) => {
      config.storage = { ...(config.storage as object), maxUploadBytes: MAX_UPLOAD_BYTES, allowedContentTypes: ['text/csv'] };
    },
  });
  idp = new CognitoIdentityProviderClient({
    region: stage.endpoints.region,
    endpoint: stage.endpoints.endpoints.cognitoIdp,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-account-'));
  page = await stage.newPage({ allowConsoleError: provoked });
  page.on('request', (request: HTTPRequest) => {
    if (request.url().startsWith(stage.origin)) return;
    const target = request.headers()['x-amz-target'];
    sent.push(`${request.method()} ${request.url()}${target ? ` ${target}` : ''}`);
  });
}, LOCAL_STAGE_TIMEOUT_MS);

afterEach(() => {
  expect(stage.takeProblems()).toEqual([]);
});

afterAll(async () => {
  idp?.destroy();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await stage?.stop();
});

/** A new confirmed user, signed in on the page (in English); returns its identity ID. */
async function signedInAs(email: string, password = PASSWORD): Promise<string> {
  await stage.signUpAndConfirm(email, password);
  await page.goto(`${stage.origin}/`, { waitUntil: 'networkidle0' });
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${stage.origin}/`, { waitUntil: 'networkidle0' });
  await page.select('[data-testid="language"]', 'en');
  await signIn(page, email, password);
  await page.waitForFunction(() => /:/.test(document.querySelector('[data-testid="identity-id"]')?.textContent ?? ''), { timeout: 20_000 });
  await page.waitForFunction((e) => document.querySelector('[data-testid="account-email"]')?.textContent === e, { timeout: 10_000 }, email);
  return text(page, 'identity-id');
}

function file(name: string, content: string | Buffer): string {
  const where = path.join(dir, name);
  fs.writeFileSync(where, content);
  return where;
}

async function choose(where: string): Promise<void> {
  const input = (await page.$('[data-testid="upload-input"]')) as ElementHandle<HTMLInputElement>;
  await input.uploadFile(where);
}

/** The page's stored Cognito refresh token (Amplify keeps it in localStorage). */
function pageRefreshToken(): Promise<string> {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('CognitoIdentityServiceProvider.') && k.endsWith('.refreshToken'));
    return key ? (localStorage.getItem(key) ?? '') : '';
  });
}

function refresh(refreshToken: string) {
  return idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: stage.endpoints.userPoolClientId, RefreshToken: refreshToken }));
}

async function isSignedOut(): Promise<boolean> {
  return (await visible(page, '[data-testid="sign-in-form"]')) && !(await visible(page, '[data-testid="identity-id"]'));
}

describe('GIVEN the dev stage with a 4 KiB upload limit under npm run local, and its web app in Chromium', () => {
  test('WHEN a user is signed in THEN the page states the stage limit and refuses an oversize or wrong-type file before sending it', async () => {
    await signedInAs('limits@example.org');

    expect(await page.$eval('#upload-label', (el) => el.textContent)).toBe('CSV file (up to 4.0 KB)');
    expect(await text(page, 'upload-types')).toBe('Accepted types: text/csv');

    sent.length = 0;
    await choose(file('big.csv', `${'a,b\n'.repeat(MAX_UPLOAD_BYTES / 4)}x\n`));
    await page.click('[data-testid="upload-submit"]');
    expect(await statusMatching(page, /limit/)).toBe('big.csv is 4098 B; the limit is 4096 B.');

    await choose(file('notes.txt', 'not a table\n'));
    await page.click('[data-testid="upload-submit"]');
    expect(await statusMatching(page, /accepts only/)).toBe('notes.txt is of type text/plain; this stage accepts only text/csv.');
    // Nothing reached the API or S3 (the page's own Cognito reads may still be finishing).
    const writes = sent.filter((line) => line.startsWith('PUT ') || line.startsWith('POST '));
    expect(writes.filter((line) => !line.includes(stage.endpoints.endpoints.cognitoIdp) && !line.includes(stage.endpoints.endpoints.cognitoIdentity))).toEqual(
      [],
    );

    await choose(file('ok.csv', CSV));
    await page.click('[data-testid="upload-submit"]');
    expect(await statusMatching(page, /Uploaded|failed/)).toMatch(/^Uploaded ok\.csv/);
  });

  test("WHEN a file lands under the prefix behind the page's back and Refresh is pressed THEN it shows with its new check status", async () => {
    const identityId = await text(page, 'identity-id');
    expect((await fileRows(page)).map((row) => row[0])).not.toContain('seeded.csv');
    await stage.s3.send(new PutObjectCommand({ Bucket: stage.endpoints.bucket, Key: `${identityId}/seeded.csv`, Body: CSV, ContentType: 'text/csv' }));

    const deadline = Date.now() + 30_000;
    let row: string[] | undefined;
    while (row?.[2] !== 'accepted' && Date.now() < deadline) {
      await page.click('[data-testid="refresh-files"]');
      await statusMatching(page, /listed|Listing failed/);
      row = (await fileRows(page)).find((r) => r[0] === 'seeded.csv');
      if (row?.[2] !== 'accepted') await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(row).toEqual(['seeded.csv', `${CSV.length} B`, 'accepted']);
  });

  test('WHEN the account page is shown in English and in Vietnamese, forms open THEN axe-core finds no violation', async () => {
    await page.click('[data-testid="change-password"]');
    await page.click('[data-testid="delete-account"]');
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');

    await page.select('[data-testid="language"]', 'vi');
    expect(await page.$eval('html', (el) => el.lang)).toBe('vi');
    expect(await page.$eval('#account-heading', (el) => el.textContent)).toBe('Tài khoản');
    expect(await text(page, 'sign-out-everywhere')).toBe('Đăng xuất trên mọi thiết bị');
    expect(await page.$eval('#new-password-policy', (el) => el.textContent)).toMatch(/ký tự/);
    expect(await axeViolations(page)).toEqual([]);
    await page.click('[data-testid="delete-account"]');
    expect(await page.$eval('#delete-account-dialog-body', (el) => el.textContent)).toMatch(/^Mọi thứ lưu cho limits@example\.org/);
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.select('[data-testid="language"]', 'en');
    await page.click('[data-testid="change-password"]');
    expect(await visible(page, '[data-testid="change-password-form"]')).toBe(false);
  });

  test('WHEN the password is changed (a weak one refused first) and the user signs out THEN only the new password signs in', async () => {
    const email = 'changer@example.org';
    const next = 'Brand-New-Pass-7?q';
    await signedInAs(email);
    sent.length = 0;

    await page.click('[data-testid="change-password"]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('current-password');
    await page.type('[data-testid="current-password"]', PASSWORD);
    await page.type('[data-testid="new-password"]', 'short');
    await page.click('[data-testid="change-password-submit"]');
    expect(await statusMatching(page, /does not meet/)).toBe('The new password does not meet every rule yet; the list under it shows which.');
    expect(await page.$eval('[data-testid="new-password"]', (el) => el.getAttribute('aria-invalid'))).toBe('true');
    expect(await page.$$eval('#new-password-policy li[data-met="false"]', (els) => els.map((el) => el.textContent))).toContainEqual(
      expect.stringMatching(/^at least \d+ characters/),
    );
    // The account page may still be loading its MFA settings and passkeys; only a ChangePassword call would be wrong.
    expect(sent.filter((line) => line.startsWith(`POST ${stage.endpoints.endpoints.cognitoIdp}`) && line.endsWith('.ChangePassword'))).toEqual([]);

    await page.click('[data-testid="new-password"]', { clickCount: 3 });
    await page.type('[data-testid="new-password"]', next);
    await page.click('[data-testid="change-password-submit"]');
    expect(await statusMatching(page, /Password changed|failed/)).toBe('Password changed. Use the new one the next time you sign in.');

    await page.click('[data-testid="sign-out"]');
    await statusMatching(page, /^Signed out\.$/);
    expect(await isSignedOut()).toBe(true);
    await page.reload({ waitUntil: 'networkidle0' });
    expect(await isSignedOut()).toBe(true);

    await signIn(page, email, PASSWORD);
    expect(await statusMatching(page, /Sign-in failed/)).toMatch(/^Sign-in failed/);
    await signIn(page, email, next);
    await page.waitForFunction(() => /:/.test(document.querySelector('[data-testid="identity-id"]')?.textContent ?? ''), { timeout: 20_000 });
  });

  test("WHEN the user signs out everywhere THEN the page is signed out and neither its refresh token nor another device's can refresh", async () => {
    const email = 'everywhere@example.org';
    await signedInAs(email);
    const pageToken = await pageRefreshToken();
    expect(pageToken).not.toBe('');
    // Another device: its own SRP sign-in; a refresh works before the sign-out (and rotates its token).
    const device = await srpSignIn({
      userPoolId: stage.endpoints.userPoolId,
      clientId: stage.endpoints.userPoolClientId,
      username: email,
      password: PASSWORD,
      endpoint: stage.endpoints.endpoints.cognitoIdp,
    });
    const rotated = (await refresh(device.refreshToken)).AuthenticationResult?.RefreshToken ?? device.refreshToken;

    await page.click('[data-testid="sign-out-everywhere"]');
    expect(await statusMatching(page, /^Signed out on every device|failed/)).toMatch(/^Signed out on every device\./);
    expect(await isSignedOut()).toBe(true);

    await expect(refresh(pageToken)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(refresh(rotated)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await page.reload({ waitUntil: 'networkidle0' });
    expect(await isSignedOut()).toBe(true);
  });

  test('WHEN the user deletes the account by keyboard alone THEN nothing of it remains in S3 or DynamoDB and signing in fails', async () => {
    const email = 'leaver@example.org';
    const identityId = await signedInAs(email);
    const sub = await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.endsWith('.idToken'));
      return JSON.parse(atob((localStorage.getItem(key!) ?? '').split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).sub as string;
    });
    // Something in each place: a checked file (two versions), an item of its own.
    await choose(file('mine.csv', CSV));
    await page.click('[data-testid="upload-submit"]');
    await statusMatching(page, /^Uploaded mine\.csv/);
    await stage.s3.send(
      new PutObjectCommand({ Bucket: stage.endpoints.bucket, Key: `${identityId}/mine.csv`, Body: `${CSV}Bo,Oslo\n`, ContentType: 'text/csv' }),
    );
    await stage.dynamodb.send(
      new PutItemCommand({
        TableName: stage.endpoints.itemsTable.name,
        Item: { [stage.endpoints.itemsTable.partitionKey]: { S: identityId }, itemId: { S: 'note#1' } },
      }),
    );
    const deadline = Date.now() + 30_000;
    while ((await fileRows(page)).find((r) => r[0] === 'mine.csv')?.[2] !== 'accepted' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await page.click('[data-testid="refresh-files"]');
      await statusMatching(page, /listed|Listing failed/);
    }
    expect(await everythingOf(identityId, sub)).not.toEqual([]);

    // Keyboard only: Tab to the button, Enter opens the dialog with Cancel focused; Escape keeps everything.
    await page.focus('[data-testid="change-password"]');
    for (let i = 0; i < 10 && (await activeTestId()) !== 'delete-account'; i++) await page.keyboard.press('Tab');
    expect(await activeTestId()).toBe('delete-account');
    await page.keyboard.press('Enter');
    expect(await page.$eval('[data-testid="delete-account-dialog"]', (el) => (el as HTMLDialogElement).open)).toBe(true);
    expect(await activeTestId()).toBe('delete-account-cancel');
    await page.keyboard.press('Escape');
    expect(await activeTestId()).toBe('delete-account');
    expect(await page.$eval('[data-testid="delete-account-dialog"]', (el) => (el as HTMLDialogElement).open)).toBe(false);

    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await activeTestId()).toBe('delete-account-confirm');
    await page.keyboard.press('Enter');

    expect(await statusMatching(page, /were deleted|failed|in progress/, 60_000)).toBe(
      'Your account and everything stored for it were deleted. You are signed out.',
    );
    expect(await isSignedOut()).toBe(true);
    expect(await everythingOf(identityId, sub)).toEqual([]);
    await signIn(page, email, PASSWORD);
    expect(await statusMatching(page, /Sign-in failed/)).toMatch(/^Sign-in failed/);
  });
});

async function activeTestId(): Promise<string | null | undefined> {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
}

/**
 * What the stage still holds of one user, seen as the account's operator:
 * object versions and delete markers under the identity prefix, and every
 * DynamoDB item (items, check results, identity map) that names the identity
 * ID or the user's `sub`.
 */
async function everythingOf(identityId: string, sub: string): Promise<string[]> {
  const found: string[] = [];
  const versions = await stage.s3.send(new ListObjectVersionsCommand({ Bucket: stage.endpoints.bucket, Prefix: `${identityId}/` }));
  for (const v of [...(versions.Versions ?? []), ...(versions.DeleteMarkers ?? [])]) found.push(`s3 ${v.Key} ${v.VersionId}`);
  const { TableNames = [] } = await stage.dynamodb.send(new ListTablesCommand({}));
  for (const table of TableNames) {
    let start: Record<string, any> | undefined;
    do {
      const page = await stage.dynamodb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) {
        // The account-deletion marker stays on purpose (docs/design.md, "Account deletion"): it names
        // only the identity and the time, and keeps late upload events from writing file names back.
        if (isDeletionMarker(item, identityId)) continue;
        const json = JSON.stringify(item);
        if (json.includes(identityId) || json.includes(sub)) found.push(`${table} ${json.slice(0, 200)}`);
      }
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return found;
}

/** The results table's marker of a deleted account, with exactly its own attributes. */
function isDeletionMarker(item: Record<string, any>, identityId: string): boolean {
  return (
    item.sk?.S === ACCOUNT_DELETED_SK && item.identityId?.S === identityId && Object.keys(item).sort().join() === [...ACCOUNT_DELETED_ATTRIBUTES].sort().join()
  );
}
