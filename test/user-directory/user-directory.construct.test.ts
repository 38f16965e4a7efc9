/**
 * UserDirectory on its own, in a bare stack with no stage config: its own
 * defaults and its own guards (a construct user never sees the config schema).
 */
import { App, Duration, Lazy, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { ProviderSignUpPolicy } from '../../lib/user-directory/federated-providers';
import { UserDirectory, type UserDirectoryProps } from '../../lib/user-directory/user-directory';
import { ValidationError } from '../../lib/util/validation-error';

const URLS = { callbackUrls: ['https://app.example.org/cb'], logoutUrls: ['https://app.example.org/'] };
const SAML = { saml: [{ name: 'CorpSSO', metadataUrl: 'https://idp.example.org/metadata.xml' }] };
const DOMAIN = { cognitoPrefix: 'example-org' };
/** Trigger code without bundling: these tests are about the template, not the bundle. */
const NO_BUNDLE = { handlerCode: () => lambda.Code.fromInline('exports.handler = async (e) => e;') };

function build(props: UserDirectoryProps): { stack: Stack; directory: UserDirectory } {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Bare');
  return { stack, directory: new UserDirectory(stack, 'Directory', props) };
}

describe('UserDirectory defaults', () => {
  // One bare directory with only the required props, shared by the default checks.
  const { stack, directory } = build(URLS);
  const template = Template.fromStack(stack);

  test('GIVEN only the redirect URLs WHEN built THEN the pool is Essentials, MFA optional with TOTP, admin-only sign-up', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'ESSENTIALS',
      UserPoolAddOns: Match.absent(),
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, PasswordHistorySize: 5, TemporaryPasswordValidityDays: 3 }) },
    });
  });

  test('GIVEN no removal policy WHEN built THEN the pool is retained and deletion-protected (safe default)', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });

  test('GIVEN no scopes or lifetimes WHEN built THEN the client uses openid/email/profile and short token lifetimes', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      AllowedOAuthFlows: ['code'],
      AccessTokenValidity: 30,
      IdTokenValidity: 30,
      RefreshTokenValidity: 7 * 24 * 60,
      AuthSessionValidity: 3,
      SupportedIdentityProviders: ['COGNITO'],
      GenerateSecret: false,
    });
  });

  test('GIVEN no domain WHEN built THEN no domain, branding or provider exists and the public fields say so', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
    template.resourceCountIs('AWS::Cognito::ManagedLoginBranding', 0);
    template.resourceCountIs('AWS::Cognito::UserPoolIdentityProvider', 0);
    expect(directory.domain).toBeUndefined();
    expect(directory.signInDomainName).toBeUndefined();
    expect(directory.managedLoginBranding).toBeUndefined();
    expect(directory.identityProviders).toEqual([]);
    expect(directory.supportedIdentityProviderNames).toEqual(['COGNITO']);
    expect(directory.groups).toEqual([]);
  });
});

describe('UserDirectory options', () => {
  test('GIVEN the Plus plan without a threat protection mode WHEN built THEN threat protection is enforced', () => {
    const { stack } = build({ ...URLS, featurePlan: cognito.FeaturePlan.PLUS });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
  });

  test('GIVEN RemovalPolicy.DESTROY WHEN built THEN deletion protection is off', () => {
    const { stack } = build({ ...URLS, removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtection: 'INACTIVE' }),
    });
  });

  test('GIVEN a custom domain WHEN built THEN signInDomainName is that domain and the certificate is attached', () => {
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
    const { stack, directory } = build({ ...URLS, domain: { customDomainName: 'auth.example.org', certificateArn } });
    expect(directory.signInDomainName).toBe('auth.example.org');
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'auth.example.org',
      CustomDomainConfig: { CertificateArn: certificateArn },
      ManagedLoginVersion: 2,
    });
    expect(directory.managedLoginBranding).toBeDefined();
  });

  test("GIVEN a redirect URL that is a token (e.g. the hosted app's URL) WHEN built THEN the client takes it as given", () => {
    const callback = Lazy.string({ produce: () => 'https://app.example.org/cb' });
    const { stack } = build({ ...URLS, callbackUrls: [callback] });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', { CallbackURLs: ['https://app.example.org/cb'] });
  });

  test('GIVEN explicit lifetimes WHEN built THEN the client uses them', () => {
    const { stack } = build({ ...URLS, accessTokenValidity: Duration.hours(1), refreshTokenValidity: Duration.days(2) });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', { AccessTokenValidity: 60, RefreshTokenValidity: 2 * 24 * 60 });
  });
});

describe('UserDirectory guards', () => {
  // URL shapes (https, no #fragment, not the CDK placeholder https://example.com) are the stage schema's:
  // test/config/stage-config-errors.test.ts. The prop is required, so CDK's placeholder default never applies.

  test('GIVEN a federated provider but no domain WHEN built THEN it is refused, explaining the redirect', () => {
    expect(() => build({ ...URLS, identityProviders: SAML })).toThrow(ValidationError);
    expect(() => build({ ...URLS, identityProviders: SAML })).toThrow(/^Bare\/Directory: identityProviders .*configure a sign-in domain/);
    expect(() => build({ ...URLS, identityProviders: { google: { clientId: 'g', clientSecret: SecretValue.secretsManager('idp/google') } } })).toThrow(
      /oauth2\/idpresponse/,
    );
  });

  test('GIVEN a federated provider and a domain WHEN built THEN it is accepted', () => {
    expect(() => build({ ...URLS, ...NO_BUNDLE, identityProviders: SAML, domain: DOMAIN })).not.toThrow();
  });

  test('GIVEN threat protection on the Essentials plan WHEN built THEN it is refused, but NO_ENFORCEMENT is fine', () => {
    expect(() => build({ ...URLS, threatProtection: cognito.StandardThreatProtectionMode.AUDIT_ONLY })).toThrow(/threatProtection needs featurePlan PLUS/);
    expect(() => build({ ...URLS, threatProtection: cognito.StandardThreatProtectionMode.NO_ENFORCEMENT })).not.toThrow();
  });

  test.each([
    [
      'both a prefix and a custom domain',
      { cognitoPrefix: 'example-org', customDomainName: 'auth.example.org', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' },
      /exactly one of cognitoPrefix and customDomainName/,
    ],
    ['neither a prefix nor a custom domain', {}, /exactly one of cognitoPrefix and customDomainName/],
    ['a custom domain without a certificate', { customDomainName: 'auth.example.org' }, /customDomainName needs certificateArn/],
  ])('GIVEN a domain with %s WHEN built THEN it is refused', (_name, domain, message) => {
    expect(() => build({ ...URLS, domain })).toThrow(message);
  });
});

describe('UserDirectory sign-up policies', () => {
  const google = (signUp?: ProviderSignUpPolicy) => ({
    google: { clientId: 'g', clientSecret: SecretValue.secretsManager('idp/google'), ...(signUp === undefined ? {} : { signUp }) },
  });
  const preSignUpEnv = (stack: Stack): Record<string, string> | undefined => {
    const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function', {
      Properties: { LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('SignUpTriggersPreSignUpLogGroup') } } },
    });
    const [fn] = Object.values(functions);
    return fn?.Properties.Environment.Variables;
  };

  test('GIVEN providers without a policy and no self sign-up WHEN built THEN they admit existing users only (a first federated sign-in would otherwise create anyone)', () => {
    const { stack, directory } = build({ ...URLS, ...NO_BUNDLE, domain: DOMAIN, identityProviders: { ...google(), ...SAML } });
    expect(directory.signUpTriggers?.preSignUp).toBeDefined();
    expect(preSignUpEnv(stack)).toEqual({ PROVIDER_SIGN_UP: JSON.stringify({ Google: 'existingUsers', CorpSSO: 'existingUsers' }) });
  });

  test('GIVEN providers without a policy and self sign-up on WHEN built THEN they are open and no pre sign-up trigger is needed', () => {
    const { directory } = build({ ...URLS, ...NO_BUNDLE, selfSignUp: true, domain: DOMAIN, identityProviders: { ...google(), ...SAML } });
    expect(directory.signUpTriggers).toBeUndefined();
  });

  test('GIVEN one provider with an allow-list among open ones WHEN built THEN the trigger lists every provider, open ones included', () => {
    const { stack } = build({
      ...URLS,
      ...NO_BUNDLE,
      selfSignUp: true,
      domain: DOMAIN,
      identityProviders: { ...google({ allowedEmailDomains: ['example.org'] }), ...SAML },
    });
    expect(preSignUpEnv(stack)).toEqual({ PROVIDER_SIGN_UP: JSON.stringify({ Google: { allowedEmailDomains: ['example.org'] }, CorpSSO: 'open' }) });
  });

  test('GIVEN a pool allow-list and no provider WHEN built THEN the web client cannot write email', () => {
    const { stack } = build({ ...URLS, ...NO_BUNDLE, allowedEmailDomains: ['example.org'] });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', { WriteAttributes: ['name'] });
  });

  test.each<[string, Partial<UserDirectoryProps>, RegExp]>([
    [
      'an allow-list on SAML, which sends no email_verified',
      { identityProviders: { saml: [{ ...SAML.saml[0], signUp: { allowedEmailDomains: ['example.org'] } }] } },
      /CorpSSO sends no email_verified/,
    ],
    [
      'an open SAML provider under a pool allow-list',
      { selfSignUp: true, allowedEmailDomains: ['example.org'], identityProviders: SAML },
      /CorpSSO sends no email_verified, so allowedEmailDomains would refuse/,
    ],
  ])('GIVEN %s WHEN built THEN it is refused', (_name, props, message) => {
    expect(() => build({ ...URLS, ...NO_BUNDLE, domain: DOMAIN, ...props })).toThrow(message);
  });
});
