/**
 * The generated amplify_outputs.json goes through the real aws-amplify v6
 * `Amplify.configure()`, and `Amplify.getConfig()` shows what an app gets.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Amplify } from 'aws-amplify';
import { main } from '../../../scripts/client-config/cli';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'cdk-outputs.json');
const fixture = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));

let workDir: string;
beforeEach(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-config-'));
});
afterEach(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

/** Runs the CLI as `npm run client-config` would and returns the written file. */
async function generate(stage: string): Promise<Record<string, any>> {
  const out = path.join(workDir, 'amplify_outputs.json');
  const lines: string[] = [];
  const code = await main(['--stage', stage, '--outputs', FIXTURE, '--out', out], { out: (l) => lines.push(l), err: (l) => lines.push(l) });
  expect({ code, lines }).toEqual({ code: 0, lines: [expect.stringContaining(`for stack CognitoAccess-${stage}`)] });
  return JSON.parse(fs.readFileSync(out, 'utf8'));
}

describe.each(['dev', 'prod'])('GIVEN the deployed outputs of stage %s', (stage) => {
  const deployed = fixture[`CognitoAccess-${stage}`];

  test('WHEN Amplify.configure() reads the generated file THEN getConfig() returns the user pool, client and identity pool', async () => {
    Amplify.configure(await generate(stage));

    const cognito = Amplify.getConfig().Auth?.Cognito;
    expect(cognito).toMatchObject({
      userPoolId: deployed.UserPoolId,
      userPoolClientId: deployed.UserPoolClientId,
      identityPoolId: deployed.IdentityPoolId,
      loginWith: expect.objectContaining({ email: true, phone: false, username: false }),
      userAttributes: { email: { required: true } },
    });
    // No guest access: the identity pool has no unauthenticated role.
    expect(cognito?.allowGuestAccess).toBeUndefined();
  });

  test('WHEN Amplify.configure() reads the generated file THEN getConfig() returns the bucket with the own-prefix rule', async () => {
    Amplify.configure(await generate(stage));

    expect(Amplify.getConfig().Storage?.S3).toEqual({
      bucket: deployed.BucketName,
      region: deployed.Region,
      buckets: {
        files: {
          bucketName: deployed.BucketName,
          region: deployed.Region,
          paths: { '{entity_id}/*': { entityidentity: ['get', 'list', 'write', 'delete'] } },
        },
      },
    });
  });

  test('WHEN the app spreads custom.API into API.REST THEN getConfig() returns the REST endpoint', async () => {
    const outputs = await generate(stage);
    Amplify.configure(outputs);
    // Amplify reads only custom.events itself; the REST API takes this documented second step.
    expect(Amplify.getConfig().API).toBeUndefined();

    const config = Amplify.getConfig();
    Amplify.configure({ ...config, API: { ...config.API, REST: outputs.custom.API } });

    expect(Amplify.getConfig().API?.REST).toEqual({
      cognitoAccess: { endpoint: deployed.ApiUrl, region: deployed.Region, apiName: 'cognitoAccess' },
    });
    expect(Amplify.getConfig().Auth?.Cognito.identityPoolId).toBe(deployed.IdentityPoolId);
  });
});

describe('GIVEN stage prod (sign-in domain, Google and SAML providers, MFA required, groups)', () => {
  test('WHEN Amplify reads the file THEN the OAuth settings match the stage config and the deployed domain', async () => {
    Amplify.configure(await generate('prod'));

    expect(Amplify.getConfig().Auth?.Cognito.loginWith?.oauth).toEqual({
      domain: 'example-org-signin.auth.eu-west-1.amazoncognito.com',
      scopes: ['openid', 'email', 'profile'],
      redirectSignIn: ['https://app.example.org/auth/callback'],
      redirectSignOut: ['https://app.example.org/'],
      responseType: 'code',
      providers: ['Google'],
    });
  });

  test('WHEN Amplify reads the file THEN MFA, password policy and groups match the stage config', async () => {
    Amplify.configure(await generate('prod'));

    const cognito = Amplify.getConfig().Auth?.Cognito;
    expect(cognito?.mfa).toEqual({ status: 'on', totpEnabled: true, smsEnabled: false });
    expect(cognito?.passwordFormat).toEqual({
      minLength: 14,
      requireLowercase: true,
      requireUppercase: true,
      requireNumbers: true,
      requireSpecialCharacters: true,
    });
    expect(cognito?.groups).toEqual([{ admins: { precedence: 0 } }, { members: { precedence: 10 } }]);
  });

  test('WHEN the file is written THEN the SAML provider, which Amplify has no field for, is named under custom.auth', async () => {
    const outputs = await generate('prod');

    expect(outputs.custom.auth).toEqual({
      oauth_domain: 'example-org-signin.auth.eu-west-1.amazoncognito.com',
      identity_providers: ['Google', 'CorpSSO'],
      oidc_providers: [],
      saml_providers: ['CorpSSO'],
      first_factors: ['password'],
      self_sign_up: false,
    });
    expect(outputs.auth.mfa_methods).toEqual(['TOTP', 'EMAIL']);
  });

  test('WHEN Amplify reads the file THEN no passwordless sign-in is configured (password only, MFA required)', async () => {
    Amplify.configure(await generate('prod'));

    expect(Amplify.getConfig().Auth?.Cognito.passwordless).toBeUndefined();
  });
});

describe('GIVEN stage dev (no sign-in domain, MFA optional)', () => {
  test('WHEN Amplify reads the file THEN there is no OAuth block and MFA is optional with TOTP', async () => {
    Amplify.configure(await generate('dev'));

    const cognito = Amplify.getConfig().Auth?.Cognito;
    expect(cognito?.loginWith?.oauth).toBeUndefined();
    expect(cognito?.mfa).toEqual({ status: 'optional', totpEnabled: true, smsEnabled: false });
    expect(cognito?.passwordFormat?.minLength).toBe(12);
  });

  test("WHEN Amplify reads the file THEN passkeys are a first factor with the stage's relying party, and no email or SMS codes", async () => {
    Amplify.configure(await generate('dev'));

    expect(Amplify.getConfig().Auth?.Cognito.passwordless).toEqual({
      emailOtpEnabled: false,
      smsOtpEnabled: false,
      webAuthn: { relyingPartyId: 'localhost', userVerification: 'preferred' },
    });
  });
});
