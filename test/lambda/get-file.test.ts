/* eslint-disable @typescript-eslint/no-require-imports -- jest.isolateModules loads a fresh copy synchronously, which only require() can do */
import '../../scripts/fixtures/env';
import 'aws-sdk-client-mock-jest';
import { HeadObjectCommand, NotFound, S3ServiceException } from '@aws-sdk/client-s3';
import { handler } from '../../lambda/get-file';
import { apiEvent, CONTEXT, expectError, IDENTITY_ID, parse, setUpMocks, TOKEN } from '../../scripts/fixtures/events';
import { TEST_ENV } from '../../scripts/fixtures/env';

const mocks = setUpMocks();

const call = async (name: string | null) =>
  parse(await handler(apiEvent({ resource: '/files/{name}', pathParameters: name === null ? null : { name } }), CONTEXT));

describe('GET /files/{name}', () => {
  test('GIVEN an existing file WHEN fetched THEN 200 with a presigned GET URL for the exact key and a short expiry', async () => {
    mocks.s3.on(HeadObjectCommand).resolves({ ContentLength: 3 });
    const response = await call('report.csv');
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(['expiresIn', 'url']);
    expect(response.body.expiresIn).toBe(60);
    const url = new URL(response.body.url);
    expect(url.host).toBe(`${TEST_ENV.BUCKET_NAME}.s3.eu-west-1.amazonaws.com`);
    expect(decodeURIComponent(url.pathname)).toBe(`/${IDENTITY_ID}/report.csv`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('response-content-disposition')).toBe("attachment; filename*=UTF-8''report.csv");
    expect(mocks.s3).toHaveReceivedCommandWith(HeadObjectCommand, { Bucket: TEST_ENV.BUCKET_NAME, Key: `${IDENTITY_ID}/report.csv` });
  });

  test('GIVEN a percent-encoded name WHEN fetched THEN it is decoded exactly once', async () => {
    mocks.s3.on(HeadObjectCommand).resolves({});
    expect((await call('my%20report%25.csv')).status).toBe(200);
    expect(mocks.s3).toHaveReceivedCommandWith(HeadObjectCommand, { Key: `${IDENTITY_ID}/my report%.csv` });
  });

  test('GIVEN an absent file WHEN fetched THEN 404 not_found', async () => {
    mocks.s3.on(HeadObjectCommand).rejects(new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } }));
    expectError(await call('missing.csv'), 404, 'not_found');
  });

  test('GIVEN HeadObject is denied WHEN fetched THEN a generic 500 (a fault, not a missing file)', async () => {
    mocks.s3
      .on(HeadObjectCommand)
      .rejects(new S3ServiceException({ name: 'Forbidden', $fault: 'client', message: 'Forbidden', $metadata: { httpStatusCode: 403 } }));
    const response = await call('report.csv');
    expect(response).toMatchObject({ status: 500, body: { error: { code: 'internal_error', message: 'Internal error' } } });
  });

  test('GIVEN an allowed text/csv WHEN presigned THEN the URL forces the response type to text/csv and an attachment, whatever type was stored', async () => {
    mocks.s3.on(HeadObjectCommand).resolves({ ContentType: 'text/html' });
    const url = new URL((await call('page.csv')).body.url);
    expect(url.searchParams.get('response-content-type')).toBe('text/csv');
    expect(url.searchParams.get('response-content-disposition')).toBe("attachment; filename*=UTF-8''page.csv");
  });

  test('GIVEN text/csv not among the allowed types WHEN presigned THEN the response type is application/octet-stream', async () => {
    process.env.ALLOWED_CONTENT_TYPES = 'application/json';
    try {
      let isolated: typeof handler | undefined;
      jest.isolateModules(() => {
        // The isolated handler has its own SDK classes: mock those.
        const { mockClient } = require('aws-sdk-client-mock');
        mockClient(require('@aws-sdk/client-s3').S3Client).on(require('@aws-sdk/client-s3').HeadObjectCommand).resolves({});
        mockClient(require('@aws-sdk/client-cognito-identity').CognitoIdentityClient).resolves({ IdentityId: IDENTITY_ID });
        mockClient(require('@aws-sdk/client-dynamodb').DynamoDBClient).resolves({});
        isolated = require('../../lambda/get-file').handler;
      });
      const response = parse(await isolated!(apiEvent({ resource: '/files/{name}', pathParameters: { name: 'a.json' } }), CONTEXT));
      expect(response.status).toBe(200);
      const url = new URL(response.body.url);
      expect(url.searchParams.get('response-content-type')).toBe('application/octet-stream');
      expect(url.searchParams.get('response-content-disposition')).toBe("attachment; filename*=UTF-8''a.json");
    } finally {
      process.env.ALLOWED_CONTENT_TYPES = TEST_ENV.ALLOWED_CONTENT_TYPES;
    }
  });

  test('GIVEN a success WHEN logged (LOG_FILE_NAMES unset) THEN the key only by hash, and not the URL signature or token', async () => {
    mocks.s3.on(HeadObjectCommand).resolves({});
    const { body } = await call('report.csv');
    const logged = JSON.stringify(mocks.logs);
    expect(logged).not.toContain('report.csv');
    expect(mocks.logs).toContainEqual(expect.objectContaining({ message: 'request completed', key: expect.stringMatching(/^sha256:[0-9a-f]{16}$/) }));
    expect(logged).not.toContain(new URL(body.url).searchParams.get('X-Amz-Signature'));
    expect(logged).not.toContain(TOKEN);
  });

  test.each([
    ['no path parameter', null],
    ['an empty name', ''],
    ['an encoded traversal ..%2F', '..%2Fother%2Fx.csv'],
    ['an encoded slash', 'a%2Fb'],
    ['an encoded backslash', 'a%5Cb'],
    ['an encoded ..', '%2E%2E'],
    ['a literal ..', '..'],
    ['an encoded NUL', 'a%00b'],
    ['an encoded RTL override', 'a%E2%80%AEb'],
    ['an encoded zero-width joiner', 'a%E2%80%8Db'],
    ['a malformed escape', 'a%zz'],
    ['a truncated UTF-8 escape', 'a%E2%80'],
    ['an encoded surrogate', '%ED%A0%80'],
    ['an overlong name', 'a'.repeat(256)],
    ['a huge raw parameter', '%41'.repeat(2000)],
  ])('GIVEN %s WHEN fetched THEN 400 and no AWS call', async (_label, name) => {
    expectError(await call(name), 400, 'invalid_request');
    expect(mocks.awsCalls()).toBe(0);
  });

  test('GIVEN no token WHEN fetched THEN 401 and no AWS call', async () => {
    const event = apiEvent({ pathParameters: { name: 'a.csv' }, headers: { Origin: 'x' } });
    expectError(parse(await handler(event, CONTEXT)), 401, 'unauthorized');
    expect(mocks.awsCalls()).toBe(0);
  });

  test('GIVEN a lower-case bearer prefix WHEN fetched THEN the token is accepted', async () => {
    mocks.s3.on(HeadObjectCommand).resolves({});
    const event = apiEvent({ pathParameters: { name: 'a.csv' }, headers: { authorization: `bearer ${TOKEN}` } });
    expect(parse(await handler(event, CONTEXT)).status).toBe(200);
  });
});
