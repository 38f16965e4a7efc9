import type { APIGatewayProxyResult } from 'aws-lambda';
import { ConfigError, ENV_DEFAULTS, loadOnce, readCorsEnv, readIdentityEnv, readStorageEnv, readUploadCheckEnv, readUploadResultsEnv } from '../../../lambda/shared/env';
import { TEST_ENV } from '../support/env';
import { apiEvent, CONTEXT } from '../support/events';

describe('handler environment', () => {
  test('GIVEN the full environment WHEN read THEN typed values', () => {
    expect(readIdentityEnv(TEST_ENV)).toEqual({
      identityPoolId: TEST_ENV.IDENTITY_POOL_ID,
      userPoolProviderName: TEST_ENV.USER_POOL_PROVIDER_NAME,
      identityRegion: 'eu-west-1',
      identityIdLength: 46,
    });
    expect(readStorageEnv(TEST_ENV)).toEqual({
      bucketName: TEST_ENV.BUCKET_NAME,
      region: 'eu-west-1',
      allowedContentTypes: ['text/csv', 'application/json'],
      maxUploadBytes: 10485760,
      uploadUrlTtlSeconds: 300,
      downloadUrlTtlSeconds: 60,
    });
  });

  test('GIVEN only the required variables WHEN read THEN the documented defaults apply', () => {
    const storage = readStorageEnv({ BUCKET_NAME: 'b-1', AWS_REGION: 'us-east-1' });
    expect(storage).toMatchObject({
      allowedContentTypes: [ENV_DEFAULTS.ALLOWED_CONTENT_TYPES],
      maxUploadBytes: ENV_DEFAULTS.MAX_UPLOAD_BYTES,
      uploadUrlTtlSeconds: ENV_DEFAULTS.UPLOAD_URL_TTL_SECONDS,
      downloadUrlTtlSeconds: ENV_DEFAULTS.DOWNLOAD_URL_TTL_SECONDS,
    });
  });

  test.each([
    ['IDENTITY_POOL_ID missing', { ...TEST_ENV, IDENTITY_POOL_ID: undefined }, /IDENTITY_POOL_ID is not set/],
    ['IDENTITY_POOL_ID malformed', { ...TEST_ENV, IDENTITY_POOL_ID: 'pool' }, /IDENTITY_POOL_ID must be/],
    ['USER_POOL_PROVIDER_NAME malformed', { ...TEST_ENV, USER_POOL_PROVIDER_NAME: 'https://x' }, /USER_POOL_PROVIDER_NAME must be/],
  ])('GIVEN %s WHEN the identity env is read THEN ConfigError naming it', (_label, env, message) => {
    expect(() => readIdentityEnv(env)).toThrow(ConfigError);
    expect(() => readIdentityEnv(env)).toThrow(message);
  });

  test.each([
    ['BUCKET_NAME missing', { ...TEST_ENV, BUCKET_NAME: '' }, /BUCKET_NAME is not set/],
    ['AWS_REGION missing', { ...TEST_ENV, AWS_REGION: undefined }, /AWS_REGION is not set/],
    ['MAX_UPLOAD_BYTES not a number', { ...TEST_ENV, MAX_UPLOAD_BYTES: '10MB' }, /MAX_UPLOAD_BYTES/],
    ['MAX_UPLOAD_BYTES zero', { ...TEST_ENV, MAX_UPLOAD_BYTES: '0' }, /MAX_UPLOAD_BYTES/],
    ['UPLOAD_URL_TTL_SECONDS over 7 days', { ...TEST_ENV, UPLOAD_URL_TTL_SECONDS: '604801' }, /UPLOAD_URL_TTL_SECONDS/],
    ['DOWNLOAD_URL_TTL_SECONDS negative', { ...TEST_ENV, DOWNLOAD_URL_TTL_SECONDS: '-1' }, /DOWNLOAD_URL_TTL_SECONDS/],
    ['ALLOWED_CONTENT_TYPES not media types', { ...TEST_ENV, ALLOWED_CONTENT_TYPES: 'csv' }, /ALLOWED_CONTENT_TYPES/],
    ['ALLOWED_CONTENT_TYPES only commas', { ...TEST_ENV, ALLOWED_CONTENT_TYPES: ' , ' }, /ALLOWED_CONTENT_TYPES/],
  ])('GIVEN %s WHEN the storage env is read THEN ConfigError naming it', (_label, env, message) => {
    expect(() => readStorageEnv(env)).toThrow(message);
  });

  test('GIVEN ALLOWED_ORIGINS absent or empty WHEN read THEN no origin is allowed', () => {
    expect(readCorsEnv({}).allowedOrigins.size).toBe(0);
    expect(readCorsEnv({ ALLOWED_ORIGINS: '' }).allowedOrigins.size).toBe(0);
    expect([...readCorsEnv({ ALLOWED_ORIGINS: ' https://a.example , ,https://b.example' }).allowedOrigins]).toEqual(['https://a.example', 'https://b.example']);
  });

  test('GIVEN a failing reader WHEN loaded once THEN get() rethrows the same error every time', () => {
    const loaded = loadOnce(() => readIdentityEnv({}));
    expect(loaded.value).toBeUndefined();
    expect(() => loaded.get()).toThrow(ConfigError);
    expect(() => loaded.get()).toThrow(ConfigError);
  });

  test.each(['list-files', 'create-upload-url', 'get-file', 'delete-file'])(
    'GIVEN BUCKET_NAME missing at load WHEN lambda/%s is invoked THEN it fails closed with a generic 500 and no AWS call',
    async (file) => {
      const saved = process.env.BUCKET_NAME;
      Object.assign(process.env, TEST_ENV);
      delete process.env.BUCKET_NAME;
      const errors: unknown[] = [];
      const spies = (['info', 'warn', 'error'] as const).map((level) => jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void errors.push(args[0])));
      try {
        let handler!: (event: unknown, context: unknown) => Promise<APIGatewayProxyResult>;
        jest.isolateModules(() => {
          handler = require(`../../../lambda/${file}`).handler;
        });
        const { mockClient } = require('aws-sdk-client-mock');
        const { S3Client } = require('@aws-sdk/client-s3');
        const { CognitoIdentityClient } = require('@aws-sdk/client-cognito-identity');
        const s3 = mockClient(S3Client);
        const cognito = mockClient(CognitoIdentityClient);
        const event = apiEvent({ pathParameters: { name: 'a.csv' }, body: '{"name":"a.csv","contentType":"text/csv","size":1}' });
        const response = await handler(event, CONTEXT);
        expect(response.statusCode).toBe(500);
        expect(JSON.parse(response.body)).toEqual({ error: { code: 'internal_error', message: 'Internal error' } });
        expect(s3.calls().length + cognito.calls().length).toBe(0);
        expect(errors).toContainEqual(expect.objectContaining({ errorName: 'ConfigError', errorMessage: expect.stringContaining('BUCKET_NAME is not set') }));
        s3.restore();
        cognito.restore();
      } finally {
        process.env.BUCKET_NAME = saved;
        spies.forEach((spy) => spy.mockRestore());
      }
    },
  );
});

describe('readUploadCheckEnv', () => {
  const base = { BUCKET_NAME: 'user-files-bucket', UPLOAD_RESULTS_TABLE: 'upload-results' };

  test('GIVEN only the bucket and table WHEN read THEN the documented defaults apply', () => {
    expect(readUploadCheckEnv(base)).toEqual({
      bucketName: 'user-files-bucket', uploadResultsTable: 'upload-results', maxUploadBytes: 10485760,
      quotaBytesPerUser: 104857600, csvMaxColumns: 1000, csvMaxFieldBytes: 131072,
    });
  });

  test('GIVEN no table and a malformed quota WHEN read THEN one ConfigError naming both', () => {
    expect(() => readUploadCheckEnv({ BUCKET_NAME: 'user-files-bucket', QUOTA_BYTES_PER_USER: '1e9', CSV_MAX_COLUMNS: '0' })).toThrow(
      expect.objectContaining({ name: 'ConfigError', message: expect.stringMatching(/UPLOAD_RESULTS_TABLE is not set.*QUOTA_BYTES_PER_USER must be.*CSV_MAX_COLUMNS must be/) }),
    );
  });

  test('GIVEN no UPLOAD_RESULTS_TABLE WHEN the API routes read theirs THEN ConfigError', () => {
    expect(() => readUploadResultsEnv({})).toThrow(expect.objectContaining({ name: 'ConfigError' }));
    expect(readUploadResultsEnv({ UPLOAD_RESULTS_TABLE: 'upload-results' })).toEqual({ uploadResultsTable: 'upload-results' });
  });
});
