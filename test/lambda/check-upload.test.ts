import './support/checker-env';
import 'aws-sdk-client-mock-jest';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, InvalidObjectState, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { handler } from '../../lambda/check-upload';
import { CONTEXT, IDENTITY_ID } from '../../scripts/fixtures/events';
import { TEST_ENV } from '../../scripts/fixtures/env';
import { FakeResultsTable } from '../../scripts/fixtures/fake-results-table';
import { versionToItem } from '../../lambda/shared/upload-result-item';

const BUCKET = TEST_ENV.BUCKET_NAME;
const table = new FakeResultsTable();
const s3 = mockClient(S3Client);
/** Object versions in the fake bucket: `${key}@${versionId}` → content and stored metadata. */
const objects = new Map<string, { content: Buffer; contentType?: string; archived?: boolean }>();
let messages = 0;
let logs: unknown[] = [];
let stdout: string[] = [];

/** `a,b` rows making a valid CSV of exactly `size` bytes (size ≥ 4). */
const csvOfSize = (size: number) => Buffer.from(`a\n${'x'.repeat(size - 3)}\n`);

function put(name: string, version: string, content: Buffer, meta: { contentType?: string; archived?: boolean } = { contentType: 'text/csv' }): void {
  objects.set(`${IDENTITY_ID}/${name}@${version}`, { content, ...meta });
}

function record(detailType: string, detail: Record<string, unknown>): SQSRecord {
  const body = JSON.stringify({ version: '0', source: 'aws.s3', 'detail-type': detailType, detail: { version: '0', bucket: { name: BUCKET }, ...detail } });
  return { messageId: `m-${++messages}`, body } as SQSRecord;
}

const created = (
  name: string,
  version: string,
  sequencer: string,
  size = objects.get(`${IDENTITY_ID}/${name}@${version}`)?.content.length ?? 0,
  key = `${IDENTITY_ID}/${name}`,
) => record('Object Created', { object: { key, size, 'version-id': version, sequencer }, reason: 'PutObject' });
const deleteMarker = (name: string, markerVersion: string, sequencer: string) =>
  record('Object Deleted', { object: { key: `${IDENTITY_ID}/${name}`, 'version-id': markerVersion, sequencer }, 'deletion-type': 'Delete Marker Created' });
const permanentDelete = (name: string, version: string, sequencer: string) =>
  record('Object Deleted', {
    object: { key: `${IDENTITY_ID}/${name}`, 'version-id': version, sequencer },
    'deletion-type': 'Permanently Deleted',
    reason: 'DeleteObject',
  });

const run = (...records: SQSRecord[]) => handler({ Records: records }, CONTEXT);
const result = (name: string) => table.result(IDENTITY_ID, name);
const version = (name: string, versionId: string) => table.version(IDENTITY_ID, name, versionId);
const gets = () => s3.commandCalls(GetObjectCommand).length;
const deletedVersions = () => s3.commandCalls(DeleteObjectCommand).map((call) => `${call.args[0].input.Key}@${call.args[0].input.VersionId}`);
const sha16 = (value: string) => `sha256:${createHash('sha256').update(value).digest('hex').slice(0, 16)}`;

beforeEach(() => {
  table.install();
  s3.reset();
  objects.clear();
  s3.on(GetObjectCommand).callsFake((input: { Key: string; VersionId?: string }) => {
    const stored = objects.get(`${input.Key}@${input.VersionId}`);
    if (stored === undefined)
      throw new S3ServiceException({ name: 'NoSuchVersion', $fault: 'client', $metadata: { httpStatusCode: 404 }, message: 'no such version' });
    if (stored.archived)
      throw new InvalidObjectState({ message: "The operation is not valid for the object's storage class", $metadata: { httpStatusCode: 403 } });
    return { Body: Readable.from([stored.content]) as never, ContentType: stored.contentType };
  });
  s3.on(DeleteObjectCommand).callsFake((input: { Key: string; VersionId?: string }) => {
    objects.delete(`${input.Key}@${input.VersionId}`);
    return {};
  });
  logs = [];
  stdout = [];
  for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void logs.push(...args));
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

describe('check-upload: one object version', () => {
  test('GIVEN a well-formed CSV WHEN its Object Created event is handled THEN accepted, charged its size, kept', async () => {
    put('a.csv', 'v1', Buffer.from('name,score\nalice,1\n'));
    expect(await run(created('a.csv', 'v1', '01'))).toEqual({ batchItemFailures: [] });
    expect(result('a.csv')).toMatchObject({
      status: { S: 'accepted' },
      rows: { N: '1' },
      columns: { N: '2' },
      header: { L: [{ S: 'name' }, { S: 'score' }] },
      versionId: { S: 'v1' },
      sequencer: { S: '01' },
      kind: { S: 'upload' },
      checkedAt: { S: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
    });
    expect(version('a.csv', 'v1')).toMatchObject({ state: { S: 'accepted' }, chargedBytes: { N: '19' }, name: { S: 'a.csv' }, versionId: { S: 'v1' } });
    expect(table.usage(IDENTITY_ID)).toBe(19);
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: BUCKET, Key: `${IDENTITY_ID}/a.csv`, VersionId: 'v1' });
    expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
  });

  test('GIVEN a malformed CSV WHEN handled THEN rejected with its reason, nothing charged, that version deleted', async () => {
    put('bad.csv', 'v1', Buffer.from('a,b\n"1,2\n'));
    await run(created('bad.csv', 'v1', '01'));
    expect(result('bad.csv')).toMatchObject({ status: { S: 'rejected' }, reason: { S: 'parse_error' }, message: { S: expect.any(String) } });
    expect(version('bad.csv', 'v1')).toMatchObject({ state: { S: 'rejected' }, reason: { S: 'parse_error' }, chargedBytes: { N: '0' } });
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
    expect(version('gone.csv', 'v1')).toBeUndefined();
    expect(table.usage(IDENTITY_ID)).toBe(0);
  });

  test('GIVEN a URL-encoded key WHEN handled THEN the decoded key is read and the name recorded', async () => {
    const encoded = `${IDENTITY_ID.replace(':', '%3A')}/my+report%281%29.csv`;
    put('my report(1).csv', 'v1', csvOfSize(10));
    await run(created('my report(1).csv', 'v1', '01', 10, encoded));
    expect(result('my report(1).csv')).toMatchObject({ status: { S: 'accepted' } });
  });
});

describe('check-upload: stored metadata decides before the content is read', () => {
  test.each([
    ['text/html', 'text/html'],
    ['no Content-Type at all', undefined],
    ["S3's default binary/octet-stream", 'binary/octet-stream'],
  ])('GIVEN a well-formed CSV stored as %s WHEN handled THEN rejected as content_type, its version deleted, nothing charged', async (_label, contentType) => {
    put('page.csv', 'v1', csvOfSize(50), { contentType });
    expect(await run(created('page.csv', 'v1', '01'))).toEqual({ batchItemFailures: [] });
    expect(result('page.csv')).toMatchObject({ status: { S: 'rejected' }, reason: { S: 'content_type' }, message: { S: expect.stringContaining('text/csv') } });
    expect(deletedVersions()).toEqual([`${IDENTITY_ID}/page.csv@v1`]);
    expect(table.usage(IDENTITY_ID)).toBe(0);
  });

  test('GIVEN an allowed type in another case and with parameters (Text/CSV; charset=utf-8) WHEN handled THEN accepted', async () => {
    put('a.csv', 'v1', csvOfSize(50), { contentType: 'Text/CSV; charset=utf-8' });
    await run(created('a.csv', 'v1', '01'));
    expect(result('a.csv')).toMatchObject({ status: { S: 'accepted' } });
  });

  test('GIVEN a version S3 cannot serve (InvalidObjectState, e.g. DEEP_ARCHIVE) WHEN handled THEN rejected as storage_class, deleted and recorded, not left to the dead-letter queue', async () => {
    put('cold.csv', 'v1', csvOfSize(50), { contentType: 'text/csv', archived: true });
    expect(await run(created('cold.csv', 'v1', '01'))).toEqual({ batchItemFailures: [] });
    expect(result('cold.csv')).toMatchObject({ status: { S: 'rejected' }, reason: { S: 'storage_class' } });
    expect(version('cold.csv', 'v1')).toMatchObject({ state: { S: 'rejected' }, chargedBytes: { N: '0' } });
    expect(deletedVersions()).toEqual([`${IDENTITY_ID}/cold.csv@v1`]);
    expect(table.usage(IDENTITY_ID)).toBe(0);
  });
});

describe('check-upload: every key under an identity prefix is decided, whatever its name', () => {
  test.each([
    ['a nested key', 'dir/x.exe'],
    ['a deeper traversal', '../other/x.csv'],
    ['..', '..'],
    ['.', '.'],
    ['a control character', 'a\u0007b.csv'],
    ['an RTL override', 'evil\u202Ecsv.exe'],
    ['a name over 255 characters', 'n'.repeat(256)],
    ['an empty name (the prefix itself)', ''],
    ['a reserved name', 'upload-url'],
    ['the POST ${filename} variable', 'a${filename}.csv'],
  ])('GIVEN %s WHEN its Object Created event is handled THEN rejected as bad_name, its version deleted, never read', async (_label, name) => {
    put(name, 'v1', csvOfSize(20));
    expect(await run(created(name, 'v1', '01'))).toEqual({ batchItemFailures: [] });
    expect(result(name)).toMatchObject({
      status: { S: 'rejected' },
      reason: { S: 'bad_name' },
      name: { S: name },
      kind: { S: 'upload' },
      message: { S: expect.any(String) },
    });
    expect(version(name, 'v1')).toMatchObject({ state: { S: 'rejected' }, reason: { S: 'bad_name' } });
    expect(deletedVersions()).toEqual([`${IDENTITY_ID}/${name}@v1`]);
    expect(gets()).toBe(0);
    expect(table.usage(IDENTITY_ID)).toBe(0);
  });

  test('GIVEN a valid name and a bad name that extends it ("a" and "a/") WHEN both handled THEN two separate results, the valid one untouched', async () => {
    put('a', 'v1', csvOfSize(20));
    put('a/', 'v1', csvOfSize(20));
    await run(created('a', 'v1', '01'), created('a/', 'v1', '02'));
    expect(result('a')).toMatchObject({ status: { S: 'accepted' }, versionId: { S: 'v1' } });
    expect(result('a/')).toMatchObject({ status: { S: 'rejected' }, reason: { S: 'bad_name' } });
    expect(table.usage(IDENTITY_ID)).toBe(20);
  });

  test('GIVEN names and version IDs that share "#" WHEN recorded THEN each version has its own record', async () => {
    put('x#y', 'v1', csvOfSize(10));
    put('x', 'y#v1', csvOfSize(20));
    await run(created('x#y', 'v1', '01'), created('x', 'y#v1', '01'));
    expect(table.versions(IDENTITY_ID)).toHaveLength(2);
    expect(table.usage(IDENTITY_ID)).toBe(30);
  });

  test('GIVEN a bad name WHEN its own deletion comes back as an event THEN the rejection stays readable', async () => {
    put('dir/x.exe', 'v1', csvOfSize(20));
    await run(created('dir/x.exe', 'v1', '01'));
    await run(permanentDelete('dir/x.exe', 'v1', '02'));
    expect(result('dir/x.exe')).toMatchObject({ status: { S: 'rejected' }, reason: { S: 'bad_name' } });
    expect(version('dir/x.exe', 'v1')).toMatchObject({ state: { S: 'deleted' }, decided: { S: 'rejected' } });
  });
});

describe('check-upload: keys outside every identity prefix', () => {
  const emfLines = () => stdout.map((line) => JSON.parse(line));

  test.each([
    ['a top-level folder', 'public/a.csv'],
    ['a region prefix that is not an identity ID', 'eu-west-1:not-an-identity/a.csv'],
    ['an identity ID without a slash', IDENTITY_ID],
    ['an encoded key that does not decode', 'eu-west-1%3Abad/%zz.csv'],
  ])('GIVEN %s WHEN handled THEN counted as KeysOutsideIdentityPrefix (EMF, no dimensions), logged by hash, nothing recorded', async (_label, key) => {
    expect(await run(record('Object Created', { object: { key, size: 4, 'version-id': 'v1', sequencer: '01' } }))).toEqual({ batchItemFailures: [] });
    expect(emfLines()).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [{ Namespace: 'CognitoAccess/UploadChecks', Dimensions: [[]], Metrics: [{ Name: 'KeysOutsideIdentityPrefix', Unit: 'Count' }] }],
        },
        KeysOutsideIdentityPrefix: 1,
      },
    ]);
    expect(stdout[0].endsWith('\n')).toBe(true);
    expect(logs).toContainEqual(expect.objectContaining({ message: 'key outside every identity prefix', key: expect.stringMatching(/^sha256:[0-9a-f]{16}$/) }));
    expect(JSON.stringify(logs)).not.toContain('a.csv');
    expect(s3.calls()).toHaveLength(0);
    expect(table.mock.calls()).toHaveLength(0);
  });

  test('GIVEN such a key in another bucket WHEN handled THEN skipped without a metric', async () => {
    await run(record('Object Created', { bucket: { name: 'other-bucket' }, object: { key: 'public/a.csv', size: 4, 'version-id': 'v1', sequencer: '01' } }));
    expect(stdout).toEqual([]);
  });
});

describe('check-upload: logs name files by hash (LOG_FILE_NAMES unset means hash)', () => {
  test('GIVEN an accepted and a rejected upload WHEN logged THEN the key appears only as its sha256 prefix', async () => {
    put('payslip-jane.csv', 'v1', csvOfSize(20));
    put('dir/secret-name.exe', 'v1', csvOfSize(20));
    await run(created('payslip-jane.csv', 'v1', '01'), created('dir/secret-name.exe', 'v1', '01'));
    const logged = JSON.stringify(logs);
    expect(logged).not.toContain('payslip-jane');
    expect(logged).not.toContain('secret-name');
    expect(logs).toContainEqual(expect.objectContaining({ message: 'upload checked', key: sha16(`${IDENTITY_ID}/payslip-jane.csv`), status: 'accepted' }));
    expect(logs).toContainEqual(expect.objectContaining({ message: 'upload checked', key: sha16(`${IDENTITY_ID}/dir/secret-name.exe`), reason: 'bad_name' }));
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

  test("GIVEN a newer version handled first WHEN the older (passing) version's event arrives THEN it is still checked and charged; the name keeps showing the newer one", async () => {
    put('a.csv', 'v1', csvOfSize(100));
    put('a.csv', 'v2', csvOfSize(30));
    await run(created('a.csv', 'v2', '0B'));
    await run(created('a.csv', 'v1', '0A'));
    expect(result('a.csv')).toMatchObject({ versionId: { S: 'v2' }, status: { S: 'accepted' } });
    expect(version('a.csv', 'v1')).toMatchObject({ state: { S: 'accepted' }, chargedBytes: { N: '100' } });
    expect(table.usage(IDENTITY_ID)).toBe(130);
    expect(gets()).toBe(2);
  });

  test("GIVEN a newer version handled first WHEN an older failing version's event arrives THEN that older version is still rejected and deleted", async () => {
    put('a.csv', 'v1', Buffer.from('a,b\n1\n'));
    put('a.csv', 'v2', csvOfSize(30));
    await run(created('a.csv', 'v2', '0B'));
    await run(created('a.csv', 'v1', '0A'));
    expect(deletedVersions()).toEqual([`${IDENTITY_ID}/a.csv@v1`]);
    expect(version('a.csv', 'v1')).toMatchObject({ state: { S: 'rejected' }, reason: { S: 'parse_error' } });
    expect(result('a.csv')).toMatchObject({ versionId: { S: 'v2' }, status: { S: 'accepted' } });
    expect(table.usage(IDENTITY_ID)).toBe(30);
  });

  test('GIVEN sequencers of different lengths WHEN compared THEN as numbers after padding ("FF" is older than "0100")', async () => {
    put('a.csv', 'v1', csvOfSize(10));
    put('a.csv', 'v2', csvOfSize(20));
    await run(created('a.csv', 'v2', '0100'));
    await run(created('a.csv', 'v1', 'FF'));
    expect(result('a.csv')).toMatchObject({ versionId: { S: 'v2' } });
  });

  test('GIVEN a delete marker handled before the upload it hides WHEN the upload event arrives THEN the version (still stored) is checked and charged; the name stays deleted', async () => {
    put('a.csv', 'v1', csvOfSize(100));
    await run(deleteMarker('a.csv', 'dm1', '0B'));
    await run(created('a.csv', 'v1', '0A'));
    expect(table.usage(IDENTITY_ID)).toBe(100);
    expect(result('a.csv')).toMatchObject({ status: { S: 'deleted' } });
  });

  test('GIVEN the permanent deletion handled before the creation WHEN the creation arrives THEN a tombstone keeps it from being read or charged', async () => {
    put('a.csv', 'v1', csvOfSize(100));
    await run(permanentDelete('a.csv', 'v1', '0B'));
    expect(version('a.csv', 'v1')).toMatchObject({ state: { S: 'deleted' }, chargedBytes: { N: '0' } });
    await run(created('a.csv', 'v1', '0A'));
    expect(gets()).toBe(0);
    expect(table.usage(IDENTITY_ID)).toBe(0);
  });

  test('GIVEN the permanent deletion recorded while the version is being checked WHEN the check writes THEN it yields: nothing charged', async () => {
    put('a.csv', 'v1', csvOfSize(100));
    const tombstone = versionToItem(IDENTITY_ID, {
      name: 'a.csv',
      versionId: 'v1',
      state: 'deleted',
      size: 0,
      chargedBytes: 0,
      sequencer: '0B',
      updatedAt: 'x',
    });
    table.beforeWrite = () => {
      table.beforeWrite = undefined;
      table.items.set(`${IDENTITY_ID}|${tombstone.sk.S}`, tombstone);
    };
    expect(await run(created('a.csv', 'v1', '0A'))).toEqual({ batchItemFailures: [] });
    expect(version('a.csv', 'v1')).toMatchObject({ state: { S: 'deleted' } });
    expect(result('a.csv')).toBeUndefined();
    expect(table.usage(IDENTITY_ID)).toBe(0);
  });

  test('GIVEN a newer result recorded for the name while checking WHEN this version writes THEN the name keeps the newer result and this version is still charged', async () => {
    put('a.csv', 'v1', csvOfSize(100));
    table.beforeWrite = () => {
      table.beforeWrite = undefined;
      table.items.set(`${IDENTITY_ID}|file#a.csv`, {
        identityId: { S: IDENTITY_ID },
        sk: { S: 'file#a.csv' },
        name: { S: 'a.csv' },
        status: { S: 'accepted' },
        sequencer: { S: '0C' },
        versionId: { S: 'v3' },
        size: { N: '0' },
        checkedAt: { S: 'x' },
      });
    };
    expect(await run(created('a.csv', 'v1', '0A'))).toEqual({ batchItemFailures: [] });
    expect(result('a.csv')).toMatchObject({ versionId: { S: 'v3' } });
    expect(table.usage(IDENTITY_ID)).toBe(100);
  });

  test('GIVEN deleting a rejected version failed WHEN the event is retried THEN only the delete is retried (no read), the result kept', async () => {
    put('bad.csv', 'v1', Buffer.from('\u0000'));
    s3.on(DeleteObjectCommand).rejectsOnce(new Error('throttled')).resolves({});
    const first = await run(created('bad.csv', 'v1', '01'));
    expect(first.batchItemFailures).toHaveLength(1);
    const retry = record('x', {});
    retry.body = JSON.parse(JSON.stringify(created('bad.csv', 'v1', '01'))).body;
    expect(await run(retry)).toEqual({ batchItemFailures: [] });
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(2);
    expect(gets()).toBe(1);
    expect(result('bad.csv')).toMatchObject({ status: { S: 'rejected' }, reason: { S: 'not_csv' } });
  });

  test('GIVEN an accepted version WHEN its event is repeated THEN nothing is read, written or deleted', async () => {
    put('a.csv', 'v1', csvOfSize(100));
    await run(created('a.csv', 'v1', '01'));
    const writes = () => table.mock.calls().filter((call) => call.args[0].constructor.name !== 'GetItemCommand').length;
    const before = writes();
    await run(created('a.csv', 'v1', '01'));
    expect(writes()).toBe(before);
    expect(gets()).toBe(1);
    expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
  });

  test("GIVEN any order and repetition of a name's creations (and a final delete marker) WHEN all handled THEN the newest version's result, and every version charged", async () => {
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
          expect(table.usage(IDENTITY_ID)).toBe(sizes.reduce((sum, size) => sum + size, 0));
          expect(result('p.csv')).toMatchObject(endsDeleted ? { status: { S: 'deleted' } } : { status: { S: 'accepted' }, versionId: { S: `v${newest}` } });
        },
      ),
      { numRuns: 60 },
    );
  });

  test('GIVEN any interleaving and repetition of creations and permanent deletions of versions WHEN all handled THEN usage = the sizes of accepted versions not permanently deleted', async () => {
    const versionSpec = fc.record({
      size: fc.integer({ min: 4, max: 200 }),
      valid: fc.boolean(),
      deleted: fc.boolean(),
      // Whether S3 had already removed the bytes when the creation is checked.
      goneBeforeCheck: fc.boolean(),
      repeats: fc.integer({ min: 1, max: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(versionSpec, { minLength: 1, maxLength: 5 }), fc.infiniteStream(fc.nat()), async (specs, picks) => {
        table.install();
        objects.clear();
        s3.resetHistory();
        const deliveries: SQSRecord[] = [];
        specs.forEach((spec, i) => {
          const versionId = `v${i}`;
          // Invalid: a ragged row (one column under a two-column header).
          const content = spec.valid ? csvOfSize(spec.size) : Buffer.from(`a,b\n${'x'.repeat(spec.size)}\n`);
          if (!(spec.deleted && spec.goneBeforeCheck)) put('q.csv', versionId, content);
          for (let r = 0; r < spec.repeats; r++) {
            deliveries.push(created('q.csv', versionId, (2 * i + 1).toString(16).padStart(4, '0'), content.length));
            if (spec.deleted) deliveries.push(permanentDelete('q.csv', versionId, (2 * i + 2).toString(16).padStart(4, '0')));
          }
        });
        const order = deliveries.map((d) => ({ d, k: picks.next().value })).sort((a, b) => a.k - b.k);
        for (const { d } of order) expect(await run(d)).toEqual({ batchItemFailures: [] });
        const expected = specs.reduce((sum, spec) => sum + (spec.valid && !spec.deleted ? csvOfSize(spec.size).length : 0), 0);
        expect(table.usage(IDENTITY_ID)).toBe(expected);
        // Every version deleted for good holds no charge; every surviving invalid version was deleted by the checker.
        specs.forEach((spec, i) => {
          const stored = version('q.csv', `v${i}`);
          if (spec.deleted) expect(stored).toMatchObject({ state: { S: 'deleted' }, chargedBytes: { N: '0' } });
          else expect(stored).toMatchObject({ state: { S: spec.valid ? 'accepted' : 'rejected' } });
        });
      }),
      { numRuns: 100 },
    );
  });
});

describe('check-upload: the quota counts every stored version', () => {
  test('GIVEN an accepted file WHEN a new accepted version replaces it THEN both are charged until the old version is permanently deleted (once)', async () => {
    put('a.csv', 'v1', csvOfSize(100));
    put('a.csv', 'v2', csvOfSize(30));
    await run(created('a.csv', 'v1', '01'), created('a.csv', 'v2', '02'));
    expect(table.usage(IDENTITY_ID)).toBe(130);
    // Lifecycle expires the noncurrent version: S3 sends Permanently Deleted for it.
    await run(permanentDelete('a.csv', 'v1', '03'), permanentDelete('a.csv', 'v1', '03'));
    expect(table.usage(IDENTITY_ID)).toBe(30);
    expect(result('a.csv')).toMatchObject({ status: { S: 'accepted' }, versionId: { S: 'v2' } });
  });

  test('GIVEN an accepted file WHEN a rejected version replaces it THEN the old version stays charged and the rejection stays after its deletion', async () => {
    put('a.csv', 'v1', csvOfSize(100));
    put('a.csv', 'v2', Buffer.from('a,b\n1\n'));
    await run(created('a.csv', 'v1', '01'), created('a.csv', 'v2', '02'));
    expect(result('a.csv')).toMatchObject({ status: { S: 'rejected' }, versionId: { S: 'v2' } });
    expect(table.usage(IDENTITY_ID)).toBe(100);
    // Our own delete of the rejected version comes back as an event: the rejection stays.
    await run(permanentDelete('a.csv', 'v2', '03'));
    expect(result('a.csv')).toMatchObject({ status: { S: 'rejected' } });
    expect(table.usage(IDENTITY_ID)).toBe(100);
  });

  test('GIVEN an accepted file WHEN a delete marker arrives (twice) THEN nothing is released (the version is still stored) and the result is a tombstone off the index', async () => {
    put('a.csv', 'v1', csvOfSize(100));
    put('b.csv', 'v1', csvOfSize(50));
    await run(created('a.csv', 'v1', '01'), created('b.csv', 'v1', '01'));
    await run(deleteMarker('a.csv', 'dm', '02'), deleteMarker('a.csv', 'dm', '02'));
    expect(table.usage(IDENTITY_ID)).toBe(150);
    expect(result('a.csv')).toMatchObject({ status: { S: 'deleted' } });
    expect(result('a.csv')?.kind).toBeUndefined();
    // The hidden version expires later: then its bytes come back.
    await run(permanentDelete('a.csv', 'v1', '03'));
    expect(table.usage(IDENTITY_ID)).toBe(50);
  });

  test('GIVEN an accepted version WHEN it is permanently deleted (twice) THEN its bytes come back once', async () => {
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

  test('GIVEN a full quota WHEN a smaller new version of the same file arrives THEN quota_exceeded: the old version is still stored and counted', async () => {
    put('a.csv', 'v1', csvOfSize(1000));
    put('a.csv', 'v2', csvOfSize(900));
    await run(created('a.csv', 'v1', '01'), created('a.csv', 'v2', '02'));
    expect(table.usage(IDENTITY_ID)).toBe(1000);
    expect(result('a.csv')).toMatchObject({ status: { S: 'rejected' }, reason: { S: 'quota_exceeded' }, versionId: { S: 'v2' } });
    expect(deletedVersions()).toEqual([`${IDENTITY_ID}/a.csv@v2`]);
  });

  test('GIVEN one file larger than the whole quota WHEN handled THEN quota_exceeded', async () => {
    put('a.csv', 'v1', csvOfSize(1001));
    await run(created('a.csv', 'v1', '01'));
    expect(result('a.csv')).toMatchObject({ reason: { S: 'quota_exceeded' } });
    expect(table.usage(IDENTITY_ID)).toBe(0);
  });

  test('GIVEN several versions recorded WHEN the admin index is read THEN only the name results carry its keys (kind, checkedAt), never the version records', async () => {
    put('a.csv', 'v1', csvOfSize(100));
    put('a.csv', 'v2', Buffer.from('\u0000'));
    await run(created('a.csv', 'v1', '01'), created('a.csv', 'v2', '02'), permanentDelete('a.csv', 'v2', '03'));
    const versions = table.versions(IDENTITY_ID);
    expect(versions).toHaveLength(2);
    for (const item of versions) {
      expect(item.kind).toBeUndefined();
      expect(item.checkedAt).toBeUndefined();
    }
    const indexed = [...table.items.values()].filter((item) => item.kind?.S === 'upload');
    expect(indexed.map((item) => item.sk.S)).toEqual(['file#a.csv']);
  });
});

describe('check-upload: charges recorded before version records existed', () => {
  /** What the earlier checker left: the usage, and the charge on the name's result. */
  function seedLegacy(): void {
    table.items.set(`${IDENTITY_ID}|usage`, { identityId: { S: IDENTITY_ID }, sk: { S: 'usage' }, bytes: { N: '100' } });
    table.items.set(`${IDENTITY_ID}|file#a.csv`, {
      identityId: { S: IDENTITY_ID },
      sk: { S: 'file#a.csv' },
      name: { S: 'a.csv' },
      status: { S: 'accepted' },
      kind: { S: 'upload' },
      checkedAt: { S: '2026-01-01T00:00:00.000Z' },
      size: { N: '100' },
      versionId: { S: 'v1' },
      sequencer: { S: '01' },
      countedBytes: { N: '100' },
      countedVersionId: { S: 'v1' },
    });
  }

  test('GIVEN a legacy charge WHEN newer versions and a delete marker follow THEN it is carried, and released once when its version is permanently deleted', async () => {
    seedLegacy();
    put('a.csv', 'v2', csvOfSize(30));
    await run(created('a.csv', 'v2', '02'));
    expect(table.usage(IDENTITY_ID)).toBe(130);
    await run(deleteMarker('a.csv', 'dm', '03'));
    expect(result('a.csv')).toMatchObject({ status: { S: 'deleted' }, countedBytes: { N: '100' }, countedVersionId: { S: 'v1' } });
    await run(permanentDelete('a.csv', 'v1', '04'), permanentDelete('a.csv', 'v1', '04'));
    expect(table.usage(IDENTITY_ID)).toBe(30);
    expect(result('a.csv')?.countedBytes).toBeUndefined();
  });

  test('GIVEN a legacy charge WHEN the event of that version is delivered again THEN it is not charged twice', async () => {
    seedLegacy();
    put('a.csv', 'v1', csvOfSize(100));
    await run(created('a.csv', 'v1', '01'));
    expect(table.usage(IDENTITY_ID)).toBe(100);
    expect(version('a.csv', 'v1')).toBeUndefined();
  });
});

describe('check-upload: a deleted account (docs/design.md, "Account deletion")', () => {
  const OTHER_ID = 'eu-west-1:00000000-0000-4000-8000-000000000099';
  const marker = () => ({ identityId: { S: IDENTITY_ID }, sk: { S: 'account#deleted' }, deletedAt: { S: '2026-01-01T00:00:00.000Z' } });
  const dropped = () => logs.filter((entry) => (entry as { message?: string }).message === 'account deleted: event dropped');

  test.each([
    ['a Permanently Deleted event of an unseen version', () => permanentDelete('a.csv', 'v1', '05')],
    ['a delete marker event', () => deleteMarker('a.csv', 'dm1', '06')],
    ['an Object Created event of a well-formed CSV', () => (put('a.csv', 'v2', csvOfSize(10)), created('a.csv', 'v2', '07'))],
    ['an Object Created event of a rejected file', () => (put('bad.csv', 'v1', Buffer.from('a,b\n"1,2\n')), created('bad.csv', 'v1', '08'))],
  ])('GIVEN the account-deleted marker WHEN %s arrives THEN nothing is written, it is dropped (logged, not retried)', async (_what, event) => {
    table.markAccountDeleted(IDENTITY_ID);
    expect(await run(event())).toEqual({ batchItemFailures: [] });
    expect(table.partition(IDENTITY_ID)).toEqual([marker()]);
    expect(dropped()).toHaveLength(1);
  });

  test("GIVEN an accepted file WHEN the marker is written and then the purge deletes its version permanently THEN the name's result is not touched and no tombstone appears", async () => {
    put('a.csv', 'v1', csvOfSize(10));
    await run(created('a.csv', 'v1', '01'));
    const before = table.partition(IDENTITY_ID);
    table.markAccountDeleted(IDENTITY_ID);
    expect(await run(permanentDelete('a.csv', 'v1', '02'), deleteMarker('a.csv', 'dm', '03'))).toEqual({ batchItemFailures: [] });
    expect(table.partition(IDENTITY_ID)).toEqual([...before, marker()]);
  });

  test("GIVEN the marker written between the checker's read and its write WHEN the event is recorded THEN the write is refused atomically: nothing but the marker", async () => {
    put('a.csv', 'v1', csvOfSize(10));
    table.beforeWrite = () => {
      table.beforeWrite = undefined;
      table.markAccountDeleted(IDENTITY_ID);
    };
    expect(await run(created('a.csv', 'v1', '01'), permanentDelete('b.csv', 'v9', '02'))).toEqual({ batchItemFailures: [] });
    expect(table.partition(IDENTITY_ID)).toEqual([marker()]);
    expect(dropped()).toHaveLength(2);
  });

  test("GIVEN another identity's marker WHEN this identity's events arrive THEN they are recorded as usual", async () => {
    table.markAccountDeleted(OTHER_ID);
    put('a.csv', 'v1', csvOfSize(10));
    await run(created('a.csv', 'v1', '01'), permanentDelete('b.csv', 'v9', '02'));
    expect(result('a.csv')).toMatchObject({ status: { S: 'accepted' } });
    expect(version('b.csv', 'v9')).toMatchObject({ state: { S: 'deleted' } });
    expect(dropped()).toEqual([]);
  });
});

describe('check-upload: what it does not act on', () => {
  test.each([
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
