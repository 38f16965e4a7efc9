import '../../scripts/fixtures/env';
import { handler, parseGroups } from '../../lambda/me';
import { ALLOWED_ORIGIN, apiEvent, CONTEXT, expectError, parse, setUpMocks, SUB } from '../../scripts/fixtures/events';

const mocks = setUpMocks();
const call = async (options: Parameters<typeof apiEvent>[0] = {}) => parse(await handler(apiEvent({ resource: '/me', path: '/me', ...options }), CONTEXT));

describe('GET /me', () => {
  test('GIVEN authorizer claims WHEN called THEN 200 with sub, username, email and groups, and no AWS call', async () => {
    const response = await call();
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ sub: SUB, username: 'alice', email: 'alice@example.com', groups: ['admins', 'members'] });
    expect(mocks.awsCalls()).toBe(0);
  });

  test('GIVEN no email or username claims WHEN called THEN they are null', async () => {
    const response = await call({ claims: { sub: SUB } });
    expect(response.body).toEqual({ sub: SUB, username: null, email: null, groups: [] });
  });

  test.each([
    ['[admins members]', ['admins', 'members']],
    ['admins,members', ['admins', 'members']],
    ['[admins]', ['admins']],
    ['admins', ['admins']],
    ['[]', []],
    ['', []],
    [undefined, []],
    [42, []],
    [
      ['a', 'b', 3],
      ['a', 'b'],
    ],
    ['[a a]', ['a']],
  ])('GIVEN cognito:groups %p WHEN parsed THEN %p', (value, expected) => {
    expect(parseGroups(value)).toEqual(expected);
  });

  test.each([
    ['no claims', null],
    ['claims without sub', { 'cognito:username': 'alice' }],
    ['an empty sub', { sub: '' }],
    ['a non-string sub', { sub: 123 }],
  ])('GIVEN %s WHEN called THEN 401 unauthorized', async (_label, claims) => {
    expectError(await call({ claims }), 401, 'unauthorized');
  });

  test('GIVEN an allowed Origin WHEN called THEN it is echoed with Vary: Origin', async () => {
    const response = await call();
    expect(response.headers['Access-Control-Allow-Origin']).toBe(ALLOWED_ORIGIN);
    expect(response.headers.Vary).toBe('Origin');
  });

  test.each(['https://evil.example.com', 'https://app.example.com.evil.com', 'null', 'https://APP.example.com'])(
    'GIVEN Origin %s that is not allowed WHEN called THEN no Access-Control-Allow-Origin',
    async (origin) => {
      const response = await call({ headers: { Authorization: 'x', origin } });
      expect(response.status).toBe(200);
      expect(response.headers['Access-Control-Allow-Origin']).toBeUndefined();
      expect(response.headers.Vary).toBe('Origin');
    },
  );

  test('GIVEN a lower-case origin header WHEN allowed THEN echoed (header names are case-insensitive)', async () => {
    const response = await call({ headers: { origin: ALLOWED_ORIGIN } });
    expect(response.headers['Access-Control-Allow-Origin']).toBe(ALLOWED_ORIGIN);
  });

  test('GIVEN a request WHEN answered THEN one access-log line has requestId, route, status and latency', async () => {
    await call();
    expect(mocks.logs).toContainEqual(
      expect.objectContaining({
        requestId: 'req-123',
        route: 'GET /me',
        status: 200,
        latencyMs: expect.any(Number),
      }),
    );
  });
});
