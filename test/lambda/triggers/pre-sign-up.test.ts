import '../support/trigger-env';
import type { PreSignUpTriggerEvent } from 'aws-lambda';
import * as fc from 'fast-check';
import { handler, REFUSED_MESSAGE } from '../../../lambda/pre-sign-up';
import { emailDomain, parseAllowedDomains } from '../../../lambda/shared/email-domains';

const ALLOWED = ['example.org', 'partner.example.net'];
const SOURCES = ['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider'] as const;

function signUpEvent(email: unknown, triggerSource: (typeof SOURCES)[number] = 'PreSignUp_SignUp'): PreSignUpTriggerEvent {
  return {
    version: '1',
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_AbC123',
    userName: 'u-1',
    triggerSource,
    callerContext: { awsSdkVersion: '3', clientId: 'client' },
    request: { userAttributes: email === undefined ? {} : { email: email as string } },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  } as PreSignUpTriggerEvent;
}

/** Random letter-case of a string. */
const randomCase = (value: string) => fc.array(fc.boolean(), { minLength: value.length, maxLength: value.length })
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

  test('GIVEN any address at an allowed domain, in any letter case and from any trigger source WHEN signing up THEN the event passes unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(localPart, fc.constantFrom(...ALLOWED).chain(randomCase), fc.constantFrom(...SOURCES), async (local, domain, source) => {
        const event = signUpEvent(`${local}@${domain}`, source);
        await expect(handler(event)).resolves.toBe(event);
      }),
    );
  });

  test('GIVEN any address at another domain, federated sign-ups included WHEN signing up THEN it is refused with the clear message', async () => {
    await fc.assert(
      fc.asyncProperty(localPart, otherDomain, fc.constantFrom(...SOURCES), async (local, domain, source) => {
        await expect(handler(signUpEvent(`${local}@${domain}`, source))).rejects.toThrow(REFUSED_MESSAGE);
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
    await expect(handler(signUpEvent(email, 'PreSignUp_ExternalProvider'))).rejects.toThrow(REFUSED_MESSAGE);
  });

  test('GIVEN any value at all as the email WHEN signing up THEN the trigger answers or refuses, never crashes with another error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (email) => {
        const outcome = await handler(signUpEvent(email)).then(() => 'passed', (error: Error) => error.message);
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
