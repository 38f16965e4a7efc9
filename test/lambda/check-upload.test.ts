import './support/checker-env';
import 'aws-sdk-client-mock-jest';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { handler } from '../../lambda/check-upload';
import { CONTEXT, IDENTITY_ID } from '../../scripts/fixtures/events';
import { TEST_ENV } from '../../scripts/fixtures/env';
import { FakeResultsTable } from '../../scripts/fixtures/fake-results-table';

const BUCKET = TEST_ENV.BUCKET_NAME;
const table = new FakeResultsTable();
const s3 = mockClient(S3Client);
/** Object versions in the fake bucket: `${key}@${versionId}` → content. */
const objects = new Map<string, Buffer>();
let messages = 0;

/** `a,b` rows making a valid CSV of exactly `size` bytes (size ≥ 4). */
const csvOfSize = (size: number) => Buffer.from(`a\n${'x'.repeat(size - 3)}\n`);

function put(name: string, version: string, content: Buffer): void {
  objects.set(`${IDENTITY_ID}/${name}@${version}`, content);
}

function record(detailType: string, detail: Record<string, unknown>): SQSRecord {
  const body = JSON.stringify({ version: '0', source: 'aws.s3', 'detail-type': detailType, detail: { version: '0', bucket: { name: BUCKET }, ...detail } });
  return { messageId: `m-${++messages}`, body } as SQSRecord;
}

const created = (name: string, version: string, sequencer: string, size = objects.get(`${IDENTITY_ID}/${name}@${version}`)?.length ?? 0, key = `${IDENTITY_ID}/${name}`) =>
  record('Object Created', { object: { key, size, 'version-id': version, sequencer }, reason: 'PutObject' });
const deleteMarker = (name: string, markerVersion: string, sequencer: string) =>
  record('Object Deleted', { object: { key: `${IDENTITY_ID}/${name}`, 'version-id': markerVersion, sequencer }, 'deletion-type': 'Delete Marker Created' });
const permanentDelete = (name: string, version: string, sequencer: string) =>
  record('Object Deleted', { object: { key: `${IDENTITY_ID}/${name}`, 'version-id': version, sequencer }, 'deletion-type': 'Permanent Delete' });

const run = (...records: SQSRecord[]) => handler({ Records: records } as SQSEvent, CONTEXT);
const result = (name: string) => table.result(IDENTITY_ID, name);
const gets = () => s3.commandCalls(GetObjectCommand).length;

beforeEach(() => {
  table.install();
  s3.reset();
  objects.clear();
  s3.on(GetObjectCommand).callsFake((input: { Key: string; VersionId?: string }) => {
    const content = objects.get(`${input.Key}@${input.VersionId}`);
    if (content === undefined) throw new S3ServiceException({ name: 'NoSuchVersion', $fault: 'client', $metadata: { httpStatusCode: 404 }, message: 'no such version' });
    return { Body: Readable.from([content]) as never };
  });
  s3.on(DeleteObjectCommand).callsFake((input: { Key: string; VersionId?: string }) => {
    objects.delete(`${input.Key}@${input.VersionId}`);
    return {};
  });
  for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('check-upload: one object version', () => {
  test('GIVEN a well-formed CSV WHEN its Object Created event is handled THEN accepted, charged its size, kept', async () => {
    put('a.csv', 'v1', Buffer.from('name,score\nalice,1\n'));
    expect(await run(created('a.csv', 'v1', '01'))).toEqual({ batchItemFailures: [] });
    expect(result('a.csv')).toMatchObject({
      status: { S: 'accepted' }, rows: { N: '1' }, columns: { N: '2' }, header: { L: [{ S: 'name' }, { S: 'score' }] },
      versionId: { S: 'v1' }, sequencer: { S: '01' }, kind: { S: 'upload' }, checkedAt: { S: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
    });
    expect(table.usage(IDENTITY_ID)).toBe(19);
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: BUCKET, Key: `${IDENTITY_ID}/a.csv`, VersionId: 'v1' });
    expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
  });

  test('GIVEN a malformed CSV WHEN handled THEN rejected with its reason, nothing charged, that version deleted', async () => {
    put('bad.csv', 'v1', Buffer.from('a,b\n"1,2\n'));
    await run(created('bad.csv', 'v1', '01'));
    expect(result('bad.csv')).toMatchObject({ status: { S: 'rejected' }, reason: { S: 'parse_error' }, message: { S: expect.any(String) } });
    expect(table.usage(IDENTITY_ID)).toBe(0);
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Bucket: BUCKET, Key: `${IDENTITY_ID}/bad.csv`, VersionId: 'v1' });
  });

  test('GIVEN a declared size over MAX_UPLOAD_BYTES WHEN handled THEN too_large without reading the object', async () => {
    await run(created('big.csv', 'v1', '01', 5001));
    expect(result('big.csv')).toMatchObject({ status: { S: 'rejected' }, reason: { S: 'too_large' } });
    expect(gets()).toBe(0);
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { VersionId: 'v1' });
  });

  test('GIVEN the version was deleted before the check WHEN handled THEN nothing is recorded or charged', async () => {
    await run(created('gone.csv', 'v1', '01', 10));
    expect(result('gone.csv')).toBeUndefined();
    expect(table.usage(IDENTITY_ID)).toBe(0);
  });

  test('GIVEN a URL-encoded key WHEN handled THEN the decoded key is read and the name recorded', async () => {
    const encoded = `${IDENTITY_ID.replace(':', '%3A')}/my+report%281%29.csv`;
    put('my report(1).csv', 'v1', csvOfSize(10));
    await run(created('my report(1).csv', 'v1', '01', 10, encoded));
    expect(result('my report(1).csv')).toMatchObject({ status: { S: 'accepted' } });
  });
});

describe('check-upload: events at least once and out of order', () => {
  test('GIVEN the same event twice WHEN handled THEN read and charged once', async () => {
    put('a.csv', 'v1', csvOfSize(100));
    await run(created('a.csv', 'v1', '0A'));
    await run(created('a.csv', 'v1', '0A'));
    expect(table.usage(IDENTITY_ID)).toBe(100);
    expect(gets()).toBe(1);
  });

  test('GIVEN a newer version handled first WHEN the older event arrives THEN it is ignored and never read', async () => {
    put('a.csv', 'v1', csvOfSize(100));
    put('a.csv', 'v2', csvOfSize(30));
    await run(created('a.csv', 'v2', '0B'));
    await run(created('a.csv', 'v1', '0A'));
    expect(result('a.csv')).toMatchObject({ versionId: { S: 'v2' } });
    expect(table.usage(IDENTITY_ID)).toBe(30);
    expect(gets()).toBe(1);
  });

  test('GIVEN sequencers of different lengths WHEN compared THEN as numbers after padding ("FF" is older than "0100")', async () => {
    put('a.csv', 'v1', csvOfSize(10));
    put('a.csv', 'v2', csvOfSize(20));
    await run(created('a.csv', 'v2', '0100'));
    await run(created('a.csv', 'v1', 'FF'));
    expect(result('a.csv')).toMatchObject({ versionId: { S: 'v2' } });
  });

  test('GIVEN a delete marker handled before the upload it deletes WHEN the upload event arrives THEN ignored, nothing charged', async () => {
    put('a.csv', 'v1', csvOfSize(100));
    await run(deleteMarker('a.csv', 'dm1', '0B'));
    await run(created('a.csv', 'v1', '0A'));
    expect(table.usage(IDENTITY_ID)).toBe(0);
    expect(result('a.csv')).toMatchObject({ status: { S: 'deleted' } });
    expect(gets()).toBe(0);
  });

  test('GIVEN another event for the name recorded while checking WHEN this one writes THEN it yields to the newer one', async () => {
    put('a.csv', 'v1', csvOfSize(100));
    table.beforeWrite = () => {
      table.beforeWrite = undefined;
      table.items.set(`${IDENTITY_ID}|file#a.csv`, { identityId: { S: IDENTITY_ID }, sk: { S: 'file#a.csv' }, name: { S: 'a.csv' }, status: { S: 'accepted' }, sequencer: { S: '0C' }, versionId: { S: 'v3' }, countedBytes: { N: '0' }, size: { N: '0' }, checkedAt: { S: 'x' } });
    };
    expect(await run(created('a.csv', 'v1', '0A'))).toEqual({ batchItemFailures: [] });
    expect(result('a.csv')).toMatchObject({ versionId: { S: 'v3' } });
    expect(table.usage(IDENTITY_ID)).toBe(0);
  });

  test('GIVEN deleting a rejected version failed WHEN the event is retried THEN the delete is retried, the result kept', async () => {
    put('bad.csv', 'v1', Buffer.from('\u0000'));
    s3.on(DeleteObjectCommand).rejectsOnce(new Error('throttled')).resolves({});
    const first = await run(created('bad.csv', 'v1', '01'));
    expect(first.batchItemFailures).toHaveLength(1);
    const retry = record('x', {});
    retry.body = JSON.parse(JSON.stringify(created('bad.csv', 'v1', '01'))).body;
    expect(await run(retry)).toEqual({ batchItemFailures: [] });
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(2);
    expect(result('bad.csv')).toMatchObject({ status: { S: 'rejected' }, reason: { S: 'not_csv' } });
  });

  test('GIVEN any order and repetition of a name\'s events WHEN all handled THEN the newest version\'s result and charge', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 4, max: 200 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.infiniteStream(fc.nat()),
        async (sizes, endsDeleted, picks) => {
          table.install();
          objects.clear();
          const events = sizes.map((size, i) => {
            put('p.csv', `v${i}`, csvOfSize(size));
            return () => created('p.csv', `v${i}`, (i + 1).toString(16).padStart(2, '0'));
          });
          if (endsDeleted) events.push(() => deleteMarker('p.csv', 'dm', (sizes.length + 1).toString(16).padStart(2, '0')));
          // Each event once or twice, in a shuffled order.
          const deliveries = [...events, ...events.filter((_, i) => picks.next().value % 2 === i % 2)];
          const order = deliveries.map((e) => ({ e, k: picks.next().value })).sort((a, b) => a.k - b.k);
          for (const { e } of order) expect(await run(e())).toEqual({ batchItemFailures: [] });
          const newest = sizes.length - 1;
          expect(table.usage(IDENTITY_ID)).toBe(endsDeleted ? 0 : sizes[newest]);
          expect(result('p.csv')).toMatchObject(endsDeleted ? { status: { S: 'deleted' } } : { status: { S: 'accepted' }, versionId: { S: `v${newest}` } });
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('check-upload: replace, delete and quota', () => {
  test('GIVEN an accepted file WHEN a new accepted version replaces it THEN only the new size is charged', async () => {
    put('a.csv', 'v1', csvOfSize(100));
    put('a.csv', 'v2', csvOfSize(30));
    await run(created('a.csv', 'v1', '01'), created('a.csv', 'v2', '02'));
    expect(table.usage(IDENTITY_ID)).toBe(30);
  });

  test('GIVEN an accepted file WHEN a rejected version replaces it THEN the old version stays charged (it is current again)', async () => {
    put('a.csv', 'v1', csvOfSize(100));
    put('a.csv', 'v2', Buffer.from('a,b\n1\n'));
    await run(created('a.csv', 'v1', '01'), created('a.csv', 'v2', '02'));
    expect(result('a.csv')).toMatchObject({ status: { S: 'rejected' }, countedVersionId: { S: 'v1' } });
    expect(table.usage(IDENTITY_ID)).toBe(100);
    // Our own delete of the rejected version comes back as an event: the rejection stays.
    await run(permanentDelete('a.csv', 'v2', '03'));
    expect(result('a.csv')).toMatchObject({ status: { S: 'rejected' } });
    expect(table.usage(IDENTITY_ID)).toBe(100);
  });

  test('GIVEN an accepted file WHEN a delete marker arrives (twice) THEN its bytes come back once and the result is a tombstone off the index', async () => {
    put('a.csv', 'v1', csvOfSize(100));
    put('b.csv', 'v1', csvOfSize(50));
    await run(created('a.csv', 'v1', '01'), created('b.csv', 'v1', '01'));
    await run(deleteMarker('a.csv', 'dm', '02'), deleteMarker('a.csv', 'dm', '02'));
    expect(table.usage(IDENTITY_ID)).toBe(50);
    expect(result('a.csv')).toMatchObject({ status: { S: 'deleted' }, countedBytes: { N: '0' } });
    expect(result('a.csv')?.kind).toBeUndefined();
  });

  test('GIVEN an accepted version WHEN it is permanently deleted THEN its bytes come back', async () => {
    put('a.csv', 'v1', csvOfSize(100));
    await run(created('a.csv', 'v1', '01'));
    await run(permanentDelete('a.csv', 'v1', '02'), permanentDelete('a.csv', 'v1', '02'));
    expect(table.usage(IDENTITY_ID)).toBe(0);
    expect(result('a.csv')).toMatchObject({ status: { S: 'deleted' } });
  });

  test('GIVEN usage at the quota boundary WHEN a file fills it exactly THEN accepted; one byte more THEN quota_exceeded and deleted', async () => {
    put('a.csv', 'v1', csvOfSize(600));
    put('b.csv', 'v1', csvOfSize(400));
    put('c.csv', 'v1', csvOfSize(4));
    await run(created('a.csv', 'v1', '01'), created('b.csv', 'v1', '01'));
    expect(table.usage(IDENTITY_ID)).toBe(1000);
    await run(created('c.csv', 'v1', '01'));
    expect(result('c.csv')).toMatchObject({ status: { S: 'rejected' }, reason: { S: 'quota_exceeded' }, message: { S: expect.stringContaining('1000') } });
    expect(table.usage(IDENTITY_ID)).toBe(1000);
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: `${IDENTITY_ID}/c.csv`, VersionId: 'v1' });
  });

  test('GIVEN a full quota WHEN a file is replaced by a smaller version THEN accepted (a shrink is never refused)', async () => {
    put('a.csv', 'v1', csvOfSize(1000));
    put('a.csv', 'v2', csvOfSize(900));
    await run(created('a.csv', 'v1', '01'), created('a.csv', 'v2', '02'));
    expect(table.usage(IDENTITY_ID)).toBe(900);
    expect(result('a.csv')).toMatchObject({ status: { S: 'accepted' }, versionId: { S: 'v2' } });
  });

  test('GIVEN one file larger than the whole quota WHEN handled THEN quota_exceeded', async () => {
    put('a.csv', 'v1', csvOfSize(1001));
    await run(created('a.csv', 'v1', '01'));
    expect(result('a.csv')).toMatchObject({ reason: { S: 'quota_exceeded' } });
    expect(table.usage(IDENTITY_ID)).toBe(0);
  });
});

describe('check-upload: what it does not act on', () => {
  test.each([
    ['a key outside any identity prefix', { object: { key: 'public/a.csv', size: 4, 'version-id': 'v1', sequencer: '01' } }],
    ['a key in a sub-folder', { object: { key: `${IDENTITY_ID}/dir/a.csv`, size: 4, 'version-id': 'v1', sequencer: '01' } }],
    ['a name the API would refuse', { object: { key: `${IDENTITY_ID}/..`, size: 4, 'version-id': 'v1', sequencer: '01' } }],
    ['no sequencer', { object: { key: `${IDENTITY_ID}/a.csv`, size: 4, 'version-id': 'v1' } }],
    ['another bucket', { bucket: { name: 'other-bucket' }, object: { key: `${IDENTITY_ID}/a.csv`, size: 4, 'version-id': 'v1', sequencer: '01' } }],
  ])('GIVEN %s WHEN handled THEN skipped: no AWS call, not retried', async (_what, detail) => {
    expect(await run(record('Object Created', detail))).toEqual({ batchItemFailures: [] });
    expect(s3.calls()).toHaveLength(0);
    expect(table.mock.calls()).toHaveLength(0);
  });

  test('GIVEN a body that is not JSON or not an S3 event WHEN handled THEN skipped, not retried', async () => {
    const notJson = { messageId: 'x1', body: '{' } as SQSRecord;
    const other = { messageId: 'x2', body: JSON.stringify({ source: 'aws.ec2', 'detail-type': 'Object Created' }) } as SQSRecord;
    expect(await run(notJson, other)).toEqual({ batchItemFailures: [] });
    expect(table.mock.calls()).toHaveLength(0);
  });

  test('GIVEN DynamoDB failing for one record of a batch WHEN handled THEN only that record is reported for retry', async () => {
    put('a.csv', 'v1', csvOfSize(10));
    put('b.csv', 'v1', csvOfSize(10));
    const failing = created('a.csv', 'v1', '01');
    table.beforeWrite = () => {
      table.beforeWrite = undefined;
      throw new Error('ProvisionedThroughputExceeded');
    };
    expect(await run(failing, created('b.csv', 'v1', '01'))).toEqual({ batchItemFailures: [{ itemIdentifier: failing.messageId }] });
    expect(result('b.csv')).toMatchObject({ status: { S: 'accepted' } });
  });
});
