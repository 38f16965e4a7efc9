/**
 * Bad stage files give one line per problem: `<file>: <field path>: expected …; found …`.
 * The line is all a user sees (bin/ prints no stack trace), so each test pins
 * the file, the field and what was found.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listStages, loadStageConfig, parseStageConfig, StageConfigError } from '../../lib/config/load-stage-config';

const FILE = 'config/test.json';

/** The smallest config that validates; each case breaks exactly one thing. */
function validConfig(): Record<string, any> {
  return {
    webClient: { callbackUrls: ['https://app.example.org/auth/callback'], logoutUrls: ['https://app.example.org/'] },
  };
}

const SIGN_IN_DOMAIN = { prefix: 'example-org-signin' };
const SES = { sesFromAddress: 'no-reply@example.org', sesRegion: 'eu-west-1' };
const SECRET = { secretName: 'cognito-access/test/idp', jsonField: 'clientSecret' };
/** Stages here do not allow self sign-up, so every provider states its sign-up policy. */
const SIGN_UP = { signUp: 'existingUsers' } as const;

/** Problems reported for a config, or [] when it validates. */
function problemsOf(config: unknown): string[] {
  try {
    parseStageConfig(config, FILE);
    return [];
  } catch (error) {
    if (!(error instanceof StageConfigError)) throw error;
    return error.problems;
  }
}

function withChange(change: (config: Record<string, any>) => void): Record<string, any> {
  const config = validConfig();
  change(config);
  return config;
}

describe('stage config errors name the file, the field, what was expected and what was found', () => {
  test('GIVEN the minimal config WHEN validated THEN it has no problems (the baseline every case breaks)', () => {
    expect(problemsOf(validConfig())).toEqual([]);
  });

  // [case, change, field path, a phrase of the expectation, what was found (as JSON)].
  // Rules a construct owns are refused when the stack is built: see construct-rules.test.ts.
  const cases: Array<[string, (c: Record<string, any>) => void, string, string, string]> = [
    ['unknown top-level key', (c) => (c.colour = 'blue'), 'colour', 'no such key', '"blue"'],
    ['a "*" web origin', (c) => (c.webOrigins = ['*']), 'webOrigins[0]', 'an origin such as https://app.example.org', '"*"'],
    ['a wildcard-subdomain web origin', (c) => (c.webOrigins = ['https://*.example.org']), 'webOrigins[0]', 'no "*"', '"https://*.example.org"'],
    ['a web origin with a path', (c) => (c.webOrigins = ['https://app.example.org/app']), 'webOrigins[0]', 'no path', '"https://app.example.org/app"'],
    [
      'an acknowledgement without a reason',
      (c) => (c.acknowledgements = [{ id: 'AwsSolutions-COG2', reason: 'ok' }]),
      'acknowledgements[0].reason',
      'a reason of at least 20 characters',
      '"ok"',
    ],
    [
      'an acknowledgement of an unknown rule format',
      (c) => (c.acknowledgements = [{ id: 'COG2', reason: 'a reason long enough to count' }]),
      'acknowledgements[0].id',
      'a rule-pack finding ID',
      '"COG2"',
    ],
    ['unknown nested key', (c) => (c.userPool = { mfa: { mode: 'optional', smsEnabled: true } }), 'userPool.mfa.smsEnabled', 'no such key', 'true'],
    [
      'unknown key inside a provider',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.identityProviders = { google: { ...SIGN_UP, clientId: 'g', clientSecret: SECRET, clientSecretValue: 'x' } };
      },
      'identityProviders.google.clientSecretValue',
      'no such key',
      '"x"',
    ],
    ['uppercase domain prefix', (c) => (c.domain = { prefix: 'MyApp' }), 'domain.prefix', 'lowercase letters, digits and hyphens', '"MyApp"'],
    ['domain prefix with a leading hyphen', (c) => (c.domain = { prefix: '-myapp' }), 'domain.prefix', 'not starting or ending with a hyphen', '"-myapp"'],
    ['domain prefix with a trailing hyphen', (c) => (c.domain = { prefix: 'myapp-' }), 'domain.prefix', 'not starting or ending with a hyphen', '"myapp-"'],
    ['domain prefix with "aws"', (c) => (c.domain = { prefix: 'my-aws-login' }), 'domain.prefix', 'reserved words aws, amazon, cognito', '"my-aws-login"'],
    ['domain prefix with "amazon"', (c) => (c.domain = { prefix: 'amazon-shop' }), 'domain.prefix', 'reserved words', '"amazon-shop"'],
    ['domain prefix with "cognito"', (c) => (c.domain = { prefix: 'mycognitoapp' }), 'domain.prefix', 'reserved words', '"mycognitoapp"'],
    ['domain prefix of 64 characters', (c) => (c.domain = { prefix: 'a'.repeat(64) }), 'domain.prefix', '1-63', `"${'a'.repeat(64)}"`],
    [
      'https://example.com callback',
      (c) => (c.webClient.callbackUrls = ['https://example.com']),
      'webClient.callbackUrls[0]',
      'not the CDK placeholder https://example.com',
      '"https://example.com"',
    ],
    [
      'https://example.com/ logout URL',
      (c) => (c.webClient.logoutUrls = ['https://app.example.org/', 'https://example.com/']),
      'webClient.logoutUrls[1]',
      'CDK placeholder',
      '"https://example.com/"',
    ],
    [
      'http callback on a non-localhost host',
      (c) => (c.webClient.callbackUrls = ['http://app.example.org/cb']),
      'webClient.callbackUrls[0]',
      'http:// only for localhost',
      '"http://app.example.org/cb"',
    ],
    [
      'callback with a #fragment',
      (c) => (c.webClient.callbackUrls = ['https://app.example.org/cb#token']),
      'webClient.callbackUrls[0]',
      'without a #fragment',
      '"https://app.example.org/cb#token"',
    ],
    [
      'callback that is not a URL',
      (c) => (c.webClient.callbackUrls = ['app.example.org/cb']),
      'webClient.callbackUrls[0]',
      'absolute URL',
      '"app.example.org/cb"',
    ],
    ['email MFA without SES', (c) => (c.userPool = { mfa: { mode: 'optional', email: true } }), 'userPool.mfa.email', 'email.sesFromAddress', 'true'],
    [
      'MFA on with no factor',
      (c) => (c.userPool = { mfa: { mode: 'required', totp: false } }),
      'userPool.mfa',
      'at least one of totp, sms or email',
      '{"mode":"required","totp":false}',
    ],
    [
      'two OIDC providers with one name',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        const oidc = { ...SIGN_UP, issuerUrl: 'https://idp.example.org', clientId: 'c', clientSecret: SECRET };
        c.identityProviders = {
          oidc: [
            { name: 'Corp', ...oidc },
            { name: 'Corp', ...oidc },
          ],
        };
      },
      'identityProviders.oidc[1].name',
      'a provider name used once',
      '"Corp"',
    ],
    [
      'an OIDC and a SAML provider whose names differ only in case',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.identityProviders = {
          oidc: [{ ...SIGN_UP, name: 'Corp', issuerUrl: 'https://idp.example.org', clientId: 'c', clientSecret: SECRET }],
          saml: [{ ...SIGN_UP, name: 'corp', metadataUrl: 'https://idp.example.org/metadata.xml' }],
        };
      },
      'identityProviders.saml[0].name',
      'a provider name used once',
      '"corp"',
    ],
    [
      'a provider named like a built-in one',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.identityProviders = { saml: [{ ...SIGN_UP, name: 'Google', metadataUrl: 'https://idp.example.org/metadata.xml' }] };
      },
      'identityProviders.saml[0].name',
      "Cognito's built-in provider names",
      '"Google"',
    ],
    [
      'a provider named COGNITO',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.identityProviders = { oidc: [{ ...SIGN_UP, name: 'COGNITO', issuerUrl: 'https://idp.example.org', clientId: 'c', clientSecret: SECRET }] };
      },
      'identityProviders.oidc[0].name',
      'built-in provider names',
      '"COGNITO"',
    ],
    [
      'a provider named SignInWithApple',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.identityProviders = { saml: [{ ...SIGN_UP, name: 'SignInWithApple', metadataUrl: 'https://idp.example.org/metadata.xml' }] };
      },
      'identityProviders.saml[0].name',
      'built-in provider names',
      '"SignInWithApple"',
    ],
    [
      'an OIDC issuer over http',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.identityProviders = { oidc: [{ ...SIGN_UP, name: 'Corp', issuerUrl: 'http://idp.example.org', clientId: 'c', clientSecret: SECRET }] };
      },
      'identityProviders.oidc[0].issuerUrl',
      'https:// URL',
      '"http://idp.example.org"',
    ],
    [
      'a bad Apple team ID',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.identityProviders = { apple: { ...SIGN_UP, servicesId: 'org.example.signin', teamId: 'abc123', keyId: 'ABCDE12345', privateKey: SECRET } };
      },
      'identityProviders.apple.teamId',
      '10-character Apple team ID',
      '"abc123"',
    ],
    [
      'a secret name with a space',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.identityProviders = { google: { ...SIGN_UP, clientId: 'g', clientSecret: { secretName: 'my secret' } } };
      },
      'identityProviders.google.clientSecret.secretName',
      'Secrets Manager secret name or ARN',
      '"my secret"',
    ],
    [
      'a plaintext secret instead of a reference',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.identityProviders = { facebook: { ...SIGN_UP, clientId: 'f', clientSecret: 'plaintext-app-secret' } };
      },
      'identityProviders.facebook.clientSecret',
      'object',
      '"plaintext-app-secret"',
    ],
    [
      'a secret reference with an unknown key',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.identityProviders = { amazon: { ...SIGN_UP, clientId: 'a', clientSecret: { secretName: 's', value: 'plaintext' } } };
      },
      'identityProviders.amazon.clientSecret.value',
      'no such key',
      '"plaintext"',
    ],
    [
      'a certificate outside us-east-1',
      (c) => {
        c.domain = {
          customDomain: { name: 'auth.example.org', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012' },
        };
      },
      'domain.customDomain.certificateArn',
      'ACM certificate ARN in us-east-1',
      '"arn:aws:acm:eu-west-1:123456789012',
    ],
    [
      'a certificate ARN of another service',
      (c) => {
        c.domain = { customDomain: { name: 'auth.example.org', certificateArn: 'arn:aws:iam::123456789012:server-certificate/auth' } };
      },
      'domain.customDomain.certificateArn',
      'ACM certificate ARN in us-east-1',
      '"arn:aws:iam::123456789012:server-certificate/auth"',
    ],
    [
      'an http://localhost callback in a retained stage',
      (c) => (c.webClient.callbackUrls = ['http://localhost:5173/auth/callback']),
      'webClient.callbackUrls[0]',
      'a URL whose host is not this machine in a retained (production) stage',
      '"http://localhost:5173/auth/callback"',
    ],
    [
      'an http://localhost logout URL in a retained stage',
      (c) => (c.webClient.logoutUrls = ['https://app.example.org/', 'http://127.0.0.1:3000/']),
      'webClient.logoutUrls[1]',
      'a URL whose host is not this machine in a retained (production) stage',
      '"http://127.0.0.1:3000/"',
    ],
    [
      'an http://localhost web origin in a retained stage',
      (c) => (c.webOrigins = ['https://app.example.org', 'http://localhost:5173']),
      'webOrigins[1]',
      'an origin whose host is not this machine in a retained (production) stage',
      '"http://localhost:5173"',
    ],
    [
      'a 31-day refresh token in a retained stage',
      (c) => (c.webClient.refreshTokenDays = 31),
      'webClient.refreshTokenDays',
      'at most 30 days in a retained (production) stage',
      '31',
    ],
    [
      'a 61-minute machine token in a retained stage',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.machineClients = [{ name: 'reporting', scopes: ['uploads.read'], accessTokenMinutes: 61 }];
      },
      'machineClients[0].accessTokenMinutes',
      'at most 60 minutes in a retained (production) stage',
      '61',
    ],
    // Who can sign up (docs/sign-in.md, "Who can sign up").
    [
      'a provider without a sign-up policy while self sign-up is off',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.identityProviders = { google: { clientId: 'g', clientSecret: SECRET } };
      },
      'identityProviders.google.signUp',
      'a sign-up policy while userPool.selfSignUp is false',
      'nothing',
    ],
    [
      'a SAML provider without a sign-up policy while self sign-up is off',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.userPool = { selfSignUp: false };
        c.identityProviders = { saml: [{ name: 'CorpSSO', metadataUrl: 'https://idp.example.org/metadata.xml' }] };
      },
      'identityProviders.saml[0].signUp',
      '"existingUsers" (only users an administrator created and linked), {"allowedEmailDomains": ["example.org"]} or "open"',
      'nothing',
    ],
    [
      'an unknown sign-up policy',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.identityProviders = { google: { clientId: 'g', clientSecret: SECRET, signUp: 'closed' } };
      },
      'identityProviders.google.signUp',
      'one of "open", "existingUsers"',
      '"closed"',
    ],
    [
      'a provider allow-list with an uppercase domain',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.identityProviders = {
          oidc: [{ name: 'Okta', issuerUrl: 'https://idp.example.org', clientId: 'c', clientSecret: SECRET, signUp: { allowedEmailDomains: ['Example.org'] } }],
        };
      },
      'identityProviders.oidc[0].signUp.allowedEmailDomains[0]',
      'a lowercase email domain',
      '"Example.org"',
    ],
    [
      'a default group that reads every file',
      (c) => (c.userPool = { groups: [{ name: 'admins', fileAccess: 'read-all' }, { name: 'members' }], triggers: { defaultGroup: 'admins' } }),
      'userPool.triggers.defaultGroup',
      'a group whose fileAccess is "own"',
      '"admins"',
    ],
    [
      'a 61-minute ID token in a retained stage',
      (c) => (c.webClient.idTokenMinutes = 61),
      'webClient.idTokenMinutes',
      'at most 60 minutes in a retained',
      '61',
    ],
    [
      'a 2-hour access token in a retained stage',
      (c) => (c.webClient.accessTokenMinutes = 120),
      'webClient.accessTokenMinutes',
      'at most 60 minutes in a retained',
      '120',
    ],
    [
      'a secret pinned by both version ID and stage',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.identityProviders = {
          google: { ...SIGN_UP, clientId: 'g', clientSecret: { ...SECRET, versionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111', versionStage: 'AWSCURRENT' } },
        };
      },
      'identityProviders.google.clientSecret.versionStage',
      'either versionId or versionStage, not both',
      '"AWSCURRENT"',
    ],
    [
      'a WAF rule group that is not an AWS managed one',
      (c) => (c.protection = { waf: { enabled: true, managedRuleGroups: ['MyRules'] } }),
      'protection.waf.managedRuleGroups[0]',
      'an AWS managed rule group name',
      '"MyRules"',
    ],
    ['an alarm email that is not an address', (c) => (c.protection = { alarmEmail: 'ops' }), 'protection.alarmEmail', 'email', '"ops"'],
    ['an unknown removal policy', (c) => (c.removal = 'keep'), 'removal', 'one of "retain", "destroy"', '"keep"'],
    ['a missing web client', (c) => delete c.webClient, 'webClient', 'object', 'nothing'],
    ['an empty callback list', (c) => (c.webClient.callbackUrls = []), 'webClient.callbackUrls', '>=1', '[]'],
    ['a password shorter than Cognito allows', (c) => (c.userPool = { passwordPolicy: { minLength: 6 } }), 'userPool.passwordPolicy.minLength', '>=8', '6'],
    ['an access token lifetime under 5 minutes', (c) => (c.webClient.accessTokenMinutes = 1), 'webClient.accessTokenMinutes', '>=5', '1'],
    ['scopes without openid', (c) => (c.webClient.scopes = ['email']), 'webClient.scopes', 'includes "openid"', '["email"]'],
    [
      'a duplicate group',
      (c) => (c.userPool = { groups: [{ name: 'admins' }, { name: 'admins' }] }),
      'userPool.groups[1].name',
      'a unique group name',
      '"admins"',
    ],
    // The next three once passed validation and then crashed synth with a construct-ID clash.
    [
      'groups differing only in case',
      (c) => (c.userPool = { groups: [{ name: 'admins' }, { name: 'Admins' }] }),
      'userPool.groups[1].name',
      'differs from "admins" by more than case or punctuation',
      '"Admins"',
    ],
    [
      'SAML providers differing only in punctuation',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.identityProviders = {
          saml: [
            { ...SIGN_UP, name: 'corp-sso', metadataUrl: 'https://idp.example.org/a.xml' },
            { ...SIGN_UP, name: 'corp.sso', metadataUrl: 'https://idp.example.org/b.xml' },
          ],
        };
      },
      'identityProviders.saml[1].name',
      'differs from "corp-sso" by more than punctuation',
      '"corp.sso"',
    ],
    [
      'a provider name with "_" (Cognito refuses it)',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.identityProviders = { saml: [{ ...SIGN_UP, name: 'corp_sso', metadataUrl: 'https://idp.example.org/metadata.xml' }] };
      },
      'identityProviders.saml[0].name',
      '3 to 32 letters, digits, "." or "-"',
      '"corp_sso"',
    ],
    [
      'a secret JSON field with a colon',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.identityProviders = { google: { ...SIGN_UP, clientId: 'g', clientSecret: { secretName: 'idp/google', jsonField: 'client:secret' } } };
      },
      'identityProviders.google.clientSecret.jsonField',
      'a JSON key without ":"',
      '"client:secret"',
    ],
    [
      'https://example.com with an explicit port',
      (c) => (c.webClient.callbackUrls = ['https://example.com:443/']),
      'webClient.callbackUrls[0]',
      'CDK placeholder',
      '"https://example.com:443/"',
    ],
    [
      'https://example.com with a query',
      (c) => (c.webClient.logoutUrls = ['https://example.com?signedout=1']),
      'webClient.logoutUrls[0]',
      'CDK placeholder',
      '"https://example.com?signedout=1"',
    ],
    [
      'email through SES without a region',
      (c) => (c.userPool = { email: { sesFromAddress: 'no-reply@example.org' } }),
      'userPool.email.sesRegion',
      'an SES region',
      'nothing',
    ],
    // Sign-in choices: every mix Cognito refuses (see docs/sign-in.md, "Choosing sign-in methods").
    [
      'first factors without password',
      (c) => (c.userPool = { email: SES, signIn: { firstFactors: ['emailOtp'] } }),
      'userPool.signIn.firstFactors',
      'a list that includes "password"',
      '["emailOtp"]',
    ],
    [
      'a first factor twice',
      (c) => (c.userPool = { signIn: { firstFactors: ['password', 'password'] } }),
      'userPool.signIn.firstFactors',
      'each factor once',
      '["password","password"]',
    ],
    [
      'an unknown first factor',
      (c) => (c.userPool = { signIn: { firstFactors: ['password', 'magicLink'] } }),
      'userPool.signIn.firstFactors[1]',
      'one of',
      '"magicLink"',
    ],
    [
      'a relying party that is a URL',
      (c) => (c.userPool = { signIn: { firstFactors: ['password', 'passkey'], passkeyRelyingPartyId: 'https://auth.example.org' } }),
      'userPool.signIn.passkeyRelyingPartyId',
      'a host name',
      '"https://auth.example.org"',
    ],
    [
      'passkeys on a prefix domain whose host is too long for a relying party',
      (c) => {
        c.region = 'eu-west-1';
        c.domain = { prefix: 'a-very-long-sign-in-prefix-for-this-organization' };
        c.userPool = { signIn: { firstFactors: ['password', 'passkey'] } };
      },
      'userPool.signIn.passkeyRelyingPartyId',
      'a relying party of at most 63 characters',
      'nothing',
    ],
    [
      'email codes without SES',
      (c) => (c.userPool = { signIn: { firstFactors: ['password', 'emailOtp'] } }),
      'userPool.signIn.firstFactors',
      'userPool.email (SES)',
      '["password","emailOtp"]',
    ],
    [
      'SMS codes without SMS',
      (c) => (c.userPool = { signIn: { firstFactors: ['password', 'smsOtp'] } }),
      'userPool.signIn.firstFactors',
      'mfa.sms true',
      '["password","smsOtp"]',
    ],
    [
      'passwordless factors with MFA required',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.userPool = { mfa: { mode: 'required', totp: true }, signIn: { firstFactors: ['password', 'passkey'] } };
      },
      'userPool.signIn.firstFactors',
      'only "password" while mfa.mode is "required"',
      '["password","passkey"]',
    ],
    [
      'an unknown passkey verification',
      (c) => (c.userPool = { signIn: { passkeyUserVerification: 'always' } }),
      'userPool.signIn.passkeyUserVerification',
      'one of',
      '"always"',
    ],
    [
      'an email domain with a user part',
      (c) => (c.userPool = { triggers: { allowedEmailDomains: ['bob@example.org'] } }),
      'userPool.triggers.allowedEmailDomains[0]',
      'a lowercase email domain',
      '"bob@example.org"',
    ],
    ['an empty email domain list', (c) => (c.userPool = { triggers: { allowedEmailDomains: [] } }), 'userPool.triggers.allowedEmailDomains', '>=1 items', '[]'],
    [
      'a rotation grace period over a minute',
      (c) => (c.webClient.refreshTokenRotation = { retryGraceSeconds: 61 }),
      'webClient.refreshTokenRotation.retryGraceSeconds',
      '<=60',
      '61',
    ],
    [
      'a machine client scope the resource server lacks',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.machineClients = [{ name: 'reporting', scopes: ['uploads.write'] }];
      },
      'machineClients[0].scopes[0]',
      'a scope of the "api" resource server: uploads.read',
      '"uploads.write"',
    ],
    [
      'two machine clients with one name',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.machineClients = [
          { name: 'reporting', scopes: ['uploads.read'] },
          { name: 'Reporting', scopes: ['uploads.read'] },
        ];
      },
      'machineClients[1].name',
      'differs from "reporting"',
      '"Reporting"',
    ],
    [
      'a machine client without scopes',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.machineClients = [{ name: 'reporting', scopes: [] }];
      },
      'machineClients[0].scopes',
      '>=1',
      '[]',
    ],
    [
      'a provider allow-list without domains',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.identityProviders = { google: { clientId: 'g', clientSecret: SECRET, signUp: { allowedEmailDomains: [] } } };
      },
      'identityProviders.google.signUp.allowedEmailDomains',
      '>=1',
      '[]',
    ],
    [
      'a machine token lifetime under 5 minutes',
      (c) => {
        c.domain = SIGN_IN_DOMAIN;
        c.machineClients = [{ name: 'reporting', scopes: ['uploads.read'], accessTokenMinutes: 1 }];
      },
      'machineClients[0].accessTokenMinutes',
      '>=5',
      '1',
    ],
  ];

  test.each(cases)('GIVEN %s WHEN validated THEN one line names the file and field', (_name, change, field, expected, found) => {
    const problems = problemsOf(withChange(change));

    expect(problems).toHaveLength(1);
    const [line] = problems;
    expect(line).not.toContain('\n');
    expect(line.startsWith(`${FILE}: ${field}: expected `)).toBe(true);
    const [, expectation, foundText] = /^[^:]+: [^:]+: expected (.+); found (.+)$/s.exec(line) ?? [];
    expect(expectation).toContain(expected);
    expect(foundText.startsWith(found)).toBe(true);
  });

  test('GIVEN the three must-show mistakes WHEN validated THEN the lines read exactly as documented', () => {
    expect(problemsOf(withChange((c) => (c.colour = 'blue')))).toEqual([
      `${FILE}: colour: expected no such key (unknown keys are errors; see config/stage-config.schema.json); found "blue"`,
    ]);
    expect(problemsOf(withChange((c) => (c.domain = { prefix: 'My_App' })))).toEqual([
      `${FILE}: domain.prefix: expected a Cognito domain prefix: 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen; found "My_App"`,
    ]);
    expect(problemsOf(withChange((c) => (c.webClient.callbackUrls = ['https://example.com'])))).toEqual([
      `${FILE}: webClient.callbackUrls[0]: expected a real URL of your app, not the CDK placeholder https://example.com; found "https://example.com"`,
    ]);
  });

  test('GIVEN several mistakes WHEN validated THEN each gets its own line', () => {
    const problems = problemsOf(
      withChange((c) => {
        c.colour = 'blue';
        c.removal = 'keep';
        c.webClient.callbackUrls = ['https://example.com'];
      }),
    );

    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^config\/test\.json: colour: /),
        expect.stringMatching(/^config\/test\.json: removal: /),
        expect.stringMatching(/^config\/test\.json: webClient\.callbackUrls\[0\]: /),
      ]),
    );
  });

  test('GIVEN a long value WHEN reported THEN it is shortened so the line stays readable', () => {
    const [line] = problemsOf(withChange((c) => (c.domain = { prefix: 'a'.repeat(200) })));
    expect(line.length).toBeLessThan(300);
    expect(line).toMatch(/found "a+\.\.\.$/);
  });

  describe('values that look wrong but are valid', () => {
    test.each<[string, (c: Record<string, any>) => void]>([
      [
        'http://localhost callbacks in a throwaway stage',
        (c) => ((c.removal = 'destroy'), (c.webClient.callbackUrls = ['http://localhost:5173/auth/callback'])),
      ],
      ['http://127.0.0.1 callbacks in a throwaway stage', (c) => ((c.removal = 'destroy'), (c.webClient.callbackUrls = ['http://127.0.0.1:3000/']))],
      [
        'a Control Tower finding acknowledged by its rule',
        (c) =>
          (c.acknowledgements = [
            { id: 'cdk-validator-cfnguard::s3_bucket_versioning_enabled_check', reason: 'this stage keeps no data worth a second version' },
          ]),
      ],
      [
        "the stack's own web ACL with other rule groups",
        (c) => (c.protection = { waf: { enabled: true, managedRuleGroups: ['AWSManagedRulesAnonymousIpList'] } }),
      ],
      ['a 24-hour ID token in a throwaway stage', (c) => ((c.removal = 'destroy'), (c.webClient.idTokenMinutes = 1440))],
      ['a 60-minute access token in a retained stage', (c) => (c.webClient.accessTokenMinutes = 60)],
      [
        'a 30-day refresh token and a 60-minute machine token in a retained stage',
        (c) => {
          c.domain = SIGN_IN_DOMAIN;
          c.webClient.refreshTokenDays = 30;
          c.machineClients = [{ name: 'reporting', scopes: ['uploads.read'], accessTokenMinutes: 60 }];
        },
      ],
      [
        'a 90-day refresh token and a 2-hour machine token in a throwaway stage',
        (c) => {
          c.removal = 'destroy';
          c.domain = SIGN_IN_DOMAIN;
          c.webClient.refreshTokenDays = 90;
          c.machineClients = [{ name: 'reporting', scopes: ['uploads.read'], accessTokenMinutes: 120 }];
        },
      ],
      [
        'https://localhost callbacks and origins in a throwaway stage',
        (c) => {
          c.removal = 'destroy';
          c.webClient.callbackUrls = ['https://localhost:5173/cb'];
          c.webOrigins = ['https://localhost:5173', 'http://127.0.0.1:3000'];
        },
      ],
      [
        'a retained host that merely starts with "localhost" or "127"',
        (c) => {
          c.webClient.callbackUrls = ['https://localhost.example.org/cb', 'https://127.example.org/cb'];
          c.webOrigins = ['https://localhost.example.org'];
        },
      ],
      [
        'providers without a sign-up policy while self sign-up is on (open by default)',
        (c) => {
          c.domain = SIGN_IN_DOMAIN;
          c.userPool = { selfSignUp: true };
          c.identityProviders = {
            google: { clientId: 'g', clientSecret: SECRET },
            saml: [{ name: 'CorpSSO', metadataUrl: 'https://idp.example.org/metadata.xml' }],
          };
        },
      ],
      [
        'every sign-up policy with self sign-up off, under a pool allow-list',
        (c) => {
          c.domain = SIGN_IN_DOMAIN;
          c.userPool = { triggers: { allowedEmailDomains: ['example.org'] } };
          c.identityProviders = {
            google: { clientId: 'g', clientSecret: SECRET, signUp: { allowedEmailDomains: ['example.org'] } },
            apple: { servicesId: 'org.example.signin', teamId: 'ABCDE12345', keyId: 'ABCDE12345', privateKey: SECRET, signUp: 'open' },
            facebook: { clientId: 'f', clientSecret: SECRET, signUp: 'existingUsers' },
            saml: [{ name: 'CorpSSO', metadataUrl: 'https://idp.example.org/metadata.xml', signUp: 'existingUsers' }],
          };
        },
      ],
      [
        'a default group that reads only its own files',
        (c) => (c.userPool = { groups: [{ name: 'admins', fileAccess: 'read-all' }, { name: 'members' }], triggers: { defaultGroup: 'members' } }),
      ],
      [
        'a secret pinned to a version stage',
        (c) => {
          c.domain = SIGN_IN_DOMAIN;
          c.identityProviders = { google: { ...SIGN_UP, clientId: 'g', clientSecret: { ...SECRET, versionStage: 'AWSPREVIOUS' } } };
        },
      ],
      ['a subdomain of example.com', (c) => (c.webClient.callbackUrls = ['https://app.example.com/cb'])],
      ['a prefix merely near a reserved word ("awesome")', (c) => (c.domain = { prefix: 'awesome-app' })],
      ['a 63-character prefix', (c) => (c.domain = { prefix: 'a'.repeat(63) })],
      [
        'an OIDC and a SAML provider with the same spelling apart from punctuation',
        (c) => {
          c.domain = SIGN_IN_DOMAIN;
          c.identityProviders = {
            oidc: [{ ...SIGN_UP, name: 'corp-sso', issuerUrl: 'https://idp.example.org', clientId: 'c', clientSecret: SECRET }],
            saml: [{ ...SIGN_UP, name: 'corp.sso', metadataUrl: 'https://idp.example.org/metadata.xml' }],
          };
        },
      ],
      [
        'a secret given by full ARN',
        (c) => {
          c.domain = SIGN_IN_DOMAIN;
          c.identityProviders = {
            google: { ...SIGN_UP, clientId: 'g', clientSecret: { secretName: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:idp/google-AbCdEf' } },
          };
        },
      ],
      ['threat protection "off" on the essentials plan', (c) => (c.userPool = { threatProtection: 'off' })],
      [
        'email MFA with SES and a region',
        (c) => {
          c.region = 'eu-west-1';
          c.userPool = { mfa: { email: true }, email: { sesFromAddress: 'no-reply@example.org' } };
        },
      ],
    ])('GIVEN %s WHEN validated THEN there is no problem', (_name, change) => {
      expect(problemsOf(withChange(change))).toEqual([]);
    });
  });
});

describe('retained stages refuse every spelling of this machine', () => {
  // Each is what new URL() reads as a loopback host; the raw text would pass a plain string test.
  const LOOPBACK_URLS = [
    'http://LocalHost:5173/auth/callback',
    'HTTP://localhost:5173/auth/callback',
    'https://localhost/auth/callback',
    'https://localhost./auth/callback',
    'https://app.localhost/auth/callback',
    'http://127.1:3000/',
    'http://0x7f000001/',
    'http://2130706433/',
    'https://127.10.20.30/',
    'https://[::1]/auth/callback',
    'https://[0:0:0:0:0:0:0:1]:8443/',
    'https://[::ffff:127.0.0.1]/',
    'https://0.0.0.0/',
  ];
  const LOOPBACK_ORIGINS = [
    'http://localhost:5173',
    'https://localhost',
    'https://app.localhost',
    'https://127.1',
    'https://0x7f000001',
    'http://127.0.0.1:3000',
    'https://127.0.0.2',
  ];

  const loopbackLine = (field: string, what = 'a URL') => `${FILE}: ${field}: expected ${what} whose host is not this machine in a retained (production) stage`;

  test.each(
    LOOPBACK_URLS.flatMap((url) => [
      ['callbackUrls', url],
      ['logoutUrls', url],
    ]),
  )('GIVEN %s %s in a retained stage WHEN validated THEN that entry is refused', (field, url) => {
    const problems = problemsOf(withChange((c) => (c.webClient[field] = ['https://app.example.org/', url])));
    expect(problems).toContainEqual(expect.stringContaining(loopbackLine(`webClient.${field}[1]`)));
  });

  test.each(LOOPBACK_ORIGINS)('GIVEN the web origin %s in a retained stage WHEN validated THEN that entry is refused', (origin) => {
    const problems = problemsOf(withChange((c) => (c.webOrigins = ['https://app.example.org', origin])));
    expect(problems).toEqual([expect.stringContaining(loopbackLine('webOrigins[1]', 'an origin'))]);
  });

  test.each(LOOPBACK_URLS)('GIVEN %s in a throwaway stage WHEN validated THEN the loopback rule does not apply', (url) => {
    const problems = problemsOf(withChange((c) => ((c.removal = 'destroy'), (c.webClient.callbackUrls = [url]))));
    expect(problems.filter((line) => line.includes('not this machine'))).toEqual([]);
  });
});

describe('stage files', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-config-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const shown = (file: string) => path.relative(process.cwd(), file).split(path.sep).join('/');

  test('GIVEN a file that is not JSON WHEN loaded THEN the error names the file and the syntax error', () => {
    fs.writeFileSync(path.join(dir, 'broken.json'), '{ "removal": "destroy", }');

    expect(() => loadStageConfig('broken', dir)).toThrow(StageConfigError);
    const problems = catchProblems(() => loadStageConfig('broken', dir));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${escape(shown(path.join(dir, 'broken.json')))}: expected valid JSON, found a syntax error \\(.+\\)$`));
  });

  test('GIVEN a stage with no file WHEN loaded THEN the error names the file and lists the stages there', () => {
    const problems = catchProblems(() => loadStageConfig('staging'));
    expect(problems).toEqual([`config/staging.json: file not found; expected one of the stages there (${listStages().join(', ')})`]);
  });

  test('GIVEN a config directory that does not exist WHEN loaded THEN the error says there are no stages', () => {
    const missingDir = path.join(dir, 'nowhere');
    expect(catchProblems(() => loadStageConfig('dev', missingDir))).toEqual([
      `${shown(path.join(missingDir, 'dev.json'))}: file not found; expected one of the stages there (none)`,
    ]);
  });

  test.each(['Prod', 'my_stage', '../prod', '1dev', ''])('GIVEN the stage name %j WHEN loaded THEN it is refused before any file is read', (stage) => {
    const problems = catchProblems(() => loadStageConfig(stage));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/: stage: expected lowercase letters, digits and hyphens, found /);
    expect(problems[0]).toContain(`found ${JSON.stringify(stage)}`);
  });

  test('GIVEN a file with a bad field WHEN loaded THEN the line starts with that file path', () => {
    fs.writeFileSync(path.join(dir, 'qa.json'), JSON.stringify(withChange((c) => (c.colour = 'blue'))));
    expect(catchProblems(() => loadStageConfig('qa', dir))).toEqual([
      `${shown(path.join(dir, 'qa.json'))}: colour: expected no such key (unknown keys are errors; see config/stage-config.schema.json); found "blue"`,
    ]);
  });

  test('GIVEN the JSON Schema file beside the stages WHEN listing stages THEN it is not a stage', () => {
    expect(listStages()).not.toContain('stage-config.schema');
    expect(listStages()).toEqual(expect.arrayContaining(['dev', 'prod']));
  });
});

function catchProblems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof StageConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a StageConfigError');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
