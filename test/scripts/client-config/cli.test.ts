import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../scripts/client-config/cli';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'cdk-outputs.json');

let workDir: string;
beforeEach(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-config-cli-'));
});
afterEach(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = path.join(workDir, name);
  fs.writeFileSync(file, text);
  return file;
}

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const withoutIdentityPool = () => {
  const { IdentityPoolId: _dropped, ...rest } = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'))['CognitoAccess-dev'];
  return JSON.stringify({ 'CognitoAccess-dev': rest });
};

describe('client-config CLI', () => {
  test.each([['--help'], ['-h']])('GIVEN %s WHEN the CLI runs THEN it prints the usage and exits 0 without touching anything', async (flag) => {
    const { code, out, err } = await run([flag]);
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual([expect.stringMatching(/^Usage: .*--stage <stage> --outputs <cdk-outputs\.json>/)]);
  });

  test.each([
    ['no outputs file', () => ['--stage', 'dev', '--outputs', path.join(workDir, 'absent.json')], /absent\.json: file not found/],
    [
      'an outputs file that is not JSON',
      () => ['--stage', 'dev', '--outputs', write('bad.json', '{ "CognitoAccess-dev": ')],
      /bad\.json: expected the JSON written by `cdk deploy --outputs-file`, found invalid JSON/,
    ],
    ['a JSON array', () => ['--stage', 'dev', '--outputs', write('array.json', '[]')], /expected an object keyed by stack name, found \[\]/],
    [
      "no entry for the stage's stack",
      () => ['--stage', 'dev', '--outputs', write('other.json', '{"SomeOtherStack":{}}')],
      /no outputs for stack "CognitoAccess-dev" \(found "SomeOtherStack"\)/,
    ],
    [
      'a required output missing',
      () => ['--stage', 'dev', '--outputs', write('partial.json', withoutIdentityPool())],
      /CognitoAccess-dev: missing output IdentityPoolId;/,
    ],
    ['no --outputs flag', () => ['--stage', 'dev'], /missing --outputs\. Usage: client-config/],
    ['an unknown flag', () => ['--stage', 'dev', '--outputs', FIXTURE, '--region', 'x'], /Unknown option '--region'.*Usage: client-config/],
    ['an unknown stage', () => ['--stage', 'qa', '--outputs', FIXTURE], /^Invalid stage config: .*qa\.json: file not found/],
  ])('GIVEN %s WHEN the CLI runs THEN it prints one clear line and exits 1', async (_name, argv, message) => {
    const { code, out, err } = await run(argv());

    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });

  test('GIVEN a good outputs file WHEN the CLI runs THEN it writes the file and exits 0', async () => {
    const outFile = path.join(workDir, 'nested', 'amplify_outputs.json');

    const { code, err } = await run(['--stage', 'dev', '--outputs', FIXTURE, '--out', outFile]);

    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(JSON.parse(fs.readFileSync(outFile, 'utf8')).auth.user_pool_id).toBe('eu-central-1_DevPool01');
  });

  test('GIVEN a stage file with its own upload limit and types WHEN the CLI runs THEN the written file carries them for the web app', async () => {
    const configDir = fs.mkdtempSync(path.join(workDir, 'config-'));
    const dev = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'config', 'dev.json'), 'utf8'));
    delete dev.$schema;
    fs.writeFileSync(
      path.join(configDir, 'dev.json'),
      JSON.stringify({ ...dev, storage: { maxUploadBytes: 4096, allowedContentTypes: ['text/csv', 'text/plain'] } }),
    );
    const outFile = path.join(workDir, 'amplify_outputs.json');

    const { code, err } = await run(['--stage', 'dev', '--outputs', FIXTURE, '--out', outFile, '--config-dir', configDir]);

    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(JSON.parse(fs.readFileSync(outFile, 'utf8')).custom.cognito_access).toMatchObject({
      max_upload_bytes: 4096,
      allowed_content_types: ['text/csv', 'text/plain'],
    });
  });

  test('GIVEN a missing outputs file WHEN run as a process with tsx THEN stderr is one line without a stack trace and the exit code is 1', () => {
    const result = spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/client-config/cli.ts', '--stage', 'dev', '--outputs', 'does-not-exist.json'],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );

    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'Error: does-not-exist.json: file not found; write it with `npx cdk deploy -c stage=<stage> --outputs-file does-not-exist.json`',
    ]);
  });
});
