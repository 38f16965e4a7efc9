/**
 * The local S3's pieces without a server: versions and delete markers on disk
 * (and across a restart), ListObjectsV2 grouping and paging, ListObjectVersions,
 * event sequencers and event key encoding.
 */
import { decodeContinuationToken, listObjectVersionsXml, listObjectsV2Xml } from '../../scripts/local/s3/list-results';
import { eventKey } from '../../scripts/local/s3/object-events';
import { BucketStore } from '../../scripts/local/s3/object-store';
import { Sequencer } from '../../scripts/local/s3/sequencer';
import { tempDir } from './support/synth-local-template';

const state = tempDir('local-s3-store-');
afterAll(() => state.remove());

const attrs = { storageClass: 'STANDARD', headers: {}, metadata: {}, checksums: {} };
const tags = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]);

describe('GIVEN a versioned bucket store', () => {
  const dir = `${state.dir}/versioned`;
  const store = new BucketStore(dir, true);

  test('WHEN a key is written twice and deleted THEN it has two versions under a delete marker, and a permanent delete of the marker brings the last version back', () => {
    const v1 = store.put('k', Buffer.from('one'), attrs);
    const v2 = store.put('k', Buffer.from('two'), attrs);
    expect(v1.versionId).not.toBe(v2.versionId);
    expect(v1.versionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const marker = store.delete('k');
    expect(marker).toMatchObject({ kind: 'marker', deleteMarker: true });
    expect(store.current('k')).toBeUndefined();
    expect(store.versions('k').map((v) => v.deleteMarker)).toEqual([true, false, false]);
    expect(store.delete('k', marker.versionId)).toMatchObject({ kind: 'permanent', deleteMarker: true });
    expect(store.read('k', store.current('k')!).toString()).toBe('two');
    expect(store.delete('k', 'no-such-version')).toEqual({ kind: 'none', versionId: 'no-such-version', deleteMarker: false });
  });

  test('WHEN the store is opened again from its directory THEN every version is still there', () => {
    const reopened = new BucketStore(dir, true);
    expect(reopened.versions('k').map((v) => v.etag)).toEqual(store.versions('k').map((v) => v.etag));
    expect(reopened.read('k', reopened.current('k')!).toString()).toBe('two');
  });
});

describe('GIVEN an unversioned bucket store', () => {
  test('WHEN a key is overwritten and deleted THEN there is only ever the "null" version, and the delete removes it', () => {
    const store = new BucketStore(`${state.dir}/plain`, false);
    store.put('k', Buffer.from('a'), attrs);
    store.put('k', Buffer.from('b'), attrs);
    expect(store.versions('k').map((v) => v.versionId)).toEqual(['null']);
    expect(store.delete('k')).toEqual({ kind: 'permanent', versionId: 'null', deleteMarker: false });
    expect(store.keys()).toEqual([]);
  });
});

describe('GIVEN keys under two identities and a nested folder', () => {
  const store = new BucketStore(`${state.dir}/lists`, true);
  for (const key of ['a:1/x.csv', 'a:1/y.csv', 'a:1/z/deep.csv', 'a:1/zz.csv', 'b:2/x.csv']) store.put(key, Buffer.from(key), attrs);
  store.delete('a:1/y.csv');

  test('WHEN listing a prefix with a delimiter THEN keys and common prefixes come in order, deleted keys are left out', () => {
    const xml = listObjectsV2Xml('bucket', store, { prefix: 'a:1/', delimiter: '/', maxKeys: 1000, urlEncode: false });
    expect(tags(xml, 'Key')).toEqual(['a:1/x.csv', 'a:1/zz.csv']);
    expect(tags(xml, 'Prefix').slice(1)).toEqual(['a:1/z/']);
    expect(tags(xml, 'KeyCount')).toEqual(['3']);
  });

  test('WHEN paging two at a time THEN the continuation tokens walk every entry exactly once', () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 5; page++) {
      const xml = listObjectsV2Xml('bucket', store, { prefix: '', maxKeys: 2, urlEncode: false, after });
      seen.push(...tags(xml, 'Key'));
      const next = tags(xml, 'NextContinuationToken')[0];
      if (!next) break;
      after = decodeContinuationToken(next);
    }
    expect(seen).toEqual(['a:1/x.csv', 'a:1/z/deep.csv', 'a:1/zz.csv', 'b:2/x.csv']);
  });

  test('WHEN listing versions THEN delete markers and versions appear, newest first per key', () => {
    const xml = listObjectVersionsXml('bucket', store, { prefix: 'a:1/y', maxKeys: 1000, urlEncode: false });
    expect(xml).toMatch(
      /<DeleteMarker><Key>a:1\/y.csv<\/Key><VersionId>[^<]+<\/VersionId><IsLatest>true<\/IsLatest>.*<Version><Key>a:1\/y.csv<\/Key><VersionId>[^<]+<\/VersionId><IsLatest>false<\/IsLatest>/,
    );
  });
});

describe('GIVEN event details', () => {
  test('WHEN many sequencers are drawn in the same millisecond or after the clock steps back THEN each is greater than the last, in fixed-width hex', () => {
    let now = 1_700_000_000_000;
    const sequencer = new Sequencer(() => now);
    const drawn = [sequencer.next(), sequencer.next()];
    now -= 5000;
    drawn.push(sequencer.next());
    now += 10_000;
    drawn.push(sequencer.next());
    expect([...drawn].sort()).toEqual(drawn);
    expect(new Set(drawn).size).toBe(drawn.length);
    for (const s of drawn) expect(s).toMatch(/^[0-9A-F]{18}$/);
  });

  test('WHEN a key is URL-encoded for an event THEN it is encoded per segment as S3 notifications do', () => {
    expect(eventKey('eu-west-1:abc/my file (1).csv')).toBe('eu-west-1%3Aabc/my+file+(1).csv');
  });
});
