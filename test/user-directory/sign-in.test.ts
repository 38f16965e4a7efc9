/**
 * Sign-in choices, refresh token rotation, sign-up triggers, machine clients
 * and the scoped admin route, asserted on the synthesized templates of the
 * shipped stages and of a config that turns every one of them on.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { UserDirectory, type UserDirectoryProps } from '../../lib/user-directory/user-directory';
import type { StageConfigInput } from '../../lib/config/stage-config';
import { synthStage, type SynthResult } from '../support/synth';

const WEB_URLS = { callbackUrls: ['https://app.example.org/auth/callback'], logoutUrls: ['https://app.example.org/'] };
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';

/** Every sign-in key away from its default. */
const CHOICES: StageConfigInput = {
  region: 'eu-west-1',
  removal: 'destroy',
  userPool: {
    selfSignUp: true,
    mfa: { mode: 'optional', totp: true, sms: true },
    email: { sesFromAddress: 'no-reply@example.org' },
    groups: [{ name: 'members' }],
    signIn: { firstFactors: ['password', 'emailOtp', 'smsOtp', 'passkey'], passkeyUserVerification: 'required' },
    triggers: { allowedEmailDomains: ['example.org', 'example.net'], defaultGroup: 'members' },
  },
  webClient: { ...WEB_URLS, refreshTokenRotation: { enabled: false } },
  machineClients: [{ name: 'reporting', scopes: ['uploads.read'], accessTokenMinutes: 15 }],
  domain: { customDomain: { name: 'auth.example.org', certificateArn: CERTIFICATE_ARN } },
};

let dev: SynthResult;
let prod: SynthResult;
let choices: SynthResult;

beforeAll(() => {
  dev = synthStage({ stage: 'dev', rulePacks: false });
  prod = synthStage({ stage: 'prod', rulePacks: false });
  choices = synthStage({ stage: 'choices', config: CHOICES, rulePacks: false });
});

function webClient(template: Template): Record<string, any> {
  const clients = template.findResources('AWS::Cognito::UserPoolClient', { Properties: { GenerateSecret: false } });
  expect(Object.keys(clients)).toHaveLength(1);
  return Object.values(clients)[0].Properties;
}

function userPool(template: Template): Record<string, any> {
  return Object.values(template.findResources('AWS::Cognito::UserPool'))[0].Properties;
}

describe('first sign-in factors', () => {
  test('GIVEN dev (password and passkey, relying party localhost) WHEN synthesized THEN the pool allows both and the web client allows USER_AUTH', () => {
    const pool = userPool(dev.template);
    expect(pool.Policies.SignInPolicy).toEqual({ AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] });
    expect(pool.WebAuthnRelyingPartyID).toBe('localhost');
    expect(pool.WebAuthnUserVerification).toBe('preferred');
    expect(webClient(dev.template).ExplicitAuthFlows).toEqual(expect.arrayContaining(['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_AUTH']));
  });

  test('GIVEN prod (password only, MFA required) WHEN synthesized THEN no choice-based sign-in: no sign-in policy, no passkeys, no USER_AUTH', () => {
    const pool = userPool(prod.template);
    expect(pool.Policies.SignInPolicy).toBeUndefined();
    expect(pool.WebAuthnRelyingPartyID).toBeUndefined();
    expect(pool.MfaConfiguration).toBe('ON');
    expect(webClient(prod.template).ExplicitAuthFlows).not.toContain('ALLOW_USER_AUTH');
  });

  test('GIVEN every factor and a custom domain without a relying party WHEN synthesized THEN all four factors are allowed and the relying party is the custom domain', () => {
    const pool = userPool(choices.template);
    expect(pool.Policies.SignInPolicy).toEqual({ AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'] });
    expect(pool.WebAuthnRelyingPartyID).toBe('auth.example.org');
    expect(pool.WebAuthnUserVerification).toBe('required');
  });
});

describe('refresh token rotation', () => {
  test('GIVEN the default (rotation on, 10 s grace) WHEN synthesized THEN the web client rotates and leaves out the legacy REFRESH_TOKEN_AUTH flow', () => {
    const client = webClient(prod.template);
    expect(client.RefreshTokenRotation).toEqual({ Feature: 'ENABLED', RetryGracePeriodSeconds: 10 });
    expect(client.ExplicitAuthFlows).not.toContain('ALLOW_REFRESH_TOKEN_AUTH');
  });

  test('GIVEN rotation off WHEN synthesized THEN the client does not rotate and keeps REFRESH_TOKEN_AUTH', () => {
    const client = webClient(choices.template);
    expect(client.RefreshTokenRotation).toBeUndefined();
    expect(client.ExplicitAuthFlows).toContain('ALLOW_REFRESH_TOKEN_AUTH');
  });
});

describe('sign-up triggers', () => {
  test('GIVEN an email allow-list and a default group WHEN synthesized THEN the pool names a pre sign-up and a post-confirmation function', () => {
    expect(userPool(choices.template).LambdaConfig).toEqual({
      PreSignUp: { 'Fn::GetAtt': [expect.stringMatching(/^UserDirectorySignUpTriggersPreSignUpFunction/), 'Arn'] },
      PostConfirmation: { 'Fn::GetAtt': [expect.stringMatching(/^UserDirectorySignUpTriggersPostConfirmationFunction/), 'Arn'] },
    });
  });

  test('GIVEN the triggers WHEN synthesized THEN each runs on ARM64 Node 24 with its own log group and the contract variables', () => {
    choices.template.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      Runtime: 'nodejs24.x',
      Environment: { Variables: { ALLOWED_EMAIL_DOMAINS: 'example.org,example.net' } },
      LoggingConfig: Match.objectLike({ LogGroup: { Ref: Match.stringLikeRegexp('^UserDirectorySignUpTriggersPreSignUpLogGroup') } }),
    });
    choices.template.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      Environment: { Variables: { DEFAULT_GROUP: 'members' } },
      LoggingConfig: Match.objectLike({ LogGroup: { Ref: Match.stringLikeRegexp('^UserDirectorySignUpTriggersPostConfirmationLogGroup') } }),
    });
  });

  test('GIVEN the post-confirmation trigger WHEN synthesized THEN only its role may call AdminAddUserToGroup, and only on this pool', () => {
    const grants = Object.values(choices.template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy.Properties.PolicyDocument).includes('cognito-idp:AdminAddUserToGroup'),
    );
    expect(grants).toHaveLength(1);
    expect(grants[0].Properties.PolicyDocument.Statement).toEqual([
      { Action: 'cognito-idp:AdminAddUserToGroup', Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^UserDirectoryUserPool/), 'Arn'] } },
    ]);
    expect(grants[0].Properties.Roles).toEqual([{ Ref: expect.stringMatching(/^UserDirectorySignUpTriggersPostConfirmationRole/) }]);
  });

  test('GIVEN the triggers WHEN synthesized THEN only Cognito may invoke them, for this pool and from this account', () => {
    const permissions = Object.values(choices.template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'cognito-idp.amazonaws.com' } }));
    expect(permissions).toHaveLength(2);
    for (const permission of permissions) {
      expect(permission.Properties).toEqual(
        expect.objectContaining({
          SourceArn: { 'Fn::GetAtt': [expect.stringMatching(/^UserDirectoryUserPool/), 'Arn'] },
          SourceAccount: { Ref: 'AWS::AccountId' },
        }),
      );
    }
  });

  test('GIVEN a stage without triggers (dev) WHEN synthesized THEN the pool has no Lambda triggers', () => {
    expect(userPool(dev.template).LambdaConfig).toBeUndefined();
  });

  test('GIVEN prod (no self sign-up; Google and CorpSSO for existing users only) WHEN synthesized THEN a pre sign-up trigger refuses new federated users, with no domain list', () => {
    expect(userPool(prod.template).LambdaConfig).toEqual({
      PreSignUp: { 'Fn::GetAtt': [expect.stringMatching(/^UserDirectorySignUpTriggersPreSignUpFunction/), 'Arn'] },
    });
    const functions = prod.template.findResources('AWS::Lambda::Function', {
      Properties: { LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^UserDirectorySignUpTriggersPreSignUpLogGroup') } } },
    });
    expect(Object.values(functions).map((fn) => fn.Properties.Environment.Variables)).toEqual([
      { PROVIDER_SIGN_UP: JSON.stringify({ Google: 'existingUsers', CorpSSO: 'existingUsers' }) },
    ]);
  });

  test("GIVEN prod's trigger WHEN synthesized THEN its log group is kept a year, like the pool's own logs (a retained stage keeps its audit trail)", () => {
    const groups = Object.entries(prod.template.findResources('AWS::Logs::LogGroup')).filter(([id]) =>
      id.startsWith('UserDirectorySignUpTriggersPreSignUpLogGroup'),
    );
    expect(groups.map(([, group]) => group.Properties.RetentionInDays)).toEqual([365]);
  });

  test('GIVEN an email allow-list and no federated provider WHEN synthesized THEN users cannot change their email (only read it)', () => {
    const client = webClient(choices.template);
    expect(client.WriteAttributes).toEqual(['name']);
    expect([...client.ReadAttributes].sort()).toEqual(['email', 'email_verified', 'name']);
    choices.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { ALLOWED_EMAIL_DOMAINS: 'example.org,example.net', PROVIDER_SIGN_UP: '{}' } },
    });
  });
});

describe('machine clients and the api resource server', () => {
  test('GIVEN any stage WHEN synthesized THEN the pool has the resource server "api" with the scope uploads.read', () => {
    prod.template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'api',
      Scopes: [{ ScopeName: 'uploads.read', ScopeDescription: Match.anyValue() }],
    });
  });

  test('GIVEN prod\'s machine client "reporting" WHEN synthesized THEN it is confidential, client credentials only, with its scope and its own token lifetime', () => {
    prod.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'reporting',
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: [{ 'Fn::Join': ['', [{ Ref: Match.stringLikeRegexp('^UserDirectoryUserPoolApiResourceServer') }, '/uploads.read']] }],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      AccessTokenValidity: 60,
      CallbackURLs: Match.absent(),
    });
    choices.template.hasResourceProperties('AWS::Cognito::UserPoolClient', { ClientName: 'reporting', AccessTokenValidity: 15 });
  });

  test('GIVEN a machine client WHEN synthesized THEN its secret is never an output or an SSM parameter', () => {
    const [machineId] = Object.keys(prod.template.findResources('AWS::Cognito::UserPoolClient', { Properties: { ClientName: 'reporting' } }));
    expect(machineId).toBeDefined();
    const published = JSON.stringify({ ...prod.template.toJSON().Outputs, ...prod.template.findResources('AWS::SSM::Parameter') });
    expect(published).not.toContain(machineId);
    expect(published).not.toMatch(/ClientSecret/);
  });
});

describe('GET /admin/uploads', () => {
  test('GIVEN the API WHEN synthesized THEN the admin method demands an access token with api/uploads.read through the Cognito authorizer', () => {
    const resources = prod.template.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: 'uploads' } });
    const [uploadsId] = Object.keys(resources);
    prod.template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      ResourceId: { Ref: uploadsId },
      AuthorizationType: 'COGNITO_USER_POOLS',
      AuthorizerId: Match.anyValue(),
      AuthorizationScopes: ['api/uploads.read'],
    });
  });

  test('GIVEN the API WHEN synthesized THEN no other method names scopes (they take ID tokens)', () => {
    const scoped = Object.values(prod.template.findResources('AWS::ApiGateway::Method')).filter((m) => m.Properties.AuthorizationScopes);
    expect(scoped).toHaveLength(1);
  });
});

describe('UserDirectory refuses impossible sign-in props without a stage config', () => {
  const URLS = { callbackUrls: ['https://app.example.org/cb'], logoutUrls: ['https://app.example.org/'] };
  const bare = (props: Partial<UserDirectoryProps>) => () =>
    new UserDirectory(new Stack(new App({ builtinCloudFormationValidation: false }), 'Bare'), 'Directory', { ...URLS, ...props });

  test('GIVEN passkeys with neither a relying party nor a domain WHEN constructed THEN it throws naming both ways out', () => {
    expect(bare({ firstFactors: { password: true, passkey: true } })).toThrow(/passkeyRelyingPartyId or configure a sign-in domain/);
  });

  test('GIVEN a default group that is not one of the groups WHEN constructed THEN it throws naming the group', () => {
    expect(bare({ groups: [{ name: 'admins' }], defaultGroup: 'members' })).toThrow(/defaultGroup "members" is not one of the groups/);
  });

  test('GIVEN a machine client without a domain WHEN constructed THEN it throws naming the token endpoint', () => {
    expect(bare({ machineClients: [{ name: 'reporting', scopes: ['uploads.read'] }] })).toThrow(/oauth2\/token; configure a sign-in domain/);
  });
});
