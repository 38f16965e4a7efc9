import { Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { listStages } from '../../lib/config/load-stage-config';
import type { StageConfigInput } from '../../lib/config/stage-config';
import { addRulePacks } from '../../lib/composition/rule-packs';
import { contextApp, synthStage, unacknowledgedFindings } from '../support/synth';

describe('cdk-nag rule packs', () => {
  test.each(listStages())(
    'GIVEN config/%s.json WHEN synthesized with AwsSolutions, Serverless and the Control Tower controls THEN no finding is left unacknowledged',
    (stage) => {
      const { assembly } = synthStage({ stage, cfnValidation: true, controlTower: true });
      expect(unacknowledgedFindings(assembly)).toEqual([]);
    },
  );

  /** Every documented switch away from the shipped stages' choices, at once. */
  const EVERY_SWITCH: StageConfigInput = {
    region: 'eu-west-1',
    removal: 'destroy',
    userPool: {
      selfSignUp: true,
      featurePlan: 'essentials',
      mfa: { mode: 'off', totp: false, sms: true, email: true },
      email: { sesFromAddress: 'no-reply@auth.example.org' },
      // The default group may not be a read-all one (every new user would read every file).
      groups: [{ name: 'auditors', fileAccess: 'read-all' }, { name: 'members' }],
      signIn: { firstFactors: ['password', 'emailOtp', 'smsOtp', 'passkey'], passkeyUserVerification: 'required' },
      triggers: { allowedEmailDomains: ['example.org', 'example.com'], defaultGroup: 'members' },
    },
    webClient: {
      callbackUrls: ['https://app.example.org/cb'],
      logoutUrls: ['https://app.example.org/'],
      scopes: ['openid', 'phone', 'aws.cognito.signin.user.admin'],
      refreshTokenRotation: { enabled: false },
    },
    machineClients: [
      { name: 'reporting', scopes: ['uploads.read'], accessTokenMinutes: 15 },
      { name: 'billing-export', scopes: ['uploads.read'] },
    ],
    domain: {
      customDomain: { name: 'auth.example.org', certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000' },
      managedLoginVersion: 'classic',
    },
    identityProviders: {
      // Every sign-up policy; providers without email_verified admit existing users only under the pool allow-list.
      google: { clientId: 'g', clientSecret: { secretName: 's/google', jsonField: 'secret' }, signUp: { allowedEmailDomains: ['example.org'] } },
      facebook: { clientId: 'f', clientSecret: { secretName: 's/facebook' }, signUp: 'existingUsers' },
      amazon: { clientId: 'a', clientSecret: { secretName: 's/amazon' }, signUp: 'existingUsers' },
      apple: { servicesId: 'org.example.web', teamId: 'ABCDE12345', keyId: 'KEY1234567', privateKey: { secretName: 's/apple' } },
      oidc: [{ name: 'corp-oidc', issuerUrl: 'https://login.example.org', clientId: 'o', clientSecret: { secretName: 's/oidc' } }],
      saml: [{ name: 'corp-saml', metadataUrl: 'https://idp.example.org/metadata.xml', signUp: 'existingUsers' }],
    },
    webOrigins: ['https://app.example.org', 'https://admin.example.org'],
    identityPool: { allowGuests: true },
    storage: { kmsEncryption: true, accessLogs: false },
    api: {
      executionLogLevel: 'off',
      tracing: false,
      authorizerCacheSeconds: 0,
      webAclArn: 'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/api/00000000-0000-0000-0000-000000000000',
      accessLogRetentionDays: 30,
    },
    protection: { logEncryption: true },
  };

  /** The stack's own web ACL with non-default rules, alarms to an address, a retained stage with SMS MFA. */
  const OWN_PROTECTION: StageConfigInput = {
    region: 'eu-west-1',
    removal: 'retain',
    userPool: { featurePlan: 'plus', mfa: { mode: 'required', totp: true, sms: true } },
    webClient: { callbackUrls: ['https://app.example.org/cb'], logoutUrls: ['https://app.example.org/'] },
    storage: { kmsEncryption: true },
    api: { accessLogRetentionDays: 400, handlerLogRetentionDays: 365 },
    protection: {
      waf: { enabled: true, rateLimitPer5Minutes: 500, managedRuleGroups: ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesAnonymousIpList'] },
      alarmEmail: 'ops@example.org',
      logEncryption: true,
    },
    webApp: { enabled: true },
  };

  test('GIVEN a config that flips every documented switch WHEN synthesized THEN every finding it causes is acknowledged', () => {
    const { assembly } = synthStage({ stage: 'every-switch', config: EVERY_SWITCH, cfnValidation: true, controlTower: true });
    expect(unacknowledgedFindings(assembly)).toEqual([]);
  });

  test('GIVEN a retained stage with its own web ACL, alarms, log encryption and SMS MFA WHEN synthesized THEN no finding is left unacknowledged', () => {
    const { assembly } = synthStage({ stage: 'own-protection', config: OWN_PROTECTION, cfnValidation: true, controlTower: true });
    expect(unacknowledgedFindings(assembly)).toEqual([]);
  });

  test('GIVEN a construct with an unacknowledged finding WHEN the packs run THEN synth fails naming the rule', () => {
    const app = contextApp();
    new cognito.UserPool(new Stack(app, 'Bare'), 'Pool');
    addRulePacks(app);
    expect(() => app.synth()).toThrow(/AwsSolutions-COG1/);
  });
});
