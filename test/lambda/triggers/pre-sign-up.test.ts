/* eslint-disable @typescript-eslint/no-require-imports -- jest.isolateModules loads a fresh copy synchronously, which only require() can do */
import '../support/trigger-env';
import type { PreSignUpTriggerEvent } from 'aws-lambda';
import * as fc from 'fast-check';
import { EXISTING_USERS_MESSAGE, handler, REFUSED_MESSAGE, UNAVAILABLE_MESSAGE, UNVERIFIED_MESSAGE } from '../../../lambda/pre-sign-up';
import { emailDomain, parseAllowedDomains } from '../../../lambda/shared/email-domains';

// The pool allow-list of test/lambda/support/trigger-env.ts; its providers: Google open, Facebook existingUsers, Okta example.org only.
const ALLOWED = ['example.org', 'partner.example.net'];
const SOURCES = ['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider'] as const;
type Source = (typeof SOURCES)[number];

interface EventOptions {
  readonly source?: Source;
  /** The federated user name, `<ProviderName>_<id>`. @default 'Google_1234567890' for external providers */
  readonly userName?: string;
  /** email_verified as Cognito passes it. @default 'true' for external providers */
  readonly emailVerified?: string;
}

function signUpEvent(email: unknown, options: EventOptions = {}): PreSignUpTriggerEvent {
  const source = options.source ?? 'PreSignUp_SignUp';
  const external = source === 'PreSignUp_ExternalProvider';
  const emailVerified = options.emailVerified ?? (external ? 'true' : undefined);
  return {
    version: '1',
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_AbC123',
    userName: options.userName ?? (external ? 'Google_1234567890' : 'u-1'),
    triggerSource: source,
    callerContext: { awsSdkVersion: '3', clientId: 'client' },
    request: {
      userAttributes: {
        ...(email === undefined ? {} : { email: email as string }),
        ...(emailVerified === undefined ? {} : { email_verified: emailVerified }),
      },
    },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  };
}

/** Random letter-case of a string. */
const randomCase = (value: string) =>
  fc
    .array(fc.boolean(), { minLength: value.length, maxLength: value.length })
    .map((flags) => [...value].map((ch, i) => (flags[i] ? ch.toUpperCase() : ch)).join(''));
const localPart = fc.stringMatching(/^[a-z0-9._+-]{1,30}$/);
const otherDomain = fc.domain().filter((domain) => !ALLOWED.includes(domain.toLowerCase()));

beforeEach(() => {
  for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('pre sign-up trigger: only the allowed email domains sign up', () => {
  test('GIVEN the configured list WHEN parsed THEN domains are trimmed and lowercased', () => {
    expect([...parseAllowedDomains(process.env.ALLOWED_EMAIL_DOMAINS)]).toEqual(ALLOWED);
  });

  test('GIVEN any address at an allowed domain, in any letter case, from any source (federated: an open provider, verified) WHEN signing up THEN the event passes unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(localPart, fc.constantFrom(...ALLOWED).chain(randomCase), fc.constantFrom(...SOURCES), async (local, domain, source) => {
        const event = signUpEvent(`${local}@${domain}`, { source });
        await expect(handler(event)).resolves.toBe(event);
      }),
    );
  });

  test('GIVEN any address at another domain, federated sign-ups included WHEN signing up THEN it is refused with the clear message', async () => {
    await fc.assert(
      fc.asyncProperty(localPart, otherDomain, fc.constantFrom(...SOURCES), async (local, domain, source) => {
        await expect(handler(signUpEvent(`${local}@${domain}`, { source }))).rejects.toThrow(REFUSED_MESSAGE);
      }),
    );
  });

  test.each([
    ['a subdomain of an allowed domain', 'a@sub.example.org'],
    ['an allowed domain as a prefix', 'a@example.org.evil.com'],
    ['an allowed domain inside the local part', 'example.org@evil.com'],
    ['no email (a provider that shares none)', undefined],
    ['no domain', 'alice@'],
  ])('GIVEN %s WHEN signing up THEN it is refused', async (_case, email) => {
    await expect(handler(signUpEvent(email, { source: 'PreSignUp_ExternalProvider' }))).rejects.toThrow(REFUSED_MESSAGE);
  });

  test('GIVEN any value at all as the email WHEN signing up THEN the trigger answers or refuses, never crashes with another error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (email) => {
        const outcome = await handler(signUpEvent(email)).then(
          () => 'passed',
          (error: Error) => error.message,
        );
        expect([REFUSED_MESSAGE, 'passed']).toContain(outcome);
        if (outcome === 'passed') expect(ALLOWED).toContain(emailDomain(email));
      }),
    );
  });

  test('GIVEN a refused address WHEN logged THEN the address itself is not in the log', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    await expect(handler(signUpEvent('mallory@evil.example'))).rejects.toThrow();
    expect(JSON.stringify(warn.mock.calls)).not.toContain('mallory');
  });
});

describe("pre sign-up trigger: each provider's policy on a first federated sign-in", () => {
  const external = (userName: string, email: string, emailVerified = 'true') =>
    signUpEvent(email, { source: 'PreSignUp_ExternalProvider', userName, emailVerified });

  test('GIVEN a provider for existing users only (Facebook) WHEN a new user arrives, even at an allowed domain THEN they are refused and told to ask an administrator', async () => {
    await expect(handler(external('Facebook_10150123', 'alice@example.org'))).rejects.toThrow(EXISTING_USERS_MESSAGE);
  });

  test('GIVEN a provider with its own allow-list (Okta: example.org) WHEN a verified address at a domain only the pool allows arrives THEN it is refused: both lists apply', async () => {
    await expect(handler(external('Okta_00u1abcd', 'bob@partner.example.net'))).rejects.toThrow(REFUSED_MESSAGE);
    const event = external('Okta_00u1abcd', 'alice@example.org');
    await expect(handler(event)).resolves.toBe(event);
  });

  test.each([
    ['"false"', 'false'],
    ['missing (the provider sent none)', undefined],
    ['"True" (not Cognito\'s spelling)', 'True'],
  ])('GIVEN email_verified %s WHEN an allowed address signs up through a provider THEN it is refused as unverified', async (_case, emailVerified) => {
    const event = signUpEvent('alice@example.org', { source: 'PreSignUp_ExternalProvider', userName: 'Okta_00u1abcd' });
    if (emailVerified === undefined) delete event.request.userAttributes.email_verified;
    else event.request.userAttributes.email_verified = emailVerified;
    await expect(handler(event)).rejects.toThrow(UNVERIFIED_MESSAGE);
  });

  test.each([
    ['a provider the stage does not have', 'Github_42'],
    ['a user name without a provider prefix', 'alice'],
    ['an empty provider prefix', '_42'],
  ])('GIVEN %s WHEN a federated sign-up arrives THEN it is refused (fails closed)', async (_case, userName) => {
    await expect(handler(external(userName, 'alice@example.org'))).rejects.toThrow(UNAVAILABLE_MESSAGE);
  });

  test('GIVEN the provider prefix in lowercase (google_…) WHEN signing up THEN it matches Google all the same', async () => {
    const event = external('google_1234567890', 'alice@example.org');
    await expect(handler(event)).resolves.toBe(event);
  });

  test('GIVEN an unknown trigger source WHEN invoked THEN it is refused', async () => {
    const event = signUpEvent('alice@example.org');
    (event as { triggerSource: string }).triggerSource = 'PreSignUp_Something';
    await expect(handler(event)).rejects.toThrow(UNAVAILABLE_MESSAGE);
  });

  test('GIVEN a refused federated sign-up WHEN logged THEN the log names the reason and provider, not the address', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    await expect(handler(external('Facebook_10150123', 'mallory@example.org'))).rejects.toThrow();
    const logged = JSON.stringify(warn.mock.calls);
    expect(logged).toContain('existingUsersOnly');
    expect(logged).toContain('Facebook');
    expect(logged).not.toContain('mallory');
  });
});

describe('pre sign-up trigger: rules it cannot read refuse everyone', () => {
  /** The handler loaded afresh with these variables (it reads them once, at load). */
  function handlerWith(env: Record<string, string | undefined>): typeof handler {
    const saved = { ALLOWED_EMAIL_DOMAINS: process.env.ALLOWED_EMAIL_DOMAINS, PROVIDER_SIGN_UP: process.env.PROVIDER_SIGN_UP };
    let loaded: typeof handler | undefined;
    try {
      for (const [name, value] of Object.entries(env)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      jest.isolateModules(() => {
        loaded = (require('../../../lambda/pre-sign-up') as typeof import('../../../lambda/pre-sign-up')).handler;
      });
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    return loaded!;
  }

  test.each<[string, Record<string, string | undefined>]>([
    ['no provider map', { PROVIDER_SIGN_UP: undefined }],
    ['a provider map that is not JSON', { PROVIDER_SIGN_UP: '{Google: open' }],
    ['a provider map that is a list', { PROVIDER_SIGN_UP: '["Google"]' }],
    ['an unknown policy', { PROVIDER_SIGN_UP: '{"Google":"closed"}' }],
    ['an allow-list with no domain', { PROVIDER_SIGN_UP: '{"Google":{"allowedEmailDomains":[]}}' }],
    ['two names that differ only in case', { PROVIDER_SIGN_UP: '{"Google":"open","google":"existingUsers"}' }],
    ['a pool allow-list that is set but empty', { ALLOWED_EMAIL_DOMAINS: ' , ' }],
  ])('GIVEN %s WHEN anyone signs up, from any source THEN they are refused and the misconfiguration is logged', async (_case, env) => {
    const broken = handlerWith(env);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    for (const source of SOURCES) {
      await expect(broken(signUpEvent('alice@example.org', { source }))).rejects.toThrow(UNAVAILABLE_MESSAGE);
    }
    expect(error).toHaveBeenCalled();
  });

  test('GIVEN no pool allow-list and only provider policies WHEN users sign up themselves or are created THEN any domain passes', async () => {
    const providersOnly = handlerWith({ ALLOWED_EMAIL_DOMAINS: undefined, PROVIDER_SIGN_UP: '{"Google":"existingUsers"}' });
    for (const source of ['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser'] as const) {
      const event = signUpEvent('anyone@elsewhere.example', { source });
      await expect(providersOnly(event)).resolves.toBe(event);
    }
    await expect(providersOnly(signUpEvent('anyone@elsewhere.example', { source: 'PreSignUp_ExternalProvider' }))).rejects.toThrow(EXISTING_USERS_MESSAGE);
  });
});
