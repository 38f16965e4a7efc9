/**
 * The smoke CLI end to end with the real wiring: SDK client classes mocked
 * with aws-sdk-client-mock, the SRP sign-in module mocked, and global fetch
 * replaced by the fake API. Nothing reaches AWS or the network.
 */
import * as path from 'node:path';
import { AdminDeleteUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import 'aws-sdk-client-mock-jest';
import { main } from '../../../scripts/smoke/cli';
import { srpSignIn } from '../../../scripts/smoke/srp-sign-in';
import { fakeStage, ID_TOKEN } from './fake-stage';

jest.mock('../../../scripts/smoke/srp-sign-in', () => ({ srpSignIn: jest.fn() }));

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'cdk-outputs.json');
const DEV_API_URL = 'https://dev0api01.execute-api.eu-central-1.amazonaws.com/prod/';
const realFetch = globalThis.fetch;

let stage: ReturnType<typeof fakeStage>;
beforeEach(() => {
  stage = fakeStage({ classLevel: true, apiUrl: DEV_API_URL });
  globalThis.fetch = stage.http.fetch as unknown as typeof fetch;
  jest.mocked(srpSignIn).mockReset().mockResolvedValue({ idToken: ID_TOKEN, accessToken: 'a', refreshToken: 'r' });
});
afterEach(() => {
  stage.restore();
  globalThis.fetch = realFetch;
});

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('smoke CLI', () => {
  test.each([['--help'], ['-h']])('GIVEN %s WHEN the CLI runs THEN it prints the usage and exits 0 without touching anything', async (flag) => {
    const { code, out, err } = await run([flag]);
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual([expect.stringMatching(/^Usage: .*--stage <stage> --outputs <cdk-outputs\.json>/)]);
  });

  test('GIVEN a healthy deployed dev stage WHEN the CLI runs THEN every line is PASS and it exits 0', async () => {
    const { code, out, err } = await run(['--stage', 'dev', '--outputs', FIXTURE]);

    expect(err).toEqual([]);
    expect(out[0]).toBe('Smoke test of CognitoAccess-dev in eu-central-1');
    expect(out.filter((l) => /^(PASS|FAIL|SKIP) /.test(l)).every((l) => l.startsWith('PASS'))).toBe(true);
    expect(out.at(-1)).toBe('Smoke test PASSED: 11/11 steps, cleanup complete');
    expect(code).toBe(0);
    expect(jest.mocked(srpSignIn)).toHaveBeenCalledWith(
      expect.objectContaining({ userPoolId: 'eu-central-1_DevPool01', clientId: '1example23456789devclient0' }),
    );
  });

  test('GIVEN the API rejects the token WHEN the CLI runs THEN it exits 1 after cleaning up', async () => {
    stage.http.overrides.set('GET /files', () => new Response('{"error":{"code":"Unauthorized","message":"no"}}', { status: 401 }));

    const { code, out } = await run(['--stage', 'dev', '--outputs', FIXTURE]);

    expect(code).toBe(1);
    expect(out.find((l) => l.includes(' 8/11 '))).toMatch(/^FAIL .*GET \/files: expected 200, got 401 Unauthorized: no/);
    expect(stage.idp).toHaveReceivedCommand(AdminDeleteUserCommand);
    expect(out.at(-1)).toBe('Smoke test FAILED: step 8 failed, step 9 skipped');
  });

  test("GIVEN an outputs file without the stage's stack WHEN the CLI runs THEN it prints one line, calls nothing and exits 1", async () => {
    const { code, out, err } = await run(['--stage', 'qa', '--outputs', FIXTURE, '--config-dir', path.join(__dirname, '..', 'fixtures', 'config')]);

    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([expect.stringMatching(/no outputs for stack "CognitoAccess-qa" \(found "CognitoAccess-dev", "CognitoAccess-prod"\)/)]);
    expect(jest.mocked(srpSignIn)).not.toHaveBeenCalled();
  });
});
