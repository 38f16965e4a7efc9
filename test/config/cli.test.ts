/**
 * End to end through the real app entry: a bad stage file makes synth exit 1
 * with one line per problem naming the file and field, and no stack trace.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cdkJsonContext, REPO_ROOT } from '../support/synth';

const STACK_FRAME = /\bat\s.+:\d+:\d+/;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The config file as bin/ names it (relative to the repository root, where it runs). */
  readonly shownFile: string;
  readonly outdir: string;
}

const validWebClient = { callbackUrls: ['https://app.example.org/auth/callback'], logoutUrls: ['https://app.example.org/'] };

const BAD_CONFIGS = {
  unknownKey: { webClient: validWebClient, userPool: { mfa: { mode: 'optional', smsEnabled: true } } },
  badDomainPrefix: { webClient: validWebClient, domain: { prefix: 'My-Cognito-App' } },
  exampleCallback: { webClient: { ...validWebClient, callbackUrls: ['https://example.com'] } },
  // Once crashed validation with a TypeError (and a stack trace) instead of a config error.
  notAUrl: { webClient: { ...validWebClient, logoutUrls: ['app.example.org/'] } },
  // Valid for the schema; UserDirectory owns this rule (docs/design.md, "Stage configuration").
  passkeysWithoutRelyingParty: { webClient: validWebClient, userPool: { signIn: { firstFactors: ['password', 'passkey'] } } },
  // Valid for the schema; only the stack can tell the path names nothing.
  unknownAckPath: {
    removal: 'destroy',
    webClient: validWebClient,
    acknowledgements: [{ id: 'AwsSolutions-COG2', reason: 'a reason long enough to count', path: 'NoSuchConstruct' }],
  },
};

const tempDirs: string[] = [];

/** `cdk synth -c stage=bad -c configDir=<dir>` without the CLI: the app reads CDK_CONTEXT_JSON itself. */
function synthWithConfig(config: unknown): Promise<Run> {
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-config-'));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-out-'));
  tempDirs.push(configDir, outdir);
  const file = path.join(configDir, 'bad.json');
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  // cdk.json's context, as the CLI passes it; no bundling (a bad config must fail before any).
  const context = { ...cdkJsonContext(), stage: 'bad', configDir, 'aws:cdk:bundling-stacks': [] };
  const env = { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir };
  return new Promise((resolve, reject) => {
    // As cdk.json runs the app: `node --import tsx`, one process where the tsx binary starts two.
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/cognito-access.ts'], { cwd: REPO_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr, outdir, shownFile: path.relative(REPO_ROOT, file).split(path.sep).join('/') }));
  });
}

describe('bin/cognito-access.ts with a bad stage file', () => {
  let runs: Record<keyof typeof BAD_CONFIGS, Run>;

  beforeAll(async () => {
    const keys = Object.keys(BAD_CONFIGS) as Array<keyof typeof BAD_CONFIGS>;
    const results = await Promise.all(keys.map((key) => synthWithConfig(BAD_CONFIGS[key])));
    runs = Object.fromEntries(keys.map((key, i) => [key, results[i]])) as typeof runs;
  }, 60_000);

  afterAll(() => {
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  test.each<[keyof typeof BAD_CONFIGS, string, RegExp]>([
    ['unknownKey', 'userPool.mfa.smsEnabled', /expected no such key .*; found true$/],
    ['badDomainPrefix', 'domain.prefix', /expected a Cognito domain prefix: .*; found "My-Cognito-App"$/],
    [
      'exampleCallback',
      'webClient.callbackUrls[0]',
      /expected a real URL of your app, not the CDK placeholder https:\/\/example\.com; found "https:\/\/example\.com"$/,
    ],
    ['notAUrl', 'webClient.logoutUrls[0]', /expected an absolute URL; found "app\.example\.org\/"$/],
  ])('GIVEN a config with %s WHEN synthesized THEN it exits 1 with one line naming the file and %s', (key, field, detail) => {
    const run = runs[key];
    const lines = run.stderr.split('\n').filter((line) => line.trim() !== '');

    expect(run.status).toBe(1);
    expect(lines).toEqual([expect.stringContaining(`${run.shownFile}: ${field}: `)]);
    expect(lines[0]).toMatch(/^Invalid stage config: /);
    expect(lines[0]).toMatch(detail);
    expect(run.shownFile).toMatch(/bad\.json$/);
  });

  test('GIVEN an acknowledgement whose path names no construct WHEN synthesized THEN it exits 1 with one line naming the file and the field', () => {
    const run = runs.unknownAckPath;
    const lines = run.stderr.split('\n').filter((line) => line.trim() !== '');
    expect(run.status).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^Invalid stage config: .*${run.shownFile.split('/').pop()}: .*acknowledgements\\[0\\]\\.path "NoSuchConstruct" names no construct`),
      ),
    ]);
  });

  test('GIVEN a config that breaks a rule a construct owns WHEN synthesized THEN it exits 1 with one line naming the file, the construct and the prop', () => {
    const run = runs.passkeysWithoutRelyingParty;
    const lines = run.stderr.split('\n').filter((line) => line.trim() !== '');
    expect(run.status).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Invalid stage config: .*${run.shownFile.split('/').pop()}: CognitoAccess-bad/UserDirectory: Passkeys need a relying party: set passkeyRelyingPartyId`,
        ),
      ),
    ]);
  });

  test('GIVEN any of the bad configs WHEN synthesized THEN no stack trace is printed and no template is written', () => {
    for (const run of Object.values(runs)) {
      expect(run.stderr).not.toMatch(STACK_FRAME);
      expect(run.stdout).not.toMatch(STACK_FRAME);
      expect(fs.readdirSync(run.outdir).filter((file) => file.endsWith('.template.json'))).toEqual([]);
    }
  });
});
