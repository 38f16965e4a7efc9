/**
 * All six provider kinds enabled at once (Google, Facebook, Amazon, Apple, two
 * OIDC, one SAML), each with a sign-up policy. The template must hold only
 * Secrets Manager dynamic references, the client must list every provider and
 * depend on each, and the pre sign-up trigger must know every provider's policy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { StageConfigInput } from '../../lib/config/stage-config';
import { synthStage, unacknowledgedFindings, type SynthResult } from '../support/synth';

const AUTH0_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:cognito-access/test/auth0-AbCdEf';

const ALL_PROVIDERS: StageConfigInput = {
  region: 'eu-west-1',
  removal: 'destroy',
  webClient: { callbackUrls: ['https://app.example.org/auth/callback'], logoutUrls: ['https://app.example.org/'] },
  domain: { prefix: 'example-org-idps' },
  identityProviders: {
    google: {
      clientId: 'google-client-id.apps.googleusercontent.com',
      clientSecret: { secretName: 'cognito-access/test/google', jsonField: 'clientSecret' },
      signUp: { allowedEmailDomains: ['example.org'] },
    },
    facebook: { clientId: '1234567890123456', clientSecret: { secretName: 'cognito-access/test/facebook' }, signUp: 'existingUsers' },
    amazon: {
      clientId: 'amzn1.application-oa2-client.0123456789abcdef',
      clientSecret: { secretName: 'cognito-access/test/amazon', jsonField: 'secret' },
      signUp: 'open',
    },
    apple: {
      servicesId: 'org.example.signin',
      teamId: 'ABCDE12345',
      keyId: 'KEY1234567',
      privateKey: { secretName: 'cognito-access/test/apple', jsonField: 'p8' },
      signUp: 'existingUsers',
    },
    oidc: [
      {
        name: 'Okta',
        issuerUrl: 'https://example.okta.com',
        clientId: 'okta-client-id',
        clientSecret: { secretName: 'cognito-access/test/okta' },
        signUp: { allowedEmailDomains: ['example.org', 'example.net'] },
      },
      {
        name: 'corp-auth0',
        issuerUrl: 'https://corp.eu.auth0.com/',
        clientId: 'auth0-client-id',
        clientSecret: { secretName: AUTH0_SECRET_ARN, jsonField: 'client_secret' },
        scopes: ['openid', 'email'],
        signUp: 'open',
      },
    ],
    saml: [{ name: 'CorpSSO', metadataUrl: 'https://idp.example.org/saml/metadata.xml', signUp: 'existingUsers' }],
  },
};

const ref = (secretName: string, jsonField = '') => `{{resolve:secretsmanager:${secretName}:SecretString:${jsonField}::}}`;
const SAML_EMAIL = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
const SAML_NAME = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';

// email_verified is mapped wherever the provider sends it, so an allow-list can trust the address.
const VERIFIED = { email: 'email', email_verified: 'email_verified', name: 'name' };

// [provider name, type, ProviderDetails subset (secret exactly a dynamic reference), AttributeMapping]
const EXPECTED: Array<[string, string, Record<string, unknown>, Record<string, string>]> = [
  [
    'Google',
    'Google',
    { client_id: 'google-client-id.apps.googleusercontent.com', client_secret: ref('cognito-access/test/google', 'clientSecret') },
    VERIFIED,
  ],
  ['Facebook', 'Facebook', { client_id: '1234567890123456', client_secret: ref('cognito-access/test/facebook') }, { email: 'email', name: 'name' }],
  [
    'LoginWithAmazon',
    'LoginWithAmazon',
    { client_id: 'amzn1.application-oa2-client.0123456789abcdef', client_secret: ref('cognito-access/test/amazon', 'secret') },
    { email: 'email', name: 'name' },
  ],
  [
    'SignInWithApple',
    'SignInWithApple',
    { client_id: 'org.example.signin', team_id: 'ABCDE12345', key_id: 'KEY1234567', private_key: ref('cognito-access/test/apple', 'p8') },
    VERIFIED,
  ],
  [
    'Okta',
    'OIDC',
    {
      client_id: 'okta-client-id',
      client_secret: ref('cognito-access/test/okta'),
      oidc_issuer: 'https://example.okta.com',
      authorize_scopes: 'openid email profile',
    },
    VERIFIED,
  ],
  [
    'corp-auth0',
    'OIDC',
    {
      client_id: 'auth0-client-id',
      client_secret: ref(AUTH0_SECRET_ARN, 'client_secret'),
      oidc_issuer: 'https://corp.eu.auth0.com/',
      authorize_scopes: 'openid email',
    },
    VERIFIED,
  ],
  ['CorpSSO', 'SAML', { MetadataURL: 'https://idp.example.org/saml/metadata.xml' }, { email: SAML_EMAIL, name: SAML_NAME }],
];

/** Keys whose values would be secret material if they were not references. */
const SECRET_KEY = /^(client_secret|private_key|clientsecret|privatekey|client_secret_value)$/i;

let result: SynthResult;
let resources: Record<string, any>;
let clientLogicalId: string;

beforeAll(() => {
  result = synthStage({ stage: 'allidps', config: ALL_PROVIDERS });
  resources = result.template.toJSON().Resources;
  const clientElement = result.stack.userDirectory.webClient.node.defaultChild as CfnElement;
  clientLogicalId = result.stack.getLogicalId(clientElement);
});

const providerResources = () => Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Cognito::UserPoolIdentityProvider');

describe('all six identity providers', () => {
  test('GIVEN all providers WHEN synthesized THEN synth passes the rule packs with nothing unacknowledged', () => {
    expect(unacknowledgedFindings(result.assembly)).toEqual([]);
  });

  test('GIVEN all providers WHEN synthesized THEN there is one provider resource per configured provider', () => {
    result.template.resourceCountIs('AWS::Cognito::UserPoolIdentityProvider', EXPECTED.length);
  });

  test.each(EXPECTED)('GIVEN %s WHEN synthesized THEN it has type %s, its details and maps email and name', (name, type, details, mapping) => {
    result.template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: name,
      ProviderType: type,
      ProviderDetails: Match.objectLike(details),
      AttributeMapping: mapping,
      UserPoolId: { Ref: result.stack.getLogicalId(result.stack.userDirectory.userPool.node.defaultChild as CfnElement) },
    });
  });

  test('GIVEN all providers WHEN synthesized THEN the client lists COGNITO and all seven provider names', () => {
    const listed: string[] = resources[clientLogicalId].Properties.SupportedIdentityProviders;
    expect([...listed].sort()).toEqual(['COGNITO', ...EXPECTED.map(([name]) => name)].sort());
    expect(listed[0]).toBe('COGNITO');
    // Cross-check against the resources themselves: every ProviderName is listed.
    for (const [, provider] of providerResources()) expect(listed).toContain(provider.Properties.ProviderName);
  });

  test('GIVEN all providers WHEN synthesized THEN the client DependsOn every provider, so no deploy fails with "provider does not exist"', () => {
    const providerIds = providerResources().map(([id]) => id);
    expect(providerIds).toHaveLength(7);
    expect(resources[clientLogicalId].DependsOn).toEqual(expect.arrayContaining(providerIds));
  });
});

describe('who can sign up through each provider', () => {
  test('GIVEN a policy per provider WHEN synthesized THEN the pre sign-up trigger gets every provider by its Cognito name, and no domain list of its own', () => {
    const triggers = Object.values(resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r.Properties.LoggingConfig ?? {}).includes('SignUpTriggersPreSignUp'),
    );
    expect(triggers.map((r) => r.Properties.Environment.Variables)).toEqual([
      {
        PROVIDER_SIGN_UP: JSON.stringify({
          Google: { allowedEmailDomains: ['example.org'] },
          Facebook: 'existingUsers',
          LoginWithAmazon: 'open',
          SignInWithApple: 'existingUsers',
          Okta: { allowedEmailDomains: ['example.org', 'example.net'] },
          'corp-auth0': 'open',
          CorpSSO: 'existingUsers',
        }),
      },
    ]);
    const names = EXPECTED.map(([name]) => name);
    expect(Object.keys(JSON.parse(triggers[0].Properties.Environment.Variables.PROVIDER_SIGN_UP))).toEqual(names);
  });

  test('GIVEN providers that map email WHEN synthesized THEN the client keeps email writable (Cognito rewrites it at each federated sign-in) and email_verified too', () => {
    expect([...resources[clientLogicalId].Properties.WriteAttributes].sort()).toEqual(['email', 'email_verified', 'name']);
  });
});

describe('no secret value anywhere', () => {
  /** Every [json path, value] under a secret-looking key, anywhere in a JSON document. */
  function secretValues(node: unknown, at = '$'): Array<[string, unknown]> {
    if (Array.isArray(node)) return node.flatMap((item, i) => secretValues(item, `${at}[${i}]`));
    if (node === null || typeof node !== 'object') return [];
    return Object.entries(node).flatMap(([key, value]) => [
      ...(SECRET_KEY.test(key) ? ([[`${at}.${key}`, value]] as Array<[string, unknown]>) : []),
      ...secretValues(value, `${at}.${key}`),
    ]);
  }

  function filesUnder(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(dir, entry.name);
      return entry.isDirectory() ? filesUnder(file) : [file];
    });
  }

  const isDynamicReference = (value: unknown) => typeof value === 'string' && value.startsWith('{{resolve:secretsmanager:') && value.endsWith('}}');

  test('GIVEN the template WHEN every client_secret/private_key is read THEN each is a {{resolve:secretsmanager:…}} reference', () => {
    const found = secretValues(result.template.toJSON());
    // Six providers carry a secret (SAML has none); each must be found, or this test proves nothing.
    expect(found).toHaveLength(6);
    for (const [at, value] of found) expect({ at, value, isReference: isDynamicReference(value) }).toEqual({ at, value, isReference: true });
  });

  test('GIVEN the whole cloud assembly WHEN every file is scanned THEN secrets appear only as dynamic references', () => {
    const files = filesUnder(result.assembly.directory);
    expect(files.map((file) => path.basename(file))).toEqual(expect.arrayContaining(['manifest.json', `${result.stack.stackName}.template.json`]));

    let checked = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      // No key material and no resolved secret in any form.
      expect({ file, pem: /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) }).toEqual({ file, pem: false });
      expect({ file, resolved: /"SecretString"\s*:/.test(text) }).toEqual({ file, resolved: false });
      if (file.endsWith('.json')) {
        for (const [at, value] of secretValues(JSON.parse(text))) {
          checked += 1;
          expect({ file, at, value, isReference: isDynamicReference(value) }).toEqual({ file, at, value, isReference: true });
        }
      }
      // Any raw "client_secret": "…" text outside JSON structure (e.g. a log) must be a reference too.
      for (const match of text.matchAll(/"(client_secret|private_key)"\s*:\s*"([^"]*)"/g)) {
        expect({ file, value: match[2] }).toEqual({ file, value: expect.stringMatching(/^\{\{resolve:secretsmanager:/) });
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  test('GIVEN the template WHEN every dynamic reference is listed THEN each names a configured secret and nothing else', () => {
    const text = JSON.stringify(result.template.toJSON());
    const references = [...text.matchAll(/\{\{resolve:[^}]*\}\}/g)].map(([reference]) => reference).sort();
    expect(references).toEqual(
      [
        ref('cognito-access/test/google', 'clientSecret'),
        ref('cognito-access/test/facebook'),
        ref('cognito-access/test/amazon', 'secret'),
        ref('cognito-access/test/apple', 'p8'),
        ref('cognito-access/test/okta'),
        ref(AUTH0_SECRET_ARN, 'client_secret'),
      ].sort(),
    );
  });
});
