import { parseStageConfig } from '../../lib/config/load-stage-config';
import type { StageConfigInput } from '../../lib/config/stage-config';
import { buildAmplifyOutputs } from '../../lib/client-config/build-amplify-outputs';
import { ClientConfigError } from '../../lib/client-config/client-config-error';
import type { OutputsByName } from '../../contracts/output-names';

const OUTPUTS: OutputsByName = {
  UserPoolId: 'eu-west-1_Abc',
  UserPoolClientId: 'client123',
  IdentityPoolId: 'eu-west-1:00000000-0000-0000-0000-000000000001',
  Region: 'eu-west-1',
  BucketName: 'bucket-1',
  TableName: 'table-1',
  ApiUrl: 'https://api1.execute-api.eu-west-1.amazonaws.com/prod/',
};

const SECRET = { secretName: 'idp/secret' };
const EXISTING_USERS = 'existingUsers' as const;
const BASE: StageConfigInput = {
  webClient: { callbackUrls: ['https://app.example.net/cb'], logoutUrls: ['https://app.example.net/'] },
};

function build(config: StageConfigInput, outputs: Partial<OutputsByName> = {}) {
  return buildAmplifyOutputs({
    stage: 'test',
    stackName: 'CognitoAccess-test',
    config: parseStageConfig(config, 'config/test.json'),
    outputs: { ...OUTPUTS, ...outputs },
  });
}

/** The keys schema_v1.4.json allows where it sets additionalProperties: false. */
const SCHEMA_V1_4_KEYS = {
  top: ['$schema', 'version', 'analytics', 'auth', 'data', 'geo', 'notifications', 'storage', 'custom'],
  auth: [
    'aws_region',
    'user_pool_id',
    'user_pool_client_id',
    'identity_pool_id',
    'password_policy',
    'oauth',
    'standard_required_attributes',
    'username_attributes',
    'user_verification_types',
    'unauthenticated_identities_enabled',
    'mfa_configuration',
    'mfa_methods',
    'passwordless',
    'groups',
  ],
  oauth: ['identity_providers', 'domain', 'scopes', 'redirect_sign_in_uri', 'redirect_sign_out_uri', 'response_type'],
  storage: ['aws_region', 'bucket_name', 'buckets'],
  bucket: ['name', 'bucket_name', 'aws_region', 'paths'],
};

/** Every kind of provider and a custom domain. */
const EVERY_PROVIDER_CUSTOM_DOMAIN = {
  ...BASE,
  domain: { customDomain: { name: 'auth.example.net', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012' } },
  identityProviders: {
    // Self sign-up is off, so each provider states who may sign up through it.
    google: { clientId: 'g', clientSecret: SECRET, signUp: EXISTING_USERS },
    facebook: { clientId: 'f', clientSecret: SECRET, signUp: EXISTING_USERS },
    amazon: { clientId: 'a', clientSecret: SECRET, signUp: EXISTING_USERS },
    apple: { servicesId: 's', teamId: 'ABCDEFGHIJ', keyId: 'ABCDEFGHIJ', privateKey: SECRET, signUp: EXISTING_USERS },
    oidc: [{ name: 'Okta', issuerUrl: 'https://okta.example.net', clientId: 'o', clientSecret: SECRET, signUp: EXISTING_USERS }],
    saml: [{ name: 'CorpSSO', metadataUrl: 'https://idp.example.net/metadata.xml', signUp: EXISTING_USERS }],
  },
};

describe('buildAmplifyOutputs', () => {
  test('GIVEN every kind of provider and a custom domain WHEN built THEN only schema keys appear outside custom', () => {
    const outputs = build(EVERY_PROVIDER_CUSTOM_DOMAIN);

    expect(Object.keys(outputs).every((k) => SCHEMA_V1_4_KEYS.top.includes(k))).toBe(true);
    expect(Object.keys(outputs.auth).filter((k) => !SCHEMA_V1_4_KEYS.auth.includes(k))).toEqual([]);
    expect(Object.keys(outputs.auth.oauth ?? {}).filter((k) => !SCHEMA_V1_4_KEYS.oauth.includes(k))).toEqual([]);
    expect(Object.keys(outputs.storage).filter((k) => !SCHEMA_V1_4_KEYS.storage.includes(k))).toEqual([]);
    expect(Object.keys(outputs.storage.buckets[0]).filter((k) => !SCHEMA_V1_4_KEYS.bucket.includes(k))).toEqual([]);
  });

  test('GIVEN every kind of provider and a custom domain WHEN built THEN social providers use the schema enum and OIDC/SAML names and the custom domain go under custom.auth', () => {
    const outputs = build(EVERY_PROVIDER_CUSTOM_DOMAIN, { SignInDomain: 'd1234.cloudfront.net' });

    expect(outputs.auth.oauth).toMatchObject({
      identity_providers: ['GOOGLE', 'FACEBOOK', 'LOGIN_WITH_AMAZON', 'SIGN_IN_WITH_APPLE'],
      // The branded domain, not whatever host the output carries.
      domain: 'auth.example.net',
    });
    expect(outputs.custom.auth).toEqual({
      oauth_domain: 'auth.example.net',
      custom_domain: 'auth.example.net',
      identity_providers: ['Google', 'Facebook', 'LoginWithAmazon', 'SignInWithApple', 'Okta', 'CorpSSO'],
      oidc_providers: ['Okta'],
      saml_providers: ['CorpSSO'],
      first_factors: ['password'],
      self_sign_up: false,
    });
  });

  test('GIVEN self sign-up on or off WHEN built THEN custom.auth.self_sign_up says so, for the page to offer "Create an account" only when the pool allows it', () => {
    expect(build({ ...BASE, userPool: { selfSignUp: true } }).custom.auth.self_sign_up).toBe(true);
    expect(build(BASE).custom.auth.self_sign_up).toBe(false);
  });

  test('GIVEN every first factor and a custom domain WHEN built THEN auth.passwordless enables email and SMS codes and passkeys on the custom domain', () => {
    const outputs = build({
      ...BASE,
      ...EVERY_PROVIDER_CUSTOM_DOMAIN,
      region: 'eu-west-1',
      userPool: {
        mfa: { mode: 'optional', sms: true, totp: true },
        email: { sesFromAddress: 'no-reply@example.net' },
        signIn: { firstFactors: ['password', 'emailOtp', 'smsOtp', 'passkey'], passkeyUserVerification: 'required' },
      },
    });

    expect(outputs.auth.passwordless).toEqual({
      email_otp_enabled: true,
      sms_otp_enabled: true,
      web_authn: { relying_party_id: 'auth.example.net', user_verification: 'required' },
    });
    expect(outputs.custom.auth.first_factors).toEqual(['password', 'emailOtp', 'smsOtp', 'passkey']);
  });

  test("GIVEN passkeys with neither a relying party nor a domain (a stage file edited after its deploy) WHEN built THEN it refuses with the user pool's rule", () => {
    // The schema accepts it; UserDirectory refuses it at synth, so no deployed stack can match this file.
    const config = { ...BASE, userPool: { signIn: { firstFactors: ['password', 'passkey'] } } } satisfies StageConfigInput;
    expect(() => build(config)).toThrow(ClientConfigError);
    expect(() => build(config)).toThrow(
      /^Passkeys need a relying party: set passkeyRelyingPartyId or configure a sign-in domain\. The stage file no longer matches/,
    );
  });

  test('GIVEN email codes only WHEN built THEN auth.passwordless has no web_authn block', () => {
    const outputs = build({
      ...BASE,
      region: 'eu-west-1',
      userPool: { email: { sesFromAddress: 'no-reply@example.net' }, signIn: { firstFactors: ['password', 'emailOtp'] } },
    });

    expect(outputs.auth.passwordless).toEqual({ email_otp_enabled: true, sms_otp_enabled: false });
  });

  test('GIVEN password only WHEN built THEN there is no auth.passwordless', () => {
    expect(build(BASE).auth.passwordless).toBeUndefined();
  });

  test('GIVEN MFA off and a group without precedence WHEN built THEN mfa is NONE with no methods and the group has no precedence', () => {
    const outputs = build({ ...BASE, userPool: { mfa: { mode: 'off' }, groups: [{ name: 'readers' }] } });

    expect(outputs.auth).toMatchObject({ mfa_configuration: 'NONE', mfa_methods: [], groups: [{ readers: {} }] });
  });

  test('GIVEN SMS, TOTP and email MFA WHEN built THEN all three methods are listed in schema order', () => {
    const outputs = build({
      ...BASE,
      region: 'eu-west-1',
      userPool: { mfa: { mode: 'optional', sms: true, totp: true, email: true }, email: { sesFromAddress: 'no-reply@example.net' } },
    });

    expect(outputs.auth.mfa_methods).toEqual(['SMS', 'TOTP', 'EMAIL']);
  });

  test("GIVEN a stage that hosts the web app (WebAppUrl) WHEN built THEN its callback and sign-out URLs follow the stage's own", () => {
    const outputs = build(
      { ...BASE, domain: { prefix: 'my-app-signin' } },
      { SignInDomain: 'my-app-signin.auth.eu-west-1.amazoncognito.com', WebAppUrl: 'https://d111111abcdef8.cloudfront.net' },
    );

    expect(outputs.auth.oauth?.redirect_sign_in_uri).toEqual(['https://app.example.net/cb', 'https://d111111abcdef8.cloudfront.net/auth/callback']);
    expect(outputs.auth.oauth?.redirect_sign_out_uri).toEqual(['https://app.example.net/', 'https://d111111abcdef8.cloudfront.net/']);
  });

  test('GIVEN a Cognito prefix domain but no SignInDomain output WHEN built THEN it fails naming the output', () => {
    expect(() => build({ ...BASE, domain: { prefix: 'my-app-signin' } })).toThrow(ClientConfigError);
    expect(() => build({ ...BASE, domain: { prefix: 'my-app-signin' } })).toThrow(/missing output SignInDomain/);
  });

  test('GIVEN any stage WHEN built THEN the REST API, table and stage are under custom', () => {
    const outputs = build(BASE);

    expect(outputs.version).toBe('1.4');
    expect(outputs.custom.API).toEqual({ cognitoAccess: { endpoint: OUTPUTS.ApiUrl, region: 'eu-west-1', apiName: 'cognitoAccess' } });
    expect(outputs.custom.cognito_access).toEqual({
      stage: 'test',
      stack_name: 'CognitoAccess-test',
      table_name: 'table-1',
      max_upload_bytes: 10 * 1024 * 1024,
      allowed_content_types: ['text/csv'],
    });
    expect(outputs.auth.unauthenticated_identities_enabled).toBe(false);
  });

  test('GIVEN a stage with its own upload limit and types WHEN built THEN custom.cognito_access carries exactly those, for the web app to refuse early', () => {
    const outputs = build({ ...BASE, storage: { maxUploadBytes: 2048, allowedContentTypes: ['text/csv', 'application/vnd.ms-excel'] } });

    expect(outputs.custom.cognito_access).toMatchObject({ max_upload_bytes: 2048, allowed_content_types: ['text/csv', 'application/vnd.ms-excel'] });
  });

  test('GIVEN identityPool.allowGuests WHEN built THEN Amplify is told guests are enabled', () => {
    expect(build({ ...BASE, identityPool: { allowGuests: true } }).auth.unauthenticated_identities_enabled).toBe(true);
  });
});
