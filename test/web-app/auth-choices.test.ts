/**
 * The page offers only the journeys a stage enables, read from the
 * `amplify_outputs.json` the project's builder writes (web/src/auth-choices.ts):
 * nothing is hard-coded, and SMS, which the page cannot offer, is flagged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseStageConfig } from '../../lib/config/load-stage-config';
import type { StageConfigInput } from '../../lib/config/stage-config';
import { buildAmplifyOutputs } from '../../lib/client-config/build-amplify-outputs';
import { authChoicesOf } from '../../web/src/auth-choices';

const OUTPUTS = {
  UserPoolId: 'eu-west-1_Abc',
  UserPoolClientId: 'client123',
  IdentityPoolId: 'eu-west-1:00000000-0000-0000-0000-000000000001',
  Region: 'eu-west-1',
  BucketName: 'bucket-1',
  TableName: 'table-1',
  ApiUrl: 'https://api1.execute-api.eu-west-1.amazonaws.com/prod/',
};
const BASE: StageConfigInput = { webClient: { callbackUrls: ['https://app.example.net/cb'], logoutUrls: ['https://app.example.net/'] } };

const choicesFor = (config: StageConfigInput) =>
  authChoicesOf(
    buildAmplifyOutputs({ stage: 'test', stackName: 'CognitoAccess-test', config: parseStageConfig(config, 'config/test.json'), outputs: OUTPUTS }),
  );

describe('authChoicesOf', () => {
  test('GIVEN the dev stage file WHEN its outputs are read THEN sign-up, passkeys and optional TOTP are on and email codes and SMS are off', () => {
    const dev = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'config', 'dev.json'), 'utf8')) as StageConfigInput & { $schema?: string };
    delete dev.$schema;

    expect(choicesFor(dev)).toMatchObject({
      selfSignUp: true,
      passkeySignIn: true,
      emailCodeSignIn: false,
      smsCodeSignIn: false,
      mfaMode: 'OPTIONAL',
      mfaMethods: ['TOTP'],
      passwordPolicy: expect.objectContaining({ min_length: 12 }),
    });
  });

  test('GIVEN a stage without self sign-up and with password only WHEN read THEN the page offers neither "Create an account" nor a passwordless button', () => {
    expect(choicesFor(BASE)).toMatchObject({ selfSignUp: false, passkeySignIn: false, emailCodeSignIn: false });
  });

  test('GIVEN a stage with SMS MFA and SMS and email codes WHEN read THEN email codes are offered and SMS is reported, for the page to say it cannot offer it', () => {
    const choices = choicesFor({
      ...BASE,
      region: 'eu-west-1',
      userPool: {
        mfa: { mode: 'optional', sms: true, totp: true },
        email: { sesFromAddress: 'no-reply@example.net' },
        signIn: { firstFactors: ['password', 'emailOtp', 'smsOtp'] },
      },
    });

    expect(choices).toMatchObject({ emailCodeSignIn: true, smsCodeSignIn: true, mfaMethods: ['SMS', 'TOTP'] });
  });
});
