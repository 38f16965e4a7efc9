/**
 * `npm run guard` end to end on the real prod stage (synthesized once for the
 * file): against a template file, against the deployed stack (CloudFormation
 * and STS mocked), with the stage file's acknowledgements, and on bad input.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudFormationClient, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CONFIG_DIR, loadStageConfig } from '../../lib/config/load-stage-config';
import { main, type GuardDeps } from '../../scripts/guard/cli';
import type { CfnTemplate } from '../../scripts/guard/compare-templates';
import { synthStageTemplate, type EnvOverride } from '../../scripts/guard/synth-stage-template';

const STAGE = 'prod';
const TABLE = 'IdentityStorageTable2EC1910F';
const USER_POOL = 'UserDirectoryUserPoolD2758A4E';

// One synthesis for the whole file; every run of main() reuses it.
const synthesized = synthStageTemplate(STAGE, loadStageConfig(STAGE));
const synthCalls: EnvOverride[] = [];
const synth: GuardDeps['synth'] = (_stage, _config, env) => {
  synthCalls.push(env);
  return structuredClone(synthesized);
};

const cloudFormation = mockClient(CloudFormationClient);
const sts = mockClient(STSClient);
const deps: Partial<GuardDeps> = {
  synth,
  cloudFormation: () => new CloudFormationClient({ region: 'eu-west-1' }),
  sts: () => new STSClient({ region: 'eu-west-1' }),
};

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempFile(name: string, content: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
  tempDirs.push(dir);
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}

/** The synthesized template as a released one that differs by `edit` (what the release had). */
function released(edit: (resources: Record<string, any>) => void = () => undefined): CfnTemplate {
  const copy = structuredClone(synthesized) as { Resources: Record<string, any> };
  edit(copy.Resources);
  return copy;
}

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, deps);
  return { code, out, err };
}

/** A copy of config/ whose prod.json carries extra acknowledgements. */
function configDirWith(acknowledgements: unknown[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-config-'));
  tempDirs.push(dir);
  const prod = JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, `${STAGE}.json`), 'utf8'));
  prod.acknowledgements = [...(prod.acknowledgements ?? []), ...acknowledgements];
  fs.writeFileSync(path.join(dir, `${STAGE}.json`), JSON.stringify(prod));
  return dir;
}

beforeEach(() => {
  cloudFormation.reset();
  sts.reset();
});

describe('npm run guard -- --against <file>', () => {
  test('GIVEN the release template equal to the new synth WHEN guarded THEN it exits 0 and says so', async () => {
    const { code, out } = await run(['--stage', STAGE, '--against', tempFile('prod.template.json', released())]);

    expect(code).toBe(0);
    expect(out.at(-1)).toBe('PASS no stateful resource loses data.');
  });

  test('GIVEN a release whose items table had another key WHEN guarded THEN it exits 1 naming the table, KeySchema and every item', async () => {
    const file = tempFile(
      'prod.template.json',
      released((r) => (r[TABLE].Properties.KeySchema = [{ AttributeName: 'owner', KeyType: 'HASH' }])),
    );

    const { code, out } = await run(['--stage', STAGE, '--against', file]);

    expect(code).toBe(1);
    expect(out).toContainEqual(
      expect.stringMatching(new RegExp(`^FAIL ${TABLE} \\(table, AWS::DynamoDB::GlobalTable\\) would be REPLACED by KeySchema: .*every item`)),
    );
    expect(out.at(-1)).toMatch(/^Result: 1 stateful resource would lose data\. .*config\/prod\.json\.$/);
  });

  test('GIVEN a release whose user pool had another logical ID WHEN guarded THEN it exits 1: the released pool is orphaned, every user and password lost', async () => {
    const file = tempFile(
      'prod.template.json',
      released((r) => {
        r.UserPoolBeforeTheMove = r[USER_POOL];
        delete r[USER_POOL];
      }),
    );

    const { code, out } = await run(['--stage', STAGE, '--against', file]);

    expect(code).toBe(1);
    expect(out).toContainEqual(
      expect.stringMatching(/^FAIL UserPoolBeforeTheMove \(user pool, AWS::Cognito::UserPool\) would be ORPHANED: .*every user and password/),
    );
  });

  test('GIVEN the table replacement acknowledged in the stage file WHEN guarded THEN it exits 0, with the reason shown and a stale acknowledgement warned about', async () => {
    const file = tempFile(
      'prod.template.json',
      released((r) => (r[TABLE].Properties.KeySchema = [{ AttributeName: 'owner', KeyType: 'HASH' }])),
    );
    const configDir = configDirWith([
      { replacement: TABLE, reason: 'Items move to the new key; the old table is kept and re-imported.' },
      { replacement: 'NoLongerReplaced1234', reason: 'From the release before this one, now stale.' },
    ]);

    const { code, out } = await run(['--stage', STAGE, '--against', file, '--config-dir', configDir]);

    expect(code).toBe(0);
    expect(out).toContainEqual(expect.stringMatching(new RegExp(`^OK   ${TABLE} .* Acknowledged in .*prod\\.json: Items move to the new key`)));
    expect(out).toContainEqual(expect.stringMatching(/^WARN .*prod\.json: acknowledgement of replacement "NoLongerReplaced1234" matches nothing/));
  });

  test('GIVEN a missing template file or a missing flag WHEN guarded THEN one error line and exit 1', async () => {
    const missing = await run(['--stage', STAGE, '--against', 'release/nope.template.json']);
    const noAgainst = await run(['--stage', STAGE]);

    expect([missing.code, noAgainst.code]).toEqual([1, 1]);
    expect(missing.err).toEqual([expect.stringMatching(/^Error: --against: .*release\/nope\.template\.json not found/)]);
    expect(noAgainst.err).toEqual([expect.stringMatching(/^Error: missing --against\. Usage: guard /)]);
  });
});

describe('npm run guard -- --against deployed', () => {
  const ROLE = 'arn:aws:iam::333333333333:role/cdk-hnb659fds-lookup-role-333333333333-eu-west-1';

  test('GIVEN a deployed stack WHEN guarded with --role-arn THEN it reads the Original template as a session limited to that one stack, and compares', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'AKIA', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date() } });
    cloudFormation.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(released((r) => delete r[USER_POOL])) });

    const { code, out } = await run(['--stage', STAGE, '--against', 'deployed', '--role-arn', ROLE, '--account', '333333333333']);

    expect(cloudFormation).toHaveReceivedCommandWith(GetTemplateCommand, { StackName: 'CognitoAccess-prod', TemplateStage: 'Original' });
    const policy = JSON.parse(sts.commandCalls(AssumeRoleCommand)[0].args[0].input.Policy as string);
    expect(policy.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['cloudformation:GetTemplate', 'cloudformation:DescribeStacks'],
        Resource: 'arn:aws:cloudformation:eu-west-1:333333333333:stack/CognitoAccess-prod/*',
      },
    ]);
    expect(synthCalls.at(-1)).toEqual({ account: '333333333333', region: undefined });
    // The deployed stack has no user pool in this made-up case, so nothing is lost.
    expect(code).toBe(0);
    expect(out[0]).toBe('Release guard: CognitoAccess-prod (stage prod) against the deployed stack in eu-west-1');
  });

  test("GIVEN a deployed stack whose table had another key WHEN guarded with the caller's credentials THEN it exits 1 without assuming a role", async () => {
    cloudFormation
      .on(GetTemplateCommand)
      .resolves({ TemplateBody: JSON.stringify(released((r) => (r[TABLE].Properties.KeySchema = [{ AttributeName: 'owner', KeyType: 'HASH' }]))) });

    const { code, out } = await run(['--stage', STAGE, '--against', 'deployed']);

    expect(code).toBe(1);
    expect(sts).not.toHaveReceivedCommand(AssumeRoleCommand);
    expect(out).toContainEqual(expect.stringMatching(new RegExp(`^FAIL ${TABLE} `)));
  });

  test('GIVEN no such stack yet WHEN guarded THEN it passes: a first deploy loses nothing', async () => {
    cloudFormation.on(GetTemplateCommand).rejects(Object.assign(new Error('Stack with id CognitoAccess-prod does not exist'), { name: 'ValidationError' }));

    const { code, out } = await run(['--stage', STAGE, '--against', 'deployed']);

    expect(code).toBe(0);
    expect(out).toContain('NOTE CognitoAccess-prod is not deployed yet: a first deploy loses nothing.');
  });

  test('GIVEN an access error from CloudFormation WHEN guarded THEN one error line and exit 1 (never a pass)', async () => {
    cloudFormation
      .on(GetTemplateCommand)
      .rejects(Object.assign(new Error('User is not authorized to perform: cloudformation:GetTemplate'), { name: 'AccessDenied' }));

    const { code, err } = await run(['--stage', STAGE, '--against', 'deployed']);

    expect(code).toBe(1);
    expect(err).toEqual(['Error: AccessDenied: User is not authorized to perform: cloudformation:GetTemplate']);
  });
});
