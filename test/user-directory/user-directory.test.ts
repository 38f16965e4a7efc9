/**
 * The user directory as the stack builds it from stage configs: every
 * property the design asks for, asserted on the synthesized template.
 * One synth per config, shared by the tests that read it.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { Capture, Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { StageConfigInput } from '../../lib/config/stage-config';
import { synthStage, type SynthResult } from '../support/synth';

const WEB_URLS = { callbackUrls: ['https://app.example.org/auth/callback', 'https://admin.example.org/cb'], logoutUrls: ['https://app.example.org/'] };
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';

/** Everything non-default at once: custom domain, classic login, Plus in audit mode, three MFA factors. */
const VARIANT: StageConfigInput = {
  region: 'eu-central-1',
  removal: 'destroy',
  userPool: {
    selfSignUp: false,
    featurePlan: 'plus',
    threatProtection: 'audit',
    passwordPolicy: {
      minLength: 20,
      requireLowercase: false,
      requireUppercase: true,
      requireDigits: false,
      requireSymbols: false,
      tempPasswordValidityDays: 1,
      passwordHistorySize: 0,
    },
    mfa: { mode: 'required', totp: true, sms: true, email: true },
    email: { sesFromAddress: 'no-reply@example.org' },
    groups: [{ name: 'auditors' }],
  },
  webClient: { ...WEB_URLS, scopes: ['openid', 'email', 'phone'], accessTokenMinutes: 60, idTokenMinutes: 5, refreshTokenDays: 30, authSessionMinutes: 15 },
  domain: { customDomain: { name: 'auth.example.org', certificateArn: CERTIFICATE_ARN }, managedLoginVersion: 'classic' },
};

/** MFA off; Plus with threat protection explicitly off. */
const MFA_OFF: StageConfigInput = {
  removal: 'destroy',
  userPool: { featurePlan: 'plus', threatProtection: 'off', mfa: { mode: 'off' } },
  webClient: WEB_URLS,
  domain: { prefix: 'example-org-classic', managedLoginVersion: 'classic' },
};

let dev: SynthResult;
let prod: SynthResult;
let variant: SynthResult;
let mfaOff: SynthResult;

beforeAll(() => {
  // The rule packs only report (test/composition/rule-packs.test.ts runs them); skipping them here keeps this file fast.
  dev = synthStage({ stage: 'dev', rulePacks: false });
  prod = synthStage({ stage: 'prod', rulePacks: false });
  variant = synthStage({ stage: 'variant', config: VARIANT, rulePacks: false });
  mfaOff = synthStage({ stage: 'mfaoff', config: MFA_OFF, rulePacks: false });
});

function logicalId(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return element.stack.getLogicalId(element);
}

/** The whole resource entry (Properties, DependsOn, policies) of a construct. */
function resourceOf(result: SynthResult, construct: IConstruct): Record<string, any> {
  return result.template.toJSON().Resources[logicalId(construct)];
}

const pool = (result: SynthResult) => resourceOf(result, result.stack.userDirectory.userPool);
const client = (result: SynthResult) => resourceOf(result, result.stack.userDirectory.webClient);
const poolRef = (result: SynthResult) => ({ Ref: logicalId(result.stack.userDirectory.userPool) });

describe('user pool', () => {
  test.each(['dev', 'prod'])('GIVEN config/%s.json WHEN synthesized THEN there is exactly one user pool and one app client for people', (stage) => {
    const { template } = stage === 'dev' ? dev : prod;
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    // Machine clients (prod's "reporting") have secrets; the web client has none.
    expect(Object.keys(template.findResources('AWS::Cognito::UserPoolClient', { Properties: { GenerateSecret: false } }))).toHaveLength(1);
  });

  test('GIVEN any stage WHEN synthesized THEN users sign in with their email, case-insensitively', () => {
    for (const result of [dev, prod, variant]) {
      result.template.hasResourceProperties('AWS::Cognito::UserPool', {
        UsernameAttributes: ['email'],
        AliasAttributes: Match.absent(),
        UsernameConfiguration: { CaseSensitive: false },
      });
    }
  });

  test('GIVEN selfSignUp true (dev) WHEN synthesized THEN users may sign up, and false (prod) THEN only admins create users', () => {
    expect(pool(dev).Properties.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: false });
    expect(pool(prod).Properties.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
  });

  test('GIVEN any stage WHEN synthesized THEN email is verified with a code', () => {
    for (const result of [dev, prod]) {
      result.template.hasResourceProperties('AWS::Cognito::UserPool', {
        AutoVerifiedAttributes: ['email'],
        VerificationMessageTemplate: Match.objectLike({ DefaultEmailOption: 'CONFIRM_WITH_CODE' }),
        Schema: Match.arrayWith([{ Name: 'email', Required: true, Mutable: true }]),
      });
    }
  });

  test('GIVEN no password policy WHEN synthesized THEN the explicit default policy is set in full', () => {
    expect(pool(dev).Properties.Policies).toEqual({
      SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] },
      PasswordPolicy: {
        MinimumLength: 12,
        RequireLowercase: true,
        RequireUppercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
        TemporaryPasswordValidityDays: 3,
        PasswordHistorySize: 5,
      },
    });
  });

  test('GIVEN a partial (prod) and a full (variant) password policy WHEN synthesized THEN the config values win', () => {
    expect(pool(prod).Properties.Policies.PasswordPolicy).toEqual(
      expect.objectContaining({ MinimumLength: 14, PasswordHistorySize: 12, RequireSymbols: true }),
    );
    expect(pool(variant).Properties.Policies.PasswordPolicy).toEqual({
      MinimumLength: 20,
      RequireLowercase: false,
      RequireUppercase: true,
      RequireNumbers: false,
      RequireSymbols: false,
      TemporaryPasswordValidityDays: 1,
      PasswordHistorySize: 0,
    });
  });

  test('GIVEN the default feature plan WHEN synthesized THEN the pool is on Essentials with no threat protection add-on', () => {
    expect(pool(dev).Properties.UserPoolTier).toBe('ESSENTIALS');
    expect(pool(dev).Properties.UserPoolAddOns).toBeUndefined();
  });

  test.each<[string, () => SynthResult, string]>([
    ['prod (enforced)', () => prod, 'ENFORCED'],
    ['variant (audit)', () => variant, 'AUDIT'],
    ['mfaOff (off)', () => mfaOff, 'OFF'],
  ])('GIVEN the Plus plan with threat protection %s WHEN synthesized THEN UserPoolAddOns has that mode', (_name, result, mode) => {
    expect(pool(result()).Properties.UserPoolTier).toBe('PLUS');
    expect(pool(result()).Properties.UserPoolAddOns).toEqual({ AdvancedSecurityMode: mode });
  });

  test.each<[string, () => SynthResult, string, string[] | undefined]>([
    ['off', () => mfaOff, 'OFF', undefined],
    ['optional with TOTP (dev)', () => dev, 'OPTIONAL', ['SOFTWARE_TOKEN_MFA']],
    ['required with TOTP and email (prod)', () => prod, 'ON', ['EMAIL_OTP', 'SOFTWARE_TOKEN_MFA']],
    ['required with TOTP, SMS and email (variant)', () => variant, 'ON', ['EMAIL_OTP', 'SMS_MFA', 'SOFTWARE_TOKEN_MFA']],
  ])('GIVEN MFA %s WHEN synthesized THEN MfaConfiguration and EnabledMfas match', (_name, result, configuration, factors) => {
    const { Properties } = pool(result());
    expect(Properties.MfaConfiguration).toBe(configuration);
    expect(Properties.EnabledMfas === undefined ? undefined : [...Properties.EnabledMfas].sort()).toEqual(factors);
  });

  test('GIVEN SMS MFA WHEN synthesized THEN only Cognito, from this account and for its user pools, with the external ID, may assume the SMS role', () => {
    const smsRole = variant.stack.userDirectory.smsRole!;
    const role = resourceOf(variant, smsRole);
    const [statement] = role.Properties.AssumeRolePolicyDocument.Statement;
    const sms = pool(variant).Properties.SmsConfiguration;
    expect(sms.SnsCallerArn).toEqual({ 'Fn::GetAtt': [logicalId(smsRole), 'Arn'] });
    expect(statement.Principal).toEqual({ Service: 'cognito-idp.amazonaws.com' });
    expect(statement.Condition.StringEquals).toEqual({ 'sts:ExternalId': sms.ExternalId, 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    expect(statement.Condition.ArnLike).toEqual({
      'aws:SourceArn': { 'Fn::Join': ['', ['arn:aws:cognito-idp:eu-central-1:', { Ref: 'AWS::AccountId' }, ':userpool/*']] },
    });
  });

  test('GIVEN no SMS MFA (dev, prod) WHEN synthesized THEN there is no SMS role and no SMS configuration', () => {
    for (const result of [dev, prod]) {
      expect(result.stack.userDirectory.smsRole).toBeUndefined();
      expect(pool(result).Properties.SmsConfiguration).toBeUndefined();
    }
  });

  test('GIVEN email MFA WHEN synthesized THEN email goes through SES (Cognito sends MFA email only that way)', () => {
    for (const result of [prod, variant])
      expect(pool(result).Properties.EmailConfiguration).toEqual(expect.objectContaining({ EmailSendingAccount: 'DEVELOPER' }));
    expect(pool(dev).Properties.EmailConfiguration).toBeUndefined();
  });

  test('GIVEN any stage WHEN synthesized THEN accounts are recovered by verified email only', () => {
    for (const result of [dev, prod, variant]) {
      expect(pool(result).Properties.AccountRecoverySetting).toEqual({ RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] });
    }
  });

  test('GIVEN any stage WHEN synthesized THEN a changed email needs verification before it replaces the original (keepOriginal)', () => {
    for (const result of [dev, prod]) {
      expect(pool(result).Properties.UserAttributeUpdateSettings).toEqual({ AttributesRequireVerificationBeforeUpdate: ['email'] });
    }
  });

  test('GIVEN groups with precedence (prod) WHEN synthesized THEN each group belongs to the pool with its precedence', () => {
    prod.template.resourceCountIs('AWS::Cognito::UserPoolGroup', 2);
    prod.template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins', Precedence: 0, UserPoolId: poolRef(prod) });
    prod.template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'members', Precedence: 10, UserPoolId: poolRef(prod) });
  });

  test('GIVEN a group without precedence WHEN synthesized THEN Precedence is left out, and no groups (dev) THEN none exist', () => {
    variant.template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'auditors', Precedence: Match.absent() });
    dev.template.resourceCountIs('AWS::Cognito::UserPoolGroup', 0);
  });
});

describe('web app client', () => {
  test('GIVEN any stage WHEN synthesized THEN the client is public: no secret', () => {
    for (const result of [dev, prod, variant]) {
      expect(client(result).Properties.GenerateSecret).toBe(false);
      expect(client(result).Properties).not.toHaveProperty('ClientSecret');
    }
  });

  test('GIVEN any stage WHEN synthesized THEN only SRP (plus USER_AUTH where there is a choice of factors) is allowed; refreshes rotate', () => {
    expect(client(dev).Properties.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_AUTH']);
    for (const result of [prod, variant]) expect(client(result).Properties.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH']);
    for (const result of [dev, prod, variant])
      expect(client(result).Properties.RefreshTokenRotation).toEqual({ Feature: 'ENABLED', RetryGracePeriodSeconds: 10 });
  });

  test('GIVEN any stage WHEN synthesized THEN OAuth allows the authorization-code grant only', () => {
    for (const result of [dev, prod, variant]) {
      result.template.hasResourceProperties('AWS::Cognito::UserPoolClient', { AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true });
    }
  });

  test('GIVEN default scopes WHEN synthesized THEN they are exactly openid, email, profile (no admin scope)', () => {
    expect(client(dev).Properties.AllowedOAuthScopes).toEqual(['openid', 'email', 'profile']);
  });

  test('GIVEN configured scopes WHEN synthesized THEN exactly those are allowed', () => {
    expect(client(variant).Properties.AllowedOAuthScopes).toEqual(['openid', 'email', 'phone']);
  });

  test("GIVEN callback and logout URLs in config WHEN synthesized THEN the client lists exactly those (and the hosted web app's, where hosted)", () => {
    // dev hosts the web app: its CloudFront URL follows the configured ones (test/web-app covers it in detail).
    const site = (path: string) => ({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^WebAppDistribution/), 'DomainName'] }, path]] });
    expect(client(dev).Properties).toEqual(
      expect.objectContaining({
        CallbackURLs: ['http://localhost:5173/auth/callback', site('/auth/callback')],
        LogoutURLs: ['http://localhost:5173/', site('/')],
      }),
    );
    expect(client(prod).Properties).toEqual(
      expect.objectContaining({ CallbackURLs: ['https://app.example.org/auth/callback'], LogoutURLs: ['https://app.example.org/'] }),
    );
    expect(client(variant).Properties).toEqual(expect.objectContaining({ CallbackURLs: WEB_URLS.callbackUrls, LogoutURLs: WEB_URLS.logoutUrls }));
  });

  test('GIVEN any stage WHEN synthesized THEN no client anywhere allows https://example.com', () => {
    for (const result of [dev, prod, variant, mfaOff]) expect(JSON.stringify(result.template.toJSON())).not.toMatch(/https:\/\/example\.com/i);
  });

  test('GIVEN any stage WHEN synthesized THEN user existence errors are hidden and tokens can be revoked', () => {
    for (const result of [dev, prod, variant]) {
      result.template.hasResourceProperties('AWS::Cognito::UserPoolClient', { PreventUserExistenceErrors: 'ENABLED', EnableTokenRevocation: true });
    }
  });

  test.each<[string, () => SynthResult, Record<string, number>]>([
    ['default (dev)', () => dev, { AccessTokenValidity: 30, IdTokenValidity: 30, RefreshTokenValidity: 7 * 24 * 60, AuthSessionValidity: 3 }],
    ['prod', () => prod, { AccessTokenValidity: 15, IdTokenValidity: 15, RefreshTokenValidity: 24 * 60, AuthSessionValidity: 3 }],
    ['variant', () => variant, { AccessTokenValidity: 60, IdTokenValidity: 5, RefreshTokenValidity: 30 * 24 * 60, AuthSessionValidity: 15 }],
  ])('GIVEN %s token lifetimes WHEN synthesized THEN values are in minutes with explicit units', (_name, result, values) => {
    const { Properties } = client(result());
    expect(Properties).toEqual(expect.objectContaining(values));
    expect(Properties.TokenValidityUnits).toEqual({ AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' });
  });

  test('GIVEN no provider (dev) WHEN synthesized THEN the client may write email and name but never email_verified', () => {
    const { WriteAttributes, ReadAttributes } = client(dev).Properties;
    expect([...WriteAttributes].sort()).toEqual(['email', 'name']);
    expect([...ReadAttributes].sort()).toEqual(['email', 'email_verified', 'name']);
  });

  test('GIVEN a provider that maps email_verified (prod: Google) WHEN synthesized THEN the client may write it too, as Cognito needs for mapped attributes', () => {
    const { WriteAttributes, ReadAttributes } = client(prod).Properties;
    expect([...WriteAttributes].sort()).toEqual(['email', 'email_verified', 'name']);
    expect([...ReadAttributes].sort()).toEqual(['email', 'email_verified', 'name']);
  });

  test('GIVEN no identity providers (dev) WHEN synthesized THEN the client offers Cognito sign-in only and depends on nothing', () => {
    expect(client(dev).Properties.SupportedIdentityProviders).toEqual(['COGNITO']);
    expect(client(dev).DependsOn).toBeUndefined();
  });

  test('GIVEN any stage WHEN synthesized THEN the client belongs to the pool', () => {
    const userPoolId = new Capture();
    prod.template.hasResourceProperties('AWS::Cognito::UserPoolClient', { UserPoolId: userPoolId });
    expect(userPoolId.asObject()).toEqual(poolRef(prod));
  });
});

describe('sign-in domain', () => {
  test('GIVEN a Cognito prefix with managed login (prod) WHEN synthesized THEN the domain uses managed login v2', () => {
    prod.template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    prod.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'example-org-signin',
      ManagedLoginVersion: 2,
      CustomDomainConfig: Match.absent(),
      UserPoolId: poolRef(prod),
    });
  });

  test('GIVEN managed login v2 WHEN synthesized THEN the client has a managed login branding created after the domain', () => {
    const clientId = new Capture();
    prod.template.resourceCountIs('AWS::Cognito::ManagedLoginBranding', 1);
    prod.template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      ClientId: clientId,
      UserPoolId: poolRef(prod),
      UseCognitoProvidedValues: true,
    });
    expect(clientId.asObject()).toEqual({ Ref: logicalId(prod.stack.userDirectory.webClient) });
    const branding = resourceOf(prod, prod.stack.userDirectory.managedLoginBranding!);
    expect(branding.DependsOn).toEqual([logicalId(prod.stack.userDirectory.domain!)]);
  });

  test('GIVEN a custom domain with a certificate and classic login (variant) WHEN synthesized THEN the domain carries the certificate and version 1', () => {
    variant.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'auth.example.org',
      CustomDomainConfig: { CertificateArn: CERTIFICATE_ARN },
      ManagedLoginVersion: 1,
    });
  });

  test('GIVEN classic login WHEN synthesized THEN there is no managed login branding', () => {
    variant.template.resourceCountIs('AWS::Cognito::ManagedLoginBranding', 0);
    mfaOff.template.resourceCountIs('AWS::Cognito::ManagedLoginBranding', 0);
    mfaOff.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'example-org-classic', ManagedLoginVersion: 1 });
  });

  test('GIVEN no domain (dev) WHEN synthesized THEN there is neither a domain nor a branding', () => {
    dev.template.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
    dev.template.resourceCountIs('AWS::Cognito::ManagedLoginBranding', 0);
  });
});

describe('removal', () => {
  test('GIVEN removal "destroy" (dev) WHEN synthesized THEN the pool is deleted with the stack and unprotected', () => {
    dev.template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtection: 'INACTIVE' }),
    });
  });

  test('GIVEN removal "retain" (prod) WHEN synthesized THEN the pool is retained on delete and replace, with deletion protection', () => {
    prod.template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });
});
