/**
 * The account page's own calls (web/src/account-api.ts) with the network
 * stubbed: `DELETE /me` is repeated while the API answers 202 and rides out a
 * few 503s; any other answer is an error the page shows. `GlobalSignOut`
 * reports Cognito's refusal (Amplify's `signOut({ global: true })` would
 * swallow it and sign out locally anyway).
 */
import { ApiError } from '../../web/src/api';
import { deleteAccount, globalSignOut } from '../../web/src/account-api';

jest.mock('aws-amplify/auth', () => ({
  fetchAuthSession: async () => ({ tokens: { idToken: { toString: () => 'id-token' }, accessToken: { toString: () => 'access-token' } } }),
}));

const API = 'https://api.example.net/v1/';
const calls: Array<{ url: string; init: RequestInit }> = [];
const noWait = async () => undefined;
const realFetch = global.fetch;
afterAll(() => {
  global.fetch = realFetch;
});

function answer(...responses: Array<{ status: number; body?: unknown; headers?: Record<string, string> }>): void {
  calls.length = 0;
  const queue = [...responses];
  global.fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = queue.shift();
    if (!next) throw new Error('no more answers');
    return new Response(next.body === undefined ? null : JSON.stringify(next.body), { status: next.status, headers: next.headers });
  }) as typeof fetch;
}

describe('deleteAccount', () => {
  test('GIVEN the API answers 202 twice, then 204 WHEN deleting THEN it calls DELETE /me three times with the ID token and reports deleted', async () => {
    answer(
      { status: 202, body: { status: 'in_progress' } },
      { status: 202, body: { status: 'in_progress' }, headers: { 'Retry-After': '2' } },
      { status: 204 },
    );

    await expect(deleteAccount(API, noWait)).resolves.toBe('deleted');
    expect(calls.map((c) => [c.url, c.init.method, (c.init.headers as Record<string, string>).Authorization])).toEqual([
      [`${API}me`, 'DELETE', 'id-token'],
      [`${API}me`, 'DELETE', 'id-token'],
      [`${API}me`, 'DELETE', 'id-token'],
    ]);
  });

  test('GIVEN one 503 (throttled) then 204 WHEN deleting THEN it waits as Retry-After says and reports deleted', async () => {
    answer({ status: 503, body: { error: { code: 'unavailable', message: 'busy' } }, headers: { 'Retry-After': '1' } }, { status: 204 });
    const waits: number[] = [];

    await expect(deleteAccount(API, async (ms) => void waits.push(ms))).resolves.toBe('deleted');
    expect(waits).toEqual([1000]);
  });

  test('GIVEN 503 every time WHEN deleting THEN it gives up after a few and throws the API error', async () => {
    answer(...Array.from({ length: 4 }, () => ({ status: 503, body: { error: { code: 'unavailable', message: 'busy' } } })));

    await expect(deleteAccount(API, noWait)).rejects.toMatchObject({ status: 503, code: 'unavailable' });
    expect(calls).toHaveLength(4);
  });

  test('GIVEN a 4xx answer WHEN deleting THEN it throws the API error at once', async () => {
    answer({ status: 401, body: { error: { code: 'unauthorized', message: 'Unauthorized' } } });

    const error = await deleteAccount(API, noWait).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized', message: 'Unauthorized' });
  });

  test('GIVEN 202 forever WHEN deleting THEN it stops after its attempts and says it is still running', async () => {
    answer(...Array.from({ length: 40 }, () => ({ status: 202, body: { status: 'in_progress' } })));

    await expect(deleteAccount(API, noWait)).resolves.toBe('stillRunning');
  });
});

describe('globalSignOut', () => {
  test('GIVEN Cognito accepts WHEN signing out everywhere THEN it posts GlobalSignOut with the access token to the Region endpoint', async () => {
    answer({ status: 200, body: {} });

    await globalSignOut('eu-west-1');
    expect(calls[0].url).toBe('https://cognito-idp.eu-west-1.amazonaws.com/');
    expect(calls[0].init.headers).toMatchObject({ 'X-Amz-Target': 'AWSCognitoIdentityProviderService.GlobalSignOut' });
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ AccessToken: 'access-token' });
  });

  test("GIVEN Cognito refuses WHEN signing out everywhere THEN it throws with Cognito's error name, so the page stays signed in", async () => {
    answer({ status: 400, body: { __type: 'NotAuthorizedException', message: 'Access Token has been revoked' } });

    await expect(globalSignOut('eu-west-1', 'http://127.0.0.1:5174')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
    expect(calls[0].url).toBe('http://127.0.0.1:5174');
  });
});
