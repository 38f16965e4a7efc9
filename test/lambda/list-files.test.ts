import '../../scripts/fixtures/env';
import 'aws-sdk-client-mock-jest';
import { BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3ServiceException } from '@aws-sdk/client-s3';
import { handler } from '../../lambda/list-files';
import { apiEvent, CONTEXT, expectError, IDENTITY_ID, parse, setUpMocks } from '../../scripts/fixtures/events';
import { TEST_ENV } from '../../scripts/fixtures/env';
import { FakeResultsTable } from '../../scripts/fixtures/fake-results-table';

const mocks = setUpMocks();
const table = new FakeResultsTable();
beforeEach(() => table.install());
const PREFIX = `${IDENTITY_ID}/`;
const S3_TOKEN = '1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=';
const NEXT_TOKEN = Buffer.from(S3_TOKEN).toString('base64url');

const call = async (query: Record<string, string> | null = null, multiQuery: Record<string, string[]> | null = null) =>
  parse(await handler(apiEvent({ resource: '/files', path: '/files', query, multiQuery }), CONTEXT));

describe('GET /files', () => {
  test('GIVEN objects under the caller prefix WHEN listed THEN 200 with names stripped of the prefix', async () => {
    mocks.s3.on(ListObjectsV2Command).resolves({
      Contents: [
        { Key: `${PREFIX}a.csv`, Size: 10, LastModified: new Date('2024-01-02T03:04:05Z') },
        { Key: `${PREFIX}b.csv`, Size: 0, LastModified: new Date('2024-02-02T03:04:05Z') },
      ],
      IsTruncated: false,
    });
    const response = await call();
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      identityId: IDENTITY_ID,
      files: [
        { name: 'a.csv', size: 10, lastModified: '2024-01-02T03:04:05.000Z', status: 'pending' },
        { name: 'b.csv', size: 0, lastModified: '2024-02-02T03:04:05.000Z', status: 'pending' },
      ],
    });
    expect(mocks.s3).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Bucket: TEST_ENV.BUCKET_NAME,
      Prefix: PREFIX,
      Delimiter: '/',
      MaxKeys: 100,
      ContinuationToken: undefined,
    });
  });

  test('GIVEN a truncated page WHEN listed THEN nextToken is the S3 token in base64url', async () => {
    mocks.s3.on(ListObjectsV2Command).resolves({ Contents: [], IsTruncated: true, NextContinuationToken: S3_TOKEN });
    const response = await call({ limit: '1' });
    expect(response.body).toEqual({ identityId: IDENTITY_ID, files: [], nextToken: NEXT_TOKEN });
    expect(response.body.nextToken).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  test('GIVEN limit and nextToken WHEN listed THEN S3 gets MaxKeys and the unwrapped continuation token', async () => {
    mocks.s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    expect((await call({ limit: '1000', nextToken: NEXT_TOKEN })).status).toBe(200);
    expect(mocks.s3).toHaveReceivedCommandWith(ListObjectsV2Command, { MaxKeys: 1000, ContinuationToken: S3_TOKEN });
  });

  test('GIVEN an empty listing WHEN listed THEN files is [] and there is no nextToken', async () => {
    mocks.s3.on(ListObjectsV2Command).resolves({});
    expect((await call()).body).toEqual({ identityId: IDENTITY_ID, files: [] });
  });

  test.each([
    ['limit=0', { limit: '0' }],
    ['limit=1001', { limit: '1001' }],
    ['limit=-1', { limit: '-1' }],
    ['limit=abc', { limit: 'abc' }],
    ['limit=1.5', { limit: '1.5' }],
    ['limit=01', { limit: '01' }],
    ['limit empty', { limit: '' }],
    ['nextToken with invalid characters', { nextToken: 'abc/def+' }],
    ['nextToken empty', { nextToken: '' }],
    ['nextToken too long', { nextToken: 'a'.repeat(2049) }],
    ['nextToken that decodes to control characters', { nextToken: Buffer.from('\u0000\u0001').toString('base64url') }],
    ['nextToken that is not canonical base64url', { nextToken: 'QQ' + 'x' }],
  ])('GIVEN %s WHEN listed THEN 400 and no AWS call', async (_label, query) => {
    expectError(await call(query), 400, 'invalid_request');
    expect(mocks.awsCalls()).toBe(0);
  });

  test('GIVEN limit given twice WHEN listed THEN 400 and no AWS call', async () => {
    expectError(await call({ limit: '5' }, { limit: ['1', '5'] }), 400, 'invalid_request');
    expect(mocks.awsCalls()).toBe(0);
  });

  test('GIVEN an unknown query parameter WHEN listed THEN it is ignored', async () => {
    mocks.s3.on(ListObjectsV2Command).resolves({});
    expect((await call({ cacheBust: '123' })).status).toBe(200);
  });

  test('GIVEN S3 rejects a forged nextToken WHEN listed THEN 400', async () => {
    mocks.s3
      .on(ListObjectsV2Command)
      .rejects(new S3ServiceException({ name: 'InvalidArgument', $fault: 'client', message: 'The continuation token provided is incorrect', $metadata: {} }));
    expectError(await call({ nextToken: NEXT_TOKEN }), 400, 'invalid_request');
  });

  test('GIVEN S3 fails WHEN listed THEN a generic 500 with no SDK detail', async () => {
    mocks.s3.on(ListObjectsV2Command).rejects(
      new S3ServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        message: 'User arn:aws:sts::123:assumed-role/x is not authorized',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const response = await call();
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: { code: 'internal_error', message: 'Internal error' } });
  });

  test('GIVEN no sub claim WHEN listed THEN 401 and no AWS call', async () => {
    expectError(parse(await handler(apiEvent({ claims: {} }), CONTEXT)), 401, 'unauthorized');
    expect(mocks.awsCalls()).toBe(0);
  });
});

describe('GET /files: check status', () => {
  const resultItem = (name: string, status: string) => ({
    identityId: { S: IDENTITY_ID },
    sk: { S: `file#${name}` },
    name: { S: name },
    status: { S: status },
  });
  const listing = (names: string[]) => mocks.s3.on(ListObjectsV2Command).resolves({ Contents: names.map((name) => ({ Key: `${PREFIX}${name}`, Size: 1 })) });
  const statuses = (body: { files: { name: string; status: string }[] }) => Object.fromEntries(body.files.map((f) => [f.name, f.status]));

  test('GIVEN accepted, rejected, deleted and unchecked files WHEN listed THEN each carries its status; tombstones and no result read as pending', async () => {
    listing(['ok.csv', 'bad.csv', 'new.csv', 'again.csv']);
    for (const [name, status] of [
      ['ok.csv', 'accepted'],
      ['bad.csv', 'rejected'],
      ['again.csv', 'deleted'],
    ])
      table.items.set(`${IDENTITY_ID}|file#${name}`, resultItem(name, status));
    const response = await call();
    expect(statuses(response.body)).toEqual({ 'ok.csv': 'accepted', 'bad.csv': 'rejected', 'new.csv': 'pending', 'again.csv': 'pending' });
  });

  test("GIVEN another identity has a result for the same name WHEN listed THEN it is not used (keys are the caller's identity)", async () => {
    listing(['a.csv']);
    table.items.set(`eu-west-1:00000000-0000-4000-8000-000000000000|file#a.csv`, {
      ...resultItem('a.csv', 'accepted'),
      identityId: { S: 'eu-west-1:00000000-0000-4000-8000-000000000000' },
    });
    expect(statuses((await call()).body)).toEqual({ 'a.csv': 'pending' });
  });

  test('GIVEN a page of 250 files WHEN listed THEN statuses come in BatchGetItem calls of at most 100 keys', async () => {
    const names = Array.from({ length: 250 }, (_, i) => `f${i}.csv`);
    listing(names);
    table.items.set(`${IDENTITY_ID}|file#f249.csv`, resultItem('f249.csv', 'accepted'));
    const response = await call({ limit: '250' });
    expect(statuses(response.body)['f249.csv']).toBe('accepted');
    expect(table.mock.commandCalls(BatchGetItemCommand).map((c) => c.args[0].input.RequestItems![TEST_ENV.UPLOAD_RESULTS_TABLE].Keys!.length)).toEqual([
      100, 100, 50,
    ]);
  });

  test('GIVEN DynamoDB leaves keys unprocessed WHEN listed THEN they are fetched again', async () => {
    listing(['a.csv']);
    table.items.set(`${IDENTITY_ID}|file#a.csv`, resultItem('a.csv', 'rejected'));
    table.unprocessedBatchCalls = 2;
    expect(statuses((await call()).body)).toEqual({ 'a.csv': 'rejected' });
    expect(table.mock.commandCalls(BatchGetItemCommand)).toHaveLength(3);
  });

  test('GIVEN keys stay unprocessed WHEN listed THEN a generic 500, not a wrong status', async () => {
    listing(['a.csv']);
    table.unprocessedBatchCalls = 100;
    expectError(await call(), 500, 'internal_error');
  }, 10_000);

  test('GIVEN an empty page WHEN listed THEN the results table is not read', async () => {
    listing([]);
    expect((await call()).status).toBe(200);
    const resultReads = table.mock.calls().filter((c) => (c.args[0].input as { TableName?: string }).TableName !== TEST_ENV.IDENTITY_MAP_TABLE);
    expect(resultReads).toHaveLength(0);
  });
});
