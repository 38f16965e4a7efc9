import '../support/env';
import 'aws-sdk-client-mock-jest';
import { GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { readIdentityEnv } from '../../../lambda/shared/env';
import { callerOf, resolveIdentityId } from '../../../lambda/shared/identity';
import { TEST_ENV } from '../support/env';
import { apiEvent, IDENTITY_ID, idToken, setUpMocks, SUB, TOKEN } from '../support/events';

const mocks = setUpMocks();
const ENV = readIdentityEnv(TEST_ENV);

describe('caller identity', () => {
  test.each([
    ['a raw token', TOKEN],
    ['a Bearer token', `Bearer ${TOKEN}`],
    ['a BEARER token with extra spaces', `BEARER   ${TOKEN}`],
  ])('GIVEN %s WHEN read THEN the raw token and sub', (_label, authorization) => {
    expect(callerOf(apiEvent({ headers: { Authorization: authorization } }))).toEqual({ sub: SUB, idToken: TOKEN });
  });

  test.each([
    ['no headers', null],
    ['Basic auth', { Authorization: 'Basic dXNlcjpwYXNz' }],
    ['a token with a payload that is not JSON', { Authorization: 'aaa.bm90LWpzb24.ccc' }],
    ['a token for another sub', { Authorization: idToken({ sub: 'other' }) }],
    ['an access token', { Authorization: idToken({ token_use: 'access' }) }],
  ])('GIVEN %s WHEN read THEN 401', (_label, headers) => {
    expect(() => callerOf(apiEvent({ headers }))).toThrow(expect.objectContaining({ status: 401, code: 'unauthorized' }));
  });

  test('GIVEN more distinct callers than the cache holds WHEN resolved THEN the oldest entry is evicted and re-resolved', async () => {
    for (let i = 0; i <= 1000; i++) await resolveIdentityId({ sub: `user-${i}`, idToken: TOKEN }, ENV);
    expect(mocks.cognito).toHaveReceivedCommandTimes(GetIdCommand, 1001);
    await resolveIdentityId({ sub: 'user-1000', idToken: TOKEN }, ENV);
    expect(mocks.cognito).toHaveReceivedCommandTimes(GetIdCommand, 1001);
    expect(await resolveIdentityId({ sub: 'user-0', idToken: TOKEN }, ENV)).toBe(IDENTITY_ID);
    expect(mocks.cognito).toHaveReceivedCommandTimes(GetIdCommand, 1002);
  });
});
