/**
 * The shared harness of the browser tests: the dev stage under `npm run local`
 * (docs/local.md: bundled synth, real handlers, every call judged by the
 * template's policies) and headless Chromium talking to it over the real
 * network stack. One local run per test file:
 *
 *   let stage: LocalStage;
 *   beforeAll(async () => (stage = await startLocalStage()), LOCAL_STAGE_TIMEOUT_MS);
 *   afterAll(() => stage?.stop());
 *   afterEach(() => expect(stage.takeProblems()).toEqual([]));
 *
 * Port: each run takes a free run of six ports. The dev stage's CORS origins
 * and callback URLs name http://localhost:5173, and the local services answer
 * CORS exactly as the template says, so the run is synthesized from a copy of
 * config/dev.json whose `http://localhost:5173` is replaced by the run's own
 * origin (a config override, as a developer on another port would write it),
 * never by loosening the emulator. Files run one after another (--runInBand).
 * `startLocalStage({ port: 5173 })` takes the documented port instead (the
 * screenshots do, so they show the URLs a developer sees).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CognitoIdentityProviderClient, ConfirmSignUpCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { OPERATOR_CREDENTIALS_FILE, type LocalEndpoints } from '../../../scripts/local/local-endpoints';
import { freePortRun } from '../../local/support/free-ports';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** The origin config/dev.json names for the web app. */
const DEV_ORIGIN = 'http://localhost:5173';
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const CHROME_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--lang=en-US',
];

/** For beforeAll: a bundled synth takes 20-60 s alone, more on a busy 2-core machine. */
export const LOCAL_STAGE_TIMEOUT_MS = 300_000;

export interface MailboxMessage {
  readonly to: string;
  readonly subject: string;
  readonly body: string;
  readonly code?: string;
  readonly sentAt: string;
}

export interface NewPageOptions {
  /** Console errors a test provokes on purpose (e.g. `Failed to load resource … 400` from a refused sign-in); others are problems. */
  readonly allowConsoleError?: (text: string, url: string) => boolean;
}

export interface LocalStage {
  readonly endpoints: LocalEndpoints;
  /** The web app's origin, `http://localhost:<port>`. */
  readonly origin: string;
  /** S3 and DynamoDB as the account's operator (not judged by the template's policies): to inspect or seed state. */
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  /** The local run's console output so far (handler logs included). */
  output(): string;
  /** A new tab (1000×760) whose page errors, unexpected console errors and CSP violations are recorded as problems. */
  newPage(options?: NewPageOptions): Promise<Page>;
  /** Problems recorded since the last call, cleared. */
  takeProblems(): string[];
  /** The mailbox for `to`, oldest first. */
  mailbox(to: string): Promise<MailboxMessage[]>;
  /** The newest code sent to `to`, waiting up to 5 s for it. */
  latestCode(to: string): Promise<string>;
  /** Signs a user up and confirms it with the mailed code (Cognito API, not the page). */
  signUpAndConfirm(email: string, password: string): Promise<void>;
  /** Closes Chromium and stops the local run (and its handler processes). */
  stop(): Promise<void>;
}

/** The dev stage file with the web origin moved to `origin`, in a temp config directory. */
function devConfigFor(origin: string, dir: string, editConfig?: LocalStageOptions['editConfig']): string {
  const source = fs.readFileSync(path.join(REPO_ROOT, 'config', 'dev.json'), 'utf8');
  if (!source.includes(DEV_ORIGIN)) throw new Error(`config/dev.json no longer names ${DEV_ORIGIN}; update test/browser/support/local-stage.ts`);
  const config = JSON.parse(source.split(DEV_ORIGIN).join(origin)) as Record<string, unknown>;
  editConfig?.(config);
  fs.writeFileSync(path.join(dir, 'dev.json'), JSON.stringify(config, null, 2));
  return dir;
}

export interface LocalStageOptions {
  /** Changes the copy of config/dev.json before the synth (e.g. the storage limits a test checks). @default no change */
  readonly editConfig?: (config: Record<string, unknown>) => void;
  /** The web port (the services take the next five); it must be free. @default a free run of six ports */
  readonly port?: number;
}

async function startRun(port: number, configDir: string, stateRoot: string): Promise<{ child: ChildProcess; endpoints: LocalEndpoints; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'local-stage-process.ts'), String(port), configDir, stateRoot], {
    cwd: REPO_ROOT,
    // stdin stays open as the child's lifeline (see local-stage-process.ts).
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const endpoints = await new Promise<LocalEndpoints>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`local run not ready within ${LOCAL_STAGE_TIMEOUT_MS - 20_000} ms:\n${output.slice(-3000)}`)),
      LOCAL_STAGE_TIMEOUT_MS - 20_000,
    );
    const onData = () => {
      const ready = /^READY (.*)$/m.exec(output);
      if (!ready) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve(JSON.parse(ready[1]) as LocalEndpoints);
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local run exited with ${code}:\n${output.slice(-3000)}`));
    });
  });
  return { child, endpoints, output: () => output };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  // The run stops within 5 s (docs/local.md); past that, kill it.
  const timer = setTimeout(() => child.kill('SIGKILL'), 6_000);
  await exited;
  clearTimeout(timer);
}

export async function startLocalStage(options: LocalStageOptions = {}): Promise<LocalStage> {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-local-'));
  const port = options.port ?? (await freePortRun(6));
  const origin = `http://localhost:${port}`;
  const configDir = devConfigFor(origin, fs.mkdtempSync(path.join(temp, 'config-')), options.editConfig);
  const stateRoot = fs.mkdtempSync(path.join(temp, 'state-'));
  let run: Awaited<ReturnType<typeof startRun>> | undefined;
  let browser: Browser | undefined;
  const cleanUp = async () => {
    await browser?.close().catch(() => undefined);
    if (run) await stopChild(run.child);
    fs.rmSync(temp, { recursive: true, force: true });
  };
  try {
    run = await startRun(port, configDir, stateRoot);
    // Over a pipe, Chromium exits with this process even when it is killed before stop().
    browser = await puppeteer.launch({
      executablePath: CHROME,
      headless: true,
      pipe: true,
      args: CHROME_FLAGS,
      userDataDir: fs.mkdtempSync(path.join(temp, 'chromium-')),
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const { endpoints } = run;
  const operator = JSON.parse(fs.readFileSync(path.join(stateRoot, '.local', 'dev', OPERATOR_CREDENTIALS_FILE), 'utf8')) as {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string;
  };
  const credentials = { accessKeyId: operator.accessKeyId, secretAccessKey: operator.secretAccessKey, sessionToken: operator.sessionToken };
  const s3 = new S3Client({ region: endpoints.region, endpoint: endpoints.endpoints.s3, forcePathStyle: true, credentials, maxAttempts: 1 });
  const dynamodb = new DynamoDBClient({ region: endpoints.region, endpoint: endpoints.endpoints.dynamodb, credentials, maxAttempts: 1 });
  const problems: string[] = [];

  const mailbox = async (to: string) => (await (await fetch(`${endpoints.mailbox}?to=${encodeURIComponent(to)}`)).json()) as MailboxMessage[];
  const latestCode = async (to: string) => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const code = (await mailbox(to)).filter((m) => m.code).pop()?.code;
      if (code) return code;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no code in the mailbox for ${to}`);
  };

  return {
    endpoints,
    origin,
    s3,
    dynamodb,
    output: () => run.output(),
    async newPage(options = {}) {
      const page = await browser.newPage();
      await page.setViewport({ width: 1000, height: 760, deviceScaleFactor: 1 });
      page.on('pageerror', (error) => problems.push(`page error: ${(error as Error).message}`));
      page.on('console', (message) => {
        const url = message.location().url ?? '';
        if (message.type() === 'error' && !options.allowConsoleError?.(message.text(), url)) problems.push(`console error: ${message.text()} (${url})`);
      });
      // CDP-injected, so not subject to the page's CSP; reports every violation as a console error too.
      await page.evaluateOnNewDocument(() => {
        document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`));
      });
      return page;
    },
    takeProblems: () => problems.splice(0),
    mailbox,
    latestCode,
    async signUpAndConfirm(email, password) {
      const idp = new CognitoIdentityProviderClient({
        region: endpoints.region,
        endpoint: endpoints.endpoints.cognitoIdp,
        credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
      });
      try {
        await idp.send(
          new SignUpCommand({ ClientId: endpoints.userPoolClientId, Username: email, Password: password, UserAttributes: [{ Name: 'email', Value: email }] }),
        );
        await idp.send(new ConfirmSignUpCommand({ ClientId: endpoints.userPoolClientId, Username: email, ConfirmationCode: await latestCode(email) }));
      } finally {
        idp.destroy();
      }
    },
    async stop() {
      s3.destroy();
      dynamodb.destroy();
      await cleanUp();
    },
  };
}
