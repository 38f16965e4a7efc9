/**
 * Rules a construct owns (docs/design.md, "Stage configuration"): the schema
 * accepts a stage that breaks one, and building the stack refuses it with the
 * construct's ValidationError, one line that bin/ prints after the stage file's
 * name. Each case fails if the rule is dropped from the construct, and the
 * schema half fails if it is checked twice again.
 */
import { App } from 'aws-cdk-lib';
import { CognitoAccessStack } from '../../lib/composition/cognito-access-stack';
import { parseStageConfig } from '../../lib/config/load-stage-config';
import { ValidationError } from '../../lib/util/validation-error';
import { cdkJsonContext } from '../support/synth';

const FILE = 'config/test.json';
const URLS = { callbackUrls: ['https://app.example.org/auth/callback'], logoutUrls: ['https://app.example.org/'] };
const DOMAIN = { prefix: 'example-org-signin' };
const SECRET = { secretName: 'cognito-access/test/idp' };
const SAML = { name: 'CorpSSO', metadataUrl: 'https://idp.example.org/metadata.xml' };

/** A stage that passes the schema, built as bin/ builds it (no bundling, no web app). */
function build(config: Record<string, unknown>): () => CognitoAccessStack {
  const parsed = parseStageConfig({ webClient: URLS, webApp: { enabled: false }, ...config }, FILE);
  const context = { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] };
  return () => new CognitoAccessStack(new App({ context }), 'CognitoAccess-test', { stage: 'test', config: parsed });
}

describe('rules the schema leaves to UserDirectory', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['threat protection on the Essentials plan', { userPool: { threatProtection: 'enforced' } }, /threatProtection needs featurePlan PLUS/],
    [
      'passkeys with neither a relying party nor a domain',
      { userPool: { signIn: { firstFactors: ['password', 'passkey'] } } },
      /Passkeys need a relying party: set passkeyRelyingPartyId or configure a sign-in domain/,
    ],
    [
      'an identity provider without a domain',
      { identityProviders: { saml: [{ ...SAML, signUp: 'existingUsers' }] } },
      /identityProviders redirect to <domain>\/oauth2\/idpresponse; configure a sign-in domain/,
    ],
    [
      'a machine client without a domain',
      { machineClients: [{ name: 'reporting', scopes: ['uploads.read'] }] },
      /machineClients: "reporting" gets tokens from <domain>\/oauth2\/token; configure a sign-in domain/,
    ],
    [
      'a default group that is not a group',
      { userPool: { groups: [{ name: 'admins' }], triggers: { defaultGroup: 'members' } } },
      /defaultGroup "members" is not one of the groups/,
    ],
    [
      'an allow-list on Facebook, which sends no email_verified',
      { domain: DOMAIN, identityProviders: { facebook: { clientId: 'f', clientSecret: SECRET, signUp: { allowedEmailDomains: ['example.org'] } } } },
      /Facebook sends no email_verified, so an email-domain allow-list would refuse every sign-up/,
    ],
    [
      'an open SAML provider under a pool allow-list',
      { domain: DOMAIN, userPool: { selfSignUp: true, triggers: { allowedEmailDomains: ['example.org'] } }, identityProviders: { saml: [SAML] } },
      /CorpSSO sends no email_verified, so allowedEmailDomains would refuse every sign-up through it/,
    ],
  ])('GIVEN %s WHEN the stack is built THEN the schema let it pass and UserDirectory refuses it in one line', (_name, config, message) => {
    const stack = build(config);
    let thrown: unknown;
    try {
      stack();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    const text = (thrown as ValidationError).message;
    expect(text).toMatch(message);
    expect(text).toMatch(/^CognitoAccess-test\/UserDirectory: /);
    expect(text).not.toContain('\n');
  });
});
