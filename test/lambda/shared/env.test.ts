/* eslint-disable @typescript-eslint/no-require-imports -- jest.isolateModules loads a fresh copy synchronously, which only require() can do */
import type { APIGatewayProxyResult } from 'aws-lambda';
import {
  ConfigError,
  loadOnce,
  readCorsEnv,
  readIdentityEnv,
  readLogEnv,
  readStorageEnv,
  readUploadCheckEnv,
  readUploadResultsEnv,
} from '../../../lambda/shared/env';
import { UPLOAD_DEFAULTS } from '../../../contracts/handler-env';
import { TEST_ENV } from '../../../scripts/fixtures/env';
import { apiEvent, CONTEXT } from '../../../scripts/fixtures/events';

describe('handler environment', () => {
  test('GIVEN the full environment WHEN read THEN typed values', () => {
    expect(readIdentityEnv(TEST_ENV)).toEqual({
      identityPoolId: TEST_ENV.IDENTITY_POOL_ID,
      userPoolProviderName: TEST_ENV.USER_POOL_PROVIDER_NAME,
      identityRegion: 'eu-west-1',
      identityIdLength: 46,
      identityMapTable: TEST_ENV.IDENTITY_MAP_TABLE,
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
      allowedContentTypes: [...UPLOAD_DEFAULTS.allowedContentTypes],
      maxUploadBytes: UPLOAD_DEFAULTS.maxUploadBytes,
      uploadUrlTtlSeconds: UPLOAD_DEFAULTS.uploadUrlTtlSeconds,
      downloadUrlTtlSeconds: UPLOAD_DEFAULTS.downloadUrlTtlSeconds,
    });
  });

  test.each([
    ['IDENTITY_POOL_ID missing', { ...TEST_ENV, IDENTITY_POOL_ID: undefined }, /IDENTITY_POOL_ID is not set/],
    ['IDENTITY_POOL_ID malformed', { ...TEST_ENV, IDENTITY_POOL_ID: 'pool' }, /IDENTITY_POOL_ID must be/],
    ['USER_POOL_PROVIDER_NAME malformed', { ...TEST_ENV, USER_POOL_PROVIDER_NAME: 'https://x' }, /USER_POOL_PROVIDER_NAME must be/],
    ['IDENTITY_MAP_TABLE missing', { ...TEST_ENV, IDENTITY_MAP_TABLE: undefined }, /IDENTITY_MAP_TABLE is not set/],
    ['IDENTITY_MAP_TABLE malformed', { ...TEST_ENV, IDENTITY_MAP_TABLE: 'a b' }, /IDENTITY_MAP_TABLE must be/],
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

  /**
   * Loads a fresh copy of a handler with its own copies of the SDK clients, and
   * mocks exactly those copies: a mock on the suite's shared copies would never
   * see the isolated handler's calls, and "no AWS call" would pass vacuously.
   */
  function isolatedHandler(file: string) {
    let handler!: (event: unknown, context: unknown) => Promise<APIGatewayProxyResult>;
    let calls!: () => number;
    let restore!: () => void;
    jest.isolateModules(() => {
      const { mockClient } = require('aws-sdk-client-mock');
      const s3 = mockClient(require('@aws-sdk/client-s3').S3Client);
      const cognito = mockClient(require('@aws-sdk/client-cognito-identity').CognitoIdentityClient);
      const dynamodb = mockClient(require('@aws-sdk/client-dynamodb').DynamoDBClient);
      cognito.onAnyCommand().resolves({ IdentityId: 'eu-west-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' });
      s3.onAnyCommand().resolves({});
      dynamodb.onAnyCommand().resolves({});
      handler = require(`../../../lambda/${file}`).handler;
      calls = () => s3.calls().length + cognito.calls().length + dynamodb.calls().length;
      restore = () => {
        s3.restore();
        cognito.restore();
        dynamodb.restore();
      };
    });
    return { handler, calls, restore };
  }

  const FILE_ROUTES = ['list-files', 'create-upload-url', 'get-file', 'delete-file'];
  const fileRequest = () => apiEvent({ pathParameters: { name: 'a.csv' }, body: '{"name":"a.csv","contentType":"text/csv","size":1}' });

  test.each(FILE_ROUTES)(
    'GIVEN the full environment WHEN lambda/%s is invoked THEN the isolated mocks see its AWS calls (the check below can fail)',
    async (file) => {
      Object.assign(process.env, TEST_ENV);
      const spies = (['info', 'warn', 'error'] as const).map((level) => jest.spyOn(console, level).mockImplementation(() => undefined));
      const { handler, calls, restore } = isolatedHandler(file);
      try {
        await handler(fileRequest(), CONTEXT);
        expect(calls()).toBeGreaterThan(0);
      } finally {
        restore();
        spies.forEach((spy) => spy.mockRestore());
      }
    },
  );

  test.each([
    ['create-upload-url', undefined, 'sha256:'],
    ['get-file', 'hash', 'sha256:'],
    ['delete-file', 'plain', 'eu-west-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/a.csv'],
  ])('GIVEN lambda/%s with LOG_FILE_NAMES=%s WHEN it logs its request THEN the key starts with %s', async (file, mode, expected) => {
    Object.assign(process.env, TEST_ENV);
    if (mode === undefined) delete process.env.LOG_FILE_NAMES;
    else process.env.LOG_FILE_NAMES = mode;
    const lines: unknown[] = [];
    const spies = (['info', 'warn', 'error'] as const).map((level) =>
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args[0])),
    );
    const { handler, restore } = isolatedHandler(file);
    try {
      await handler(fileRequest(), CONTEXT);
      const logged = lines.find((line) => (line as { key?: string }).key !== undefined) as { key: string };
      expect(logged.key.startsWith(expected)).toBe(true);
      if (expected === 'sha256:') expect(JSON.stringify(lines)).not.toContain('a.csv');
    } finally {
      restore();
      delete process.env.LOG_FILE_NAMES;
      spies.forEach((spy) => spy.mockRestore());
    }
  });

  test.each(FILE_ROUTES)(
    'GIVEN BUCKET_NAME missing at load WHEN lambda/%s is invoked THEN it fails closed with a generic 500 and no AWS call',
    async (file) => {
      const saved = process.env.BUCKET_NAME;
      Object.assign(process.env, TEST_ENV);
      delete process.env.BUCKET_NAME;
      const errors: unknown[] = [];
      const spies = (['info', 'warn', 'error'] as const).map((level) =>
        jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void errors.push(args[0])),
      );
      const { handler, calls, restore } = isolatedHandler(file);
      try {
        const response = await handler(fileRequest(), CONTEXT);
        expect(response.statusCode).toBe(500);
        expect(JSON.parse(response.body)).toEqual({ error: { code: 'internal_error', message: 'Internal error' } });
        expect(calls()).toBe(0);
        expect(errors).toContainEqual(expect.objectContaining({ errorName: 'ConfigError', errorMessage: expect.stringContaining('BUCKET_NAME is not set') }));
      } finally {
        restore();
        process.env.BUCKET_NAME = saved;
        spies.forEach((spy) => spy.mockRestore());
      }
    },
  );
});

describe('LOG_FILE_NAMES', () => {
  test.each([
    ['unset', {}, 'hash'],
    ['empty', { LOG_FILE_NAMES: '' }, 'hash'],
    ['hash', { LOG_FILE_NAMES: 'hash' }, 'hash'],
    ['plain', { LOG_FILE_NAMES: 'plain' }, 'plain'],
  ])('GIVEN LOG_FILE_NAMES %s WHEN read THEN the expected mode (unset fails safe)', (_label, env, mode) => {
    expect(readLogEnv(env)).toEqual({ logFileNames: mode });
  });

  test('GIVEN another value WHEN read THEN ConfigError naming the variable', () => {
    expect(() => readLogEnv({ LOG_FILE_NAMES: 'PLAIN' })).toThrow(
      expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining('LOG_FILE_NAMES must be plain or hash') }),
    );
  });
});

describe('readUploadCheckEnv', () => {
  const base = { BUCKET_NAME: 'user-files-bucket', UPLOAD_RESULTS_TABLE: 'upload-results' };

  test('GIVEN only the bucket and table WHEN read THEN the documented defaults apply', () => {
    expect(readUploadCheckEnv(base)).toEqual({
      bucketName: 'user-files-bucket',
      uploadResultsTable: 'upload-results',
      maxUploadBytes: 10485760,
      quotaBytesPerUser: 104857600,
      csvMaxColumns: 1000,
      csvMaxFieldBytes: 131072,
      allowedContentTypes: ['text/csv'],
      logFileNames: 'hash',
    });
  });

  test("GIVEN the API's ALLOWED_CONTENT_TYPES and LOG_FILE_NAMES WHEN the checker reads them THEN the same list (lower case) and mode", () => {
    expect(readUploadCheckEnv({ ...base, ALLOWED_CONTENT_TYPES: 'Text/CSV, application/json', LOG_FILE_NAMES: 'plain' })).toMatchObject({
      allowedContentTypes: ['text/csv', 'application/json'],
      logFileNames: 'plain',
    });
    expect(() => readUploadCheckEnv({ ...base, ALLOWED_CONTENT_TYPES: 'csv' })).toThrow(/ALLOWED_CONTENT_TYPES/);
  });

  test('GIVEN no table and a malformed quota WHEN read THEN one ConfigError naming both', () => {
    expect(() => readUploadCheckEnv({ BUCKET_NAME: 'user-files-bucket', QUOTA_BYTES_PER_USER: '1e9', CSV_MAX_COLUMNS: '0' })).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        message: expect.stringMatching(/UPLOAD_RESULTS_TABLE is not set.*QUOTA_BYTES_PER_USER must be.*CSV_MAX_COLUMNS must be/),
      }),
    );
  });

  test('GIVEN no UPLOAD_RESULTS_TABLE WHEN the API routes read theirs THEN ConfigError', () => {
    expect(() => readUploadResultsEnv({})).toThrow(expect.objectContaining({ name: 'ConfigError' }));
    expect(readUploadResultsEnv({ UPLOAD_RESULTS_TABLE: 'upload-results' })).toEqual({ uploadResultsTable: 'upload-results' });
  });
});
