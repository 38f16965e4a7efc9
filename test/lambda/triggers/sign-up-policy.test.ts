/**
 * The sign-up decision on its own: every provider policy against every pre
 * sign-up source, with and without a pool-level allow-list.
 */
import type { ProviderSignUpPolicy } from '../../../contracts/trigger-env';
import { decideSignUp, parseSignUpRules, providerOf, type SignUpRules } from '../../../lambda/shared/sign-up-policy';

type Source = 'PreSignUp_SignUp' | 'PreSignUp_AdminCreateUser' | 'PreSignUp_ExternalProvider';

function rules(policy: ProviderSignUpPolicy, poolList?: string): SignUpRules {
  return parseSignUpRules(poolList, JSON.stringify({ CorpIdP: policy }))!;
}

function event(source: Source, email: string, emailVerified?: string) {
  return {
    triggerSource: source,
    userName: source === 'PreSignUp_ExternalProvider' ? 'CorpIdP_a1b2c3' : 'alice',
    request: { userAttributes: { email, ...(emailVerified === undefined ? {} : { email_verified: emailVerified }) } },
  };
}

const OPEN: ProviderSignUpPolicy = 'open';
const EXISTING: ProviderSignUpPolicy = 'existingUsers';
const ORG_ONLY: ProviderSignUpPolicy = { allowedEmailDomains: ['example.org'] };

// [policy, pool allow-list, source, email, email_verified, expected: 'allowed' or the refusal reason]
const CASES: Array<[string, ProviderSignUpPolicy, string | undefined, Source, string, string | undefined, string]> = [
  // Self sign-up and administrator-created users never meet a provider policy, only the pool list.
  ['open', OPEN, undefined, 'PreSignUp_SignUp', 'a@elsewhere.example', undefined, 'allowed'],
  ['open', OPEN, undefined, 'PreSignUp_AdminCreateUser', 'a@elsewhere.example', undefined, 'allowed'],
  ['existingUsers', EXISTING, undefined, 'PreSignUp_SignUp', 'a@elsewhere.example', undefined, 'allowed'],
  ['existingUsers', EXISTING, undefined, 'PreSignUp_AdminCreateUser', 'a@elsewhere.example', undefined, 'allowed'],
  ['allow-list', ORG_ONLY, undefined, 'PreSignUp_SignUp', 'a@elsewhere.example', undefined, 'allowed'],
  ['allow-list', ORG_ONLY, undefined, 'PreSignUp_AdminCreateUser', 'a@elsewhere.example', undefined, 'allowed'],
  ['open + pool list', OPEN, 'example.org', 'PreSignUp_SignUp', 'a@example.org', undefined, 'allowed'],
  ['open + pool list', OPEN, 'example.org', 'PreSignUp_SignUp', 'a@elsewhere.example', undefined, 'domain'],
  ['existingUsers + pool list', EXISTING, 'example.org', 'PreSignUp_AdminCreateUser', 'a@example.org', undefined, 'allowed'],
  ['existingUsers + pool list', EXISTING, 'example.org', 'PreSignUp_AdminCreateUser', 'a@elsewhere.example', undefined, 'domain'],
  ['allow-list + pool list', ORG_ONLY, 'example.net', 'PreSignUp_SignUp', 'a@example.net', undefined, 'allowed'],
  // First federated sign-ins.
  ['open', OPEN, undefined, 'PreSignUp_ExternalProvider', 'a@elsewhere.example', undefined, 'allowed'],
  ['existingUsers', EXISTING, undefined, 'PreSignUp_ExternalProvider', 'a@example.org', 'true', 'existingUsersOnly'],
  ['allow-list', ORG_ONLY, undefined, 'PreSignUp_ExternalProvider', 'a@example.org', 'true', 'allowed'],
  ['allow-list', ORG_ONLY, undefined, 'PreSignUp_ExternalProvider', 'a@Example.ORG', 'true', 'allowed'],
  ['allow-list', ORG_ONLY, undefined, 'PreSignUp_ExternalProvider', 'a@elsewhere.example', 'true', 'domain'],
  ['allow-list', ORG_ONLY, undefined, 'PreSignUp_ExternalProvider', 'a@sub.example.org', 'true', 'domain'],
  ['allow-list', ORG_ONLY, undefined, 'PreSignUp_ExternalProvider', 'a@example.org', 'false', 'unverifiedEmail'],
  ['allow-list', ORG_ONLY, undefined, 'PreSignUp_ExternalProvider', 'a@example.org', undefined, 'unverifiedEmail'],
  ['open + pool list', OPEN, 'example.org', 'PreSignUp_ExternalProvider', 'a@example.org', 'true', 'allowed'],
  ['open + pool list', OPEN, 'example.org', 'PreSignUp_ExternalProvider', 'a@example.org', undefined, 'unverifiedEmail'],
  ['open + pool list', OPEN, 'example.org', 'PreSignUp_ExternalProvider', 'a@elsewhere.example', 'true', 'domain'],
  ['existingUsers + pool list', EXISTING, 'example.org', 'PreSignUp_ExternalProvider', 'a@example.org', 'true', 'existingUsersOnly'],
  ['allow-list + pool list', ORG_ONLY, 'example.org,example.net', 'PreSignUp_ExternalProvider', 'a@example.org', 'true', 'allowed'],
  ['allow-list + pool list', ORG_ONLY, 'example.net', 'PreSignUp_ExternalProvider', 'a@example.org', 'true', 'domain'],
  ['allow-list + pool list', ORG_ONLY, 'example.net', 'PreSignUp_ExternalProvider', 'a@example.net', 'true', 'domain'],
];

describe('who can sign up: every policy against every source', () => {
  test.each(CASES)(
    'GIVEN provider policy %s (pool list %s) WHEN %s with %s (email_verified %s) THEN %s',
    (_name, policy, poolList, source, email, emailVerified, expected) => {
      const decision = decideSignUp(event(source, email, emailVerified), rules(policy, poolList));
      expect(decision.allowed ? 'allowed' : decision.reason).toBe(expected);
    },
  );

  test('GIVEN a federated user name WHEN its provider is read THEN it is the text before the first "_", the id may hold more', () => {
    expect(providerOf('Google_1234')).toBe('Google');
    expect(providerOf('CorpSSO_alice_smith@example.org')).toBe('CorpSSO');
    expect(providerOf('SignInWithApple_000123.abc')).toBe('SignInWithApple');
    expect([providerOf('alice'), providerOf('_x'), providerOf('Google_'), providerOf(42)]).toEqual([undefined, undefined, undefined, undefined]);
  });

  test('GIVEN a user of another provider WHEN signing up THEN the rules refuse it as unknown', () => {
    const decision = decideSignUp({ ...event('PreSignUp_ExternalProvider', 'a@example.org', 'true'), userName: 'Other_1' }, rules(OPEN));
    expect(decision).toEqual({ allowed: false, reason: 'unknownProvider', provider: 'Other' });
  });

  test('GIVEN a pool list but no provider map WHEN parsed THEN there are no rules (the trigger refuses everyone)', () => {
    expect(parseSignUpRules('example.org', undefined)).toBeUndefined();
    expect(parseSignUpRules(undefined, '{}')).toEqual({ allowedDomains: undefined, providers: new Map() });
  });
});
