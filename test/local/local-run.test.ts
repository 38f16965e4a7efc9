/**
 * The whole local run, end to end, as a developer starts it: the CLI in a
 * child process (synth WITH bundling, every service), then a user's path with
 * the real client libraries, then SIGTERM. Slow (one bundled synth), so it runs
 * apart: `npm run test:local` (jest.local.config.js).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient, ListTablesCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { list, remove, uploadData } from 'aws-amplify/storage';
import type { AmplifyOutputs } from '../../contracts/amplify-outputs';
import { OPERATOR_CREDENTIALS_FILE, type LocalEndpoints } from '../../scripts/local/local-endpoints';
import { mainLocal } from '../../scripts/smoke/cli';
import { srpSignIn } from '../../scripts/smoke/srp-sign-in';
import { amplifyResources, localRunOf } from '../../web/src/local-run';
import { bridgedFetch } from '../../web/src/local-s3-bridge';
import { freePortRun } from './support/free-ports';
import { awaitStatus, signUpAndSignIn, type SignedInUser } from './support/local-flow';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const PNG_BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);

let child: ChildProcess;
let output = '';
let stateRoot: string;
let endpoints: LocalEndpoints;
let port: number;
let alice: SignedInUser;

beforeAll(async () => {
  stateRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'local-run-'));
  port = await freePortRun(6);
  child = spawn(process.execPath, ['--import', 'tsx', 'scripts/local/cli.ts', '--port', String(port), '--state-root', stateRoot], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within 150 s:\n${output.slice(-3000)}`)), 150_000);
    const check = () => {
      if (/ready: http:\/\/localhost:\d+/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm run local exited with ${code}:\n${output.slice(-3000)}`));
    });
  });
  endpoints = JSON.parse(fs.readFileSync(path.join(stateRoot, '.local', 'dev', 'endpoints.json'), 'utf8'));
  alice = await signUpAndSignIn(endpoints);
}, 240_000);

afterAll(async () => {
  alice?.s3.destroy();
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  fs.rmSync(stateRoot, { recursive: true, force: true });
});

describe('npm run local, end to end', () => {
  it('GIVEN the run is ready THEN it printed the ready line and wrote endpoints.json in the contract shapes', () => {
    expect(output).toContain(`cognito-access local (dev) ready: http://localhost:${port}`);
    expect(output).toMatch(/Not emulated \(listed only\): .*AWS::CloudFront::Distribution/);
    expect(endpoints).toMatchObject({
      web: `http://localhost:${port}`,
      api: `http://127.0.0.1:${port + 5}/v1/`,
      endpoints: {
        cognitoIdp: `http://127.0.0.1:${port + 1}`,
        cognitoIdentity: `http://127.0.0.1:${port + 2}`,
        s3: `http://127.0.0.1:${port + 3}`,
        dynamodb: `http://127.0.0.1:${port + 4}`,
      },
      itemsTable: { partitionKey: 'identityId' },
    });
    expect(endpoints.userPoolId).toMatch(new RegExp(`^${endpoints.region}_[A-Za-z0-9]{9}$`));
    expect(endpoints.userPoolClientId).toMatch(/^[a-z0-9]{26}$/);
    expect(endpoints.identityPoolId).toMatch(new RegExp(`^${endpoints.region}:[0-9a-f-]{36}$`));
    expect(alice.identityId).toMatch(new RegExp(`^${endpoints.region}:[0-9a-f-]{36}$`));
  });

  it('GIVEN a signed-up user WHEN she puts a CSV under her prefix THEN the bundled checker accepts it and GET /files lists it', async () => {
    await alice.s3.send(
      new PutObjectCommand({ Bucket: endpoints.bucket, Key: `${alice.identityId}/numbers.csv`, Body: 'id,value\n1,2\n', ContentType: 'text/csv' }),
    );
    const status = await awaitStatus(endpoints, alice.tokens.idToken, 'numbers.csv');
    expect(status).toMatchObject({ status: 'accepted', rows: 1, columns: 2 });
    const files = await fetch(`${endpoints.api}files`, { headers: { Authorization: alice.tokens.idToken } });
    expect(files.status).toBe(200);
    expect(await files.json()).toMatchObject({ identityId: alice.identityId, files: [expect.objectContaining({ name: 'numbers.csv', status: 'accepted' })] });
  });

  it('GIVEN a file that is not CSV WHEN put under her prefix THEN it is rejected and removed', async () => {
    await alice.s3.send(new PutObjectCommand({ Bucket: endpoints.bucket, Key: `${alice.identityId}/picture.csv`, Body: PNG_BYTES, ContentType: 'text/csv' }));
    expect(await awaitStatus(endpoints, alice.tokens.idToken, 'picture.csv')).toMatchObject({ status: 'rejected', reason: 'not_csv' });
    const listed = await alice.s3.send(new ListObjectsV2Command({ Bucket: endpoints.bucket, Prefix: `${alice.identityId}/picture.csv` }));
    expect(listed.Contents ?? []).toEqual([]);
  });

  it("GIVEN her credentials WHEN she writes under another identity's prefix or not-permissions/ THEN AccessDenied", async () => {
    for (const key of [`${endpoints.region}:00000000-0000-4000-8000-000000000000/x.csv`, 'not-permissions/x.csv']) {
      await expect(alice.s3.send(new PutObjectCommand({ Bucket: endpoints.bucket, Key: key, Body: 'a\n' }))).rejects.toMatchObject({ name: 'AccessDenied' });
    }
  });

  it('GIVEN her credentials WHEN she writes DynamoDB items THEN only her own partition key is allowed', async () => {
    const dynamodb = new DynamoDBClient({ region: endpoints.region, endpoint: endpoints.endpoints.dynamodb, credentials: alice.credentials, maxAttempts: 1 });
    const item = (owner: string) => ({ TableName: endpoints.itemsTable.name, Item: { identityId: { S: owner }, itemId: { S: 'one' } } });
    await dynamodb.send(new PutItemCommand(item(alice.identityId)));
    await expect(dynamodb.send(new PutItemCommand(item(`${endpoints.region}:00000000-0000-4000-8000-000000000000`)))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    dynamodb.destroy();
  });

  it('GIVEN the API WHEN GET /me with her ID token THEN 200 with her sub; without a token 401; /admin/uploads with an ID token refused', async () => {
    const me = await fetch(`${endpoints.api}me`, { headers: { Authorization: alice.tokens.idToken } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: alice.email });
    expect((await fetch(`${endpoints.api}me`)).status).toBe(401);
    expect((await fetch(`${endpoints.api}admin/uploads`, { headers: { Authorization: alice.tokens.idToken } })).status).toBe(401);
  });

  it('GIVEN the web port WHEN fetched THEN the app, its local amplify_outputs.json and the mailbox are served', async () => {
    const page = await fetch(endpoints.web.replace('localhost', '127.0.0.1'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-testid="sign-in-form"');
    const outputs = (await (await fetch(`http://127.0.0.1:${port}/amplify_outputs.json`)).json()) as Record<string, any>;
    expect(outputs.auth.user_pool_id).toBe(endpoints.userPoolId);
    expect(outputs.custom.local).toMatchObject({ running_locally: true, user_pool_endpoint: endpoints.endpoints.cognitoIdp });
    const mail = (await (await fetch(`${endpoints.mailbox.replace('localhost', '127.0.0.1')}?to=${encodeURIComponent(alice.email)}`)).json()) as unknown[];
    expect(mail[0]).toMatchObject({ to: alice.email, code: expect.stringMatching(/^\d{6}$/), sentAt: expect.any(String) });
  });

  it("GIVEN the web app's Amplify setup (local outputs, S3 bridge) WHEN Amplify signs in and uses Storage THEN the local services answer", async () => {
    const outputs = (await (await fetch(`http://127.0.0.1:${port}/amplify_outputs.json`)).json()) as AmplifyOutputs;
    const local = localRunOf(outputs)!;
    // Amplify warns about custom endpoints on every configure; that is the point here.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const realFetch = globalThis.fetch;
    const target = { bucket: outputs.storage.bucket_name, region: outputs.storage.aws_region, endpoint: local.s3_endpoint! };
    globalThis.fetch = bridgedFetch(target, async () => (await fetchAuthSession()).credentials!, realFetch);
    try {
      Amplify.configure(amplifyResources(outputs));
      const signedIn = await signIn({ username: alice.email, password: alice.password });
      expect(signedIn.isSignedIn).toBe(true);
      expect((await fetchAuthSession()).identityId).toBe(alice.identityId);
      await uploadData({ path: ({ identityId }) => `${identityId}/from-amplify.csv`, data: 'a,b\n1,2\n', options: { contentType: 'text/csv' } }).result;
      const listed = await list({ path: ({ identityId }) => `${identityId}/` });
      expect(listed.items.map((i) => i.path)).toContain(`${alice.identityId}/from-amplify.csv`);
      await expect(uploadData({ path: 'not-permissions/probe.csv', data: 'probe\n' }).result).rejects.toThrow();
      await remove({ path: `${alice.identityId}/from-amplify.csv` });
      await signOut();
    } finally {
      globalThis.fetch = realFetch;
      warn.mockRestore();
    }
  });

  it('GIVEN a user with versions, a delete marker, items and check results WHEN DELETE /me THEN nothing of her remains in S3 or DynamoDB and she cannot sign in', async () => {
    const carol = await signUpAndSignIn(endpoints);
    const prefix = `${carol.identityId}/`;
    await carol.s3.send(new PutObjectCommand({ Bucket: endpoints.bucket, Key: `${prefix}a.csv`, Body: 'x,y\n1,2\n', ContentType: 'text/csv' }));
    await carol.s3.send(new PutObjectCommand({ Bucket: endpoints.bucket, Key: `${prefix}a.csv`, Body: 'x,y\n3,4\n', ContentType: 'text/csv' }));
    await carol.s3.send(new PutObjectCommand({ Bucket: endpoints.bucket, Key: `${prefix}b.csv`, Body: 'z\n1\n', ContentType: 'text/csv' }));
    await carol.s3.send(new DeleteObjectCommand({ Bucket: endpoints.bucket, Key: `${prefix}b.csv` }));
    const items = new DynamoDBClient({ region: endpoints.region, endpoint: endpoints.endpoints.dynamodb, credentials: carol.credentials, maxAttempts: 1 });
    await items.send(new PutItemCommand({ TableName: endpoints.itemsTable.name, Item: { identityId: { S: carol.identityId }, itemId: { S: 'one' } } }));
    items.destroy();
    expect(await awaitStatus(endpoints, carol.tokens.idToken, 'a.csv')).toMatchObject({ status: 'accepted' });

    // The operator (the deployer's role) sees everything, so it can tell what is left.
    const saved = JSON.parse(fs.readFileSync(path.join(stateRoot, '.local', 'dev', OPERATOR_CREDENTIALS_FILE), 'utf8')) as Record<string, string>;
    const operator = { accessKeyId: saved.accessKeyId, secretAccessKey: saved.secretAccessKey, sessionToken: saved.sessionToken };
    const s3 = new S3Client({ region: endpoints.region, endpoint: endpoints.endpoints.s3, forcePathStyle: true, credentials: operator, maxAttempts: 1 });
    const dynamodb = new DynamoDBClient({ region: endpoints.region, endpoint: endpoints.endpoints.dynamodb, credentials: operator, maxAttempts: 1 });
    const listVersions = async () => {
      const page = await s3.send(new ListObjectVersionsCommand({ Bucket: endpoints.bucket, Prefix: prefix }));
      return [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((entry) => entry.VersionId!);
    };
    const versionsLeft = async () => (await listVersions()).length;
    const sub = JSON.parse(Buffer.from(carol.tokens.idToken.split('.')[1], 'base64url').toString('utf8')).sub as string;
    const rowsOfCarol = async () => {
      const found: Array<Record<string, { S?: string }>> = [];
      for (const table of (await dynamodb.send(new ListTablesCommand({}))).TableNames ?? []) {
        for (const item of (await dynamodb.send(new ScanCommand({ TableName: table }))).Items ?? []) {
          if (item.identityId?.S === carol.identityId || item.sub?.S === sub) found.push(item);
        }
      }
      return found;
    };
    /**
     * Version IDs of the purge's Permanently Deleted events the checker dropped for her, read from its log
     * entries on the run's output (printed as the handler's console shows objects, possibly over several lines).
     */
    const droppedPurgeEvents = () => {
      const field = (entry: string, name: string) => new RegExp(`\\b${name}['"]?:\\s*['"]([^'"]+)['"]`).exec(entry)?.[1];
      const entries = [...output.matchAll(/account deleted: event dropped['"]([^}]*)\}/g)].map((match) => match[1]);
      return new Set(
        entries
          .filter((entry) => field(entry, 'identityId') === carol.identityId && field(entry, 'deletion') === 'permanent')
          .map((entry) => field(entry, 'versionId')),
      );
    };
    const purged = await listVersions();
    expect(purged).toHaveLength(4);
    // Her item, the identity map row, and the checker's result, version records and usage.
    expect((await rowsOfCarol()).length).toBeGreaterThanOrEqual(4);

    let response = await fetch(`${endpoints.api}me`, { method: 'DELETE', headers: { Authorization: carol.tokens.idToken } });
    for (let attempt = 0; response.status === 202 && attempt < 10; attempt++) {
      response = await fetch(`${endpoints.api}me`, { method: 'DELETE', headers: { Authorization: carol.tokens.idToken } });
    }
    expect(response.status).toBe(204);
    expect(await versionsLeft()).toBe(0);
    // Wait until the checker has handled the purge's own deletion events (the queue drained for her): it
    // must drop every one, so only the account-deleted marker remains (docs/design.md, "Account deletion").
    for (const deadline = Date.now() + 30_000; purged.some((id) => !droppedPurgeEvents().has(id));) {
      if (Date.now() > deadline)
        throw new Error(`the checker did not drop the purge's events; dropped: ${[...droppedPurgeEvents()].join(', ')}\n${output.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await rowsOfCarol()).toEqual([{ identityId: { S: carol.identityId }, sk: { S: 'account#deleted' }, deletedAt: { S: expect.any(String) } }]);
    await expect(
      srpSignIn({
        userPoolId: endpoints.userPoolId,
        clientId: endpoints.userPoolClientId,
        username: carol.email,
        password: carol.password,
        endpoint: endpoints.endpoints.cognitoIdp,
      }),
    ).rejects.toThrow();
    s3.destroy();
    dynamodb.destroy();
    carol.s3.destroy();
  }, 90_000);

  it('GIVEN the running stage WHEN npm run smoke -- --local runs THEN every step of the deployed smoke test passes, the denied writes denied by policy', async () => {
    const lines: string[] = [];
    const code = await mainLocal(['--stage', 'dev'], { out: (line) => lines.push(line), err: (line) => lines.push(line) }, stateRoot);
    expect({ code, failed: lines.filter((line) => /\b(FAIL|SKIP)\b/.test(line)) }).toEqual({ code: 0, failed: [] });
    expect(lines.join('\n')).toMatch(/not-permissions/);
  }, 120_000);

  it('GIVEN SIGTERM THEN everything stops within 5 s and no handler process is left', async () => {
    const started = Date.now();
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(code).toBe(0);
    // The handler workers run from this run's cloud assembly; none may survive the parent.
    const survivors = fs
      .readdirSync('/proc')
      .filter((pid) => /^\d+$/.test(pid))
      .filter((pid) => {
        try {
          return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(stateRoot);
        } catch {
          return false;
        }
      });
    expect(survivors).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${port + 5}/v1/me`)).rejects.toThrow();
  });
});
