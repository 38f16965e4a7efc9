/**
 * The local run takes its behaviour from the synthesized template, never from
 * a second copy of the config: the same stage with another
 * passwordPolicy.minLength gives a user pool that judges the same password
 * differently. Two synths of the stage, no bundling.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CognitoIdentityProviderClient, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { LambdaInvoker } from '../../scripts/local/contracts';
import { createUserPoolService } from '../../scripts/local/cognito-idp/user-pool-service';
import { LocalMailbox } from '../../scripts/local/mailbox';
import { synthForLocal } from '../../scripts/local/synth-stage';
import { loadLocalTemplate } from '../../scripts/local/template/load-template';
import { serve, type Served } from './support/http-service';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'local-follows-'));
const dev = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'config', 'dev.json'), 'utf8'));
delete dev.$schema;

// Triggers pass every sign-up through: the password policy is the subject.
const passThrough: LambdaInvoker = {
  invoke: async (_id, event) => event,
  functionFor: (value) => (value as { 'Fn::GetAtt'?: string[] })?.['Fn::GetAtt']?.[0],
};

function poolFor(name: string, minLength: number) {
  const config = { ...dev, userPool: { ...dev.userPool, passwordPolicy: { ...dev.userPool.passwordPolicy, minLength } } };
  const synth = synthForLocal({ stage: 'dev', outdir: path.join(work, name, 'cdk.out'), config, bundling: false, rulePacks: false });
  const template = loadLocalTemplate({ assemblyDir: synth.assemblyDir, stackId: synth.stackId });
  return createUserPoolService({ template, mailbox: new LocalMailbox(), lambda: passThrough, stateDir: path.join(work, name), port: 0 });
}

const strict = poolFor('strict', 16);
const relaxed = poolFor('relaxed', 8);
let served: Served[] = [];

beforeAll(async () => {
  served = await Promise.all([serve(strict), serve(relaxed)]);
});

afterAll(async () => {
  await Promise.all(served.map((s) => s.close()));
  fs.rmSync(work, { recursive: true, force: true });
});

async function signUp(index: number, password: string): Promise<string> {
  const pool = [strict, relaxed][index];
  const client = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: served[index].endpoint,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
    maxAttempts: 1,
  });
  try {
    const email = `user-${index}@example.com`;
    await client.send(
      new SignUpCommand({ ClientId: Object.values(pool.clientIds)[0], Username: email, Password: password, UserAttributes: [{ Name: 'email', Value: email }] }),
    );
    return 'accepted';
  } catch (error) {
    return (error as Error).name;
  } finally {
    client.destroy();
  }
}

test('GIVEN two synths of a stage that differ only in passwordPolicy.minLength WHEN the same 12-character password signs up THEN only the relaxed pool accepts it', async () => {
  const password = 'Abcdef-12345';
  expect(await signUp(0, password)).toBe('InvalidPasswordException');
  expect(await signUp(1, password)).toBe('accepted');
});
