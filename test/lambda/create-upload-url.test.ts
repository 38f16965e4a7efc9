import '../../scripts/fixtures/env';
import 'aws-sdk-client-mock-jest';
import { GetIdCommand, NotAuthorizedException, ResourceNotFoundException } from '@aws-sdk/client-cognito-identity';
import { handler } from '../../lambda/create-upload-url';
import { apiEvent, CONTEXT, expectError, IDENTITY_ID, idToken, parse, setUpMocks, TOKEN } from '../../scripts/fixtures/events';
import { TEST_ENV } from '../../scripts/fixtures/env';

const mocks = setUpMocks();
const KEY = `${IDENTITY_ID}/report.csv`;
const VALID = { name: 'report.csv', contentType: 'text/csv', size: 1234 };

async function call(body: unknown, options: Parameters<typeof apiEvent>[0] = {}) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return parse(await handler(apiEvent({ method: 'POST', resource: '/files/upload-url', body: raw, ...options }), CONTEXT));
}

function policyOf(fields: Record<string, string>) {
  return JSON.parse(Buffer.from(fields.Policy, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
}

describe('POST /files/upload-url', () => {
  test('GIVEN a valid request WHEN called THEN 200 with url, fields, key and expiresIn', async () => {
    const response = await call(VALID);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      url: `https://${TEST_ENV.BUCKET_NAME}.s3.eu-west-1.amazonaws.com/`,
      fields: expect.objectContaining({ key: KEY, 'Content-Type': 'text/csv', Policy: expect.any(String), 'X-Amz-Signature': expect.any(String) }),
      key: KEY,
      expiresIn: 300,
    });
    expect(Object.keys(response.body).sort()).toEqual(['expiresIn', 'fields', 'key', 'url']);
  });

  test('GIVEN a valid request WHEN presigned THEN the policy binds the exact key, content type and exactly the declared size', async () => {
    const { body } = await call(VALID);
    const policy = policyOf(body.fields);
    expect(policy.conditions).toEqual(
      expect.arrayContaining([['eq', '$Content-Type', 'text/csv'], ['content-length-range', 1234, 1234], { key: KEY }, { bucket: TEST_ENV.BUCKET_NAME }]),
    );
    // No starts-with condition anywhere: nothing about the key is left open.
    expect(JSON.stringify(policy.conditions)).not.toContain('starts-with');
    const ttl = (Date.parse(policy.expiration) - Date.now()) / 1000;
    expect(ttl).toBeGreaterThan(280);
    expect(ttl).toBeLessThanOrEqual(300);
  });

  test('GIVEN an upper-case allowed content type WHEN presigned THEN the configured spelling is bound', async () => {
    const { body } = await call({ ...VALID, contentType: 'Text/CSV' });
    expect(body.fields['Content-Type']).toBe('text/csv');
    expect(policyOf(body.fields).conditions).toContainEqual(['eq', '$Content-Type', 'text/csv']);
  });

  test('GIVEN a Bearer-prefixed token WHEN called THEN GetId gets the raw token for the user pool provider', async () => {
    await call(VALID, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(mocks.cognito).toHaveReceivedCommandWith(GetIdCommand, {
      IdentityPoolId: TEST_ENV.IDENTITY_POOL_ID,
      Logins: { [TEST_ENV.USER_POOL_PROVIDER_NAME]: TOKEN },
    });
  });

  test('GIVEN two calls by the same sub WHEN called THEN GetId is called once (warm cache)', async () => {
    await call(VALID);
    await call(VALID);
    expect(mocks.cognito).toHaveReceivedCommandTimes(GetIdCommand, 1);
  });

  test('GIVEN a base64-encoded body WHEN called THEN it is decoded', async () => {
    const response = await call(Buffer.from(JSON.stringify(VALID)).toString('base64'), { isBase64Encoded: true });
    expect(response.status).toBe(200);
  });

  test('GIVEN a successful request WHEN logged THEN the key only by hash (LOG_FILE_NAMES unset), and neither the token nor the signature nor the policy', async () => {
    const { body } = await call(VALID);
    const logged = JSON.stringify(mocks.logs);
    expect(logged).not.toContain(KEY);
    expect(mocks.logs).toContainEqual(expect.objectContaining({ key: expect.stringMatching(/^sha256:[0-9a-f]{16}$/) }));
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain(body.fields['X-Amz-Signature']);
    expect(logged).not.toContain(body.fields.Policy);
  });

  describe.each<[string, unknown, number, string]>([
    ['no body', null, 400, 'invalid_request'],
    ['malformed JSON', '{"name":', 400, 'invalid_request'],
    ['a JSON array', [VALID], 400, 'invalid_request'],
    ['a JSON string', '"x"', 400, 'invalid_request'],
    ['JSON null', 'null', 400, 'invalid_request'],
    ['an extra key', { ...VALID, key: 'other/key' }, 400, 'invalid_request'],
    ['a __proto__ key', '{"name":"a.csv","contentType":"text/csv","size":1,"__proto__":{"x":1}}', 400, 'invalid_request'],
    ['a huge body', { ...VALID, name: 'a'.repeat(5000) }, 400, 'invalid_request'],
    ['a missing name', { contentType: 'text/csv', size: 1 }, 400, 'invalid_request'],
    ['a numeric name', { ...VALID, name: 5 }, 400, 'invalid_request'],
    ['an empty name', { ...VALID, name: '' }, 400, 'invalid_request'],
    ['a name with /', { ...VALID, name: '../other/x.csv' }, 400, 'invalid_request'],
    ['a name with \\', { ...VALID, name: '..\\x.csv' }, 400, 'invalid_request'],
    ['the name ..', { ...VALID, name: '..' }, 400, 'invalid_request'],
    ['the name .', { ...VALID, name: '.' }, 400, 'invalid_request'],
    ['a NUL in the name', { ...VALID, name: 'a\u0000.csv' }, 400, 'invalid_request'],
    ['a newline in the name', { ...VALID, name: 'a\n.csv' }, 400, 'invalid_request'],
    ['a right-to-left override', { ...VALID, name: 'invoice\u202Evsc.exe' }, 400, 'invalid_request'],
    ['a zero-width space', { ...VALID, name: 'a\u200Bb.csv' }, 400, 'invalid_request'],
    ['a line separator', { ...VALID, name: 'a\u2028b.csv' }, 400, 'invalid_request'],
    ['a lone surrogate', { ...VALID, name: 'a\uD800b.csv' }, 400, 'invalid_request'],
    ['${filename}', { ...VALID, name: 'x${filename}' }, 400, 'invalid_request'],
    ['256 characters', { ...VALID, name: 'a'.repeat(256) }, 400, 'invalid_request'],
    ['a key over 1024 bytes', { ...VALID, name: '😀'.repeat(250) }, 400, 'invalid_request'],
    ['a missing contentType', { name: 'a.csv', size: 1 }, 400, 'invalid_request'],
    ['a numeric contentType', { ...VALID, contentType: 1 }, 400, 'invalid_request'],
    ['a disallowed contentType', { ...VALID, contentType: 'text/html' }, 415, 'unsupported_media_type'],
    ['a contentType with parameters', { ...VALID, contentType: 'text/csv; charset=utf-8' }, 415, 'unsupported_media_type'],
    ['a size of 0', { ...VALID, size: 0 }, 400, 'invalid_request'],
    ['a negative size', { ...VALID, size: -1 }, 400, 'invalid_request'],
    ['a fractional size', { ...VALID, size: 1.5 }, 400, 'invalid_request'],
    ['a string size', { ...VALID, size: '10' }, 400, 'invalid_request'],
    ['an unsafe-integer size', { ...VALID, size: 2 ** 60 }, 400, 'invalid_request'],
    ['a size over the maximum', { ...VALID, size: 10 * 1024 * 1024 + 1 }, 413, 'payload_too_large'],
  ])('GIVEN %s', (_label, body, status, code) => {
    test(`WHEN called THEN ${status} ${code} and no AWS call`, async () => {
      expectError(await call(body), status, code);
      expect(mocks.awsCalls()).toBe(0);
    });
  });

  test('GIVEN the largest allowed size and a 255-character name WHEN called THEN 200', async () => {
    const name = `${'é'.repeat(251)}.csv`;
    const { status, body } = await call({ ...VALID, name, size: 10 * 1024 * 1024 });
    expect(status).toBe(200);
    expect(body.key).toBe(`${IDENTITY_ID}/${name}`);
  });

  test.each([
    ['no Authorization header', { Origin: 'x' }],
    ['a token that is not a JWT', { Authorization: 'not-a-token' }],
    ['a token of another sub', { Authorization: idToken({ sub: 'someone-else' }) }],
    ['an access token', { Authorization: idToken({ token_use: 'access' }) }],
  ])('GIVEN %s WHEN called THEN 401 and no AWS call', async (_label, headers) => {
    expectError(await call(VALID, { headers }), 401, 'unauthorized');
    expect(mocks.awsCalls()).toBe(0);
  });

  test('GIVEN Cognito refuses the token WHEN called THEN 401 without the SDK message', async () => {
    mocks.cognito.on(GetIdCommand).rejects(new NotAuthorizedException({ message: 'Token is expired SECRET-DETAIL', $metadata: {} }));
    const response = await call(VALID);
    expectError(response, 401, 'unauthorized');
    expect(JSON.stringify(response.body)).not.toContain('SECRET-DETAIL');
  });

  test('GIVEN GetId fails otherwise WHEN called THEN a generic 500', async () => {
    mocks.cognito.on(GetIdCommand).rejects(new ResourceNotFoundException({ message: 'pool eu-west-1:... not found', $metadata: {} }));
    const response = await call(VALID);
    expect(response).toMatchObject({ status: 500, body: { error: { code: 'internal_error', message: 'Internal error' } } });
  });

  test('GIVEN GetId returns a malformed identity ID WHEN called THEN a generic 500 and nothing presigned', async () => {
    mocks.cognito.on(GetIdCommand).resolves({ IdentityId: 'eu-west-1:../../x' });
    const response = await call(VALID);
    expect(response).toEqual(expect.objectContaining({ status: 500, body: { error: { code: 'internal_error', message: 'Internal error' } } }));
  });
});
