import '../../scripts/fixtures/env';
import 'aws-sdk-client-mock-jest';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { handler } from '../../lambda/get-file-status';
import { apiEvent, CONTEXT, expectError, IDENTITY_ID, parse, setUpMocks } from '../../scripts/fixtures/events';
import { TEST_ENV } from '../../scripts/fixtures/env';
import { FakeResultsTable } from '../../scripts/fixtures/fake-results-table';

const mocks = setUpMocks();
const table = new FakeResultsTable();
beforeEach(() => table.install());

const call = async (name: string) =>
  parse(await handler(apiEvent({ resource: '/files/{name}/status', path: `/files/${name}/status`, pathParameters: { name } }), CONTEXT));
const notFound = new S3ServiceException({ name: 'NotFound', $fault: 'client', $metadata: { httpStatusCode: 404 }, message: '' });
const base = (name: string) => ({
  identityId: { S: IDENTITY_ID },
  sk: { S: `file#${name}` },
  name: { S: name },
  checkedAt: { S: '2026-01-02T03:04:05.000Z' },
  size: { N: '9' },
  versionId: { S: 'v1' },
  sequencer: { S: '01' },
  countedBytes: { N: '9' },
});

describe('GET /files/{name}/status', () => {
  test('GIVEN an accepted result WHEN asked THEN 200 with counts, header and warnings, and no internal fields', async () => {
    table.items.set(`${IDENTITY_ID}|file#a.csv`, {
      ...base('a.csv'),
      status: { S: 'accepted' },
      kind: { S: 'upload' },
      rows: { N: '2' },
      columns: { N: '3' },
      header: { L: [{ S: 'x' }, { S: 'y' }, { S: 'z' }] },
      warnings: { L: [{ S: 'formula_cells' }] },
    });
    const response = await call('a.csv');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      name: 'a.csv',
      status: 'accepted',
      rows: 2,
      columns: 3,
      header: ['x', 'y', 'z'],
      warnings: ['formula_cells'],
      checkedAt: '2026-01-02T03:04:05.000Z',
    });
    expect(table.mock).toHaveReceivedCommandWith(GetItemCommand, {
      TableName: TEST_ENV.UPLOAD_RESULTS_TABLE,
      Key: { identityId: { S: IDENTITY_ID }, sk: { S: 'file#a.csv' } },
    });
  });

  test('GIVEN a rejected result whose object was deleted WHEN asked THEN 200 with reason and message (the result stays)', async () => {
    table.items.set(`${IDENTITY_ID}|file#bad.csv`, {
      ...base('bad.csv'),
      status: { S: 'rejected' },
      reason: { S: 'bad_encoding' },
      message: { S: 'The file is not valid UTF-8 text.' },
    });
    expect((await call('bad.csv')).body).toEqual({
      name: 'bad.csv',
      status: 'rejected',
      reason: 'bad_encoding',
      message: 'The file is not valid UTF-8 text.',
      checkedAt: '2026-01-02T03:04:05.000Z',
    });
    expect(mocks.s3).not.toHaveReceivedCommand(HeadObjectCommand);
  });

  test('GIVEN an object with no result yet WHEN asked THEN 200 pending', async () => {
    mocks.s3.on(HeadObjectCommand).resolves({});
    expect((await call('new.csv')).body).toEqual({ name: 'new.csv', status: 'pending' });
    expect(mocks.s3).toHaveReceivedCommandWith(HeadObjectCommand, { Bucket: TEST_ENV.BUCKET_NAME, Key: `${IDENTITY_ID}/new.csv` });
  });

  test('GIVEN neither a result nor an object WHEN asked THEN 404', async () => {
    mocks.s3.on(HeadObjectCommand).rejects(notFound);
    expectError(await call('nothing.csv'), 404, 'not_found');
  });

  test('GIVEN only a deletion tombstone and no object WHEN asked THEN 404', async () => {
    table.items.set(`${IDENTITY_ID}|file#gone.csv`, { ...base('gone.csv'), status: { S: 'deleted' } });
    mocks.s3.on(HeadObjectCommand).rejects(notFound);
    expectError(await call('gone.csv'), 404, 'not_found');
  });

  test.each(['..', '..%2Fother%2Fx.csv', 'a%00b'])('GIVEN the name %s WHEN asked THEN 400 before any AWS call', async (name) => {
    expectError(await call(name), 400, 'invalid_request');
    expect(mocks.awsCalls() + table.mock.calls().length).toBe(0);
  });

  test('GIVEN DynamoDB fails WHEN asked THEN a generic 500', async () => {
    table.mock.on(GetItemCommand).rejects(new Error('AccessDeniedException: arn:aws:iam::123:role/x'));
    const response = await call('a.csv');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: { code: 'internal_error', message: 'Internal error' } });
  });
});
