/** ListObjectsV2 and ListObjectVersions over a BucketStore, as S3 pages and groups them. */
import { compareKeys, type BucketStore, type ObjectVersion } from './object-store';
import { tag, xmlDocument } from './s3-xml';

export interface ListParams {
  readonly prefix: string;
  readonly delimiter?: string;
  readonly maxKeys: number;
  /** Keys strictly after this one (decoded continuation token or start-after). */
  readonly after?: string;
  readonly urlEncode: boolean;
}

type Entry = { kind: 'key'; key: string } | { kind: 'prefix'; prefix: string };

/** Keys (with a current or any version) grouped by delimiter, in order, paged by maxKeys. */
function page(keys: readonly string[], params: ListParams): { entries: Entry[]; truncated: boolean; last?: string } {
  const entries: Entry[] = [];
  const seenPrefixes = new Set<string>();
  for (const key of keys) {
    if (!key.startsWith(params.prefix)) continue;
    if (params.after !== undefined && compareKeys(key, params.after) <= 0) continue;
    let entry: Entry = { kind: 'key', key };
    if (params.delimiter) {
      const at = key.indexOf(params.delimiter, params.prefix.length);
      if (at >= 0) {
        const prefix = key.slice(0, at + params.delimiter.length);
        if (seenPrefixes.has(prefix)) continue;
        // A common prefix already passed (by the continuation marker) is not listed again.
        if (params.after !== undefined && compareKeys(prefix, params.after) <= 0) continue;
        seenPrefixes.add(prefix);
        entry = { kind: 'prefix', prefix };
      }
    }
    if (entries.length === params.maxKeys) return { entries, truncated: true, last: lastOf(entries) };
    entries.push(entry);
  }
  return { entries, truncated: false, last: lastOf(entries) };
}

function lastOf(entries: Entry[]): string | undefined {
  const last = entries[entries.length - 1];
  if (!last) return undefined;
  // After a common prefix, continue past every key under it.
  return last.kind === 'key' ? last.key : `${last.prefix}\u{10FFFF}`;
}

const encode = (value: string, on: boolean) => (on ? encodeURIComponent(value).replace(/%2F/g, '/') : value);

export function listObjectsV2Xml(bucket: string, store: BucketStore, params: ListParams & { continuationToken?: string; startAfter?: string }): string {
  const withCurrent = store.keys().filter((key) => store.current(key) !== undefined);
  const { entries, truncated, last } = page(withCurrent, params);
  const contents = entries
    .filter((e): e is { kind: 'key'; key: string } => e.kind === 'key')
    .map((e) => {
      const v = store.current(e.key)!;
      return `<Contents>${tag('Key', encode(e.key, params.urlEncode))}${tag('LastModified', v.lastModified)}${tag('ETag', v.etag)}${tag('Size', v.size)}${tag('StorageClass', v.storageClass)}</Contents>`;
    })
    .join('');
  const prefixes = entries
    .filter((e): e is { kind: 'prefix'; prefix: string } => e.kind === 'prefix')
    .map((e) => `<CommonPrefixes>${tag('Prefix', encode(e.prefix, params.urlEncode))}</CommonPrefixes>`)
    .join('');
  const body =
    tag('Name', bucket) +
    tag('Prefix', encode(params.prefix, params.urlEncode)) +
    tag('Delimiter', params.delimiter && encode(params.delimiter, params.urlEncode)) +
    tag('MaxKeys', params.maxKeys) +
    tag('KeyCount', entries.length) +
    tag('IsTruncated', truncated) +
    tag('ContinuationToken', params.continuationToken) +
    tag('StartAfter', params.startAfter && encode(params.startAfter, params.urlEncode)) +
    (truncated && last !== undefined ? tag('NextContinuationToken', Buffer.from(last).toString('base64url')) : '') +
    tag('EncodingType', params.urlEncode ? 'url' : undefined) +
    contents +
    prefixes;
  return xmlDocument('ListBucketResult', body);
}

/** The key after which a continuation token says to continue. */
export function decodeContinuationToken(token: string): string {
  return Buffer.from(token, 'base64url').toString('utf8');
}

export function listObjectVersionsXml(bucket: string, store: BucketStore, params: ListParams & { keyMarker?: string; versionIdMarker?: string }): string {
  // Pages by whole keys (every version of a key on one page): simpler than S3, which may split a key's versions.
  const { entries, truncated, last } = page(store.keys(), { ...params, after: params.keyMarker || undefined });
  const versionXml = (key: string, v: ObjectVersion, latest: boolean) =>
    v.deleteMarker
      ? `<DeleteMarker>${tag('Key', encode(key, params.urlEncode))}${tag('VersionId', v.versionId)}${tag('IsLatest', latest)}${tag('LastModified', v.lastModified)}</DeleteMarker>`
      : `<Version>${tag('Key', encode(key, params.urlEncode))}${tag('VersionId', v.versionId)}${tag('IsLatest', latest)}${tag('LastModified', v.lastModified)}${tag('ETag', v.etag)}${tag('Size', v.size)}${tag('StorageClass', v.storageClass)}</Version>`;
  const items = entries
    .map((e) =>
      e.kind === 'key'
        ? store
            .versions(e.key)
            .map((v, i) => versionXml(e.key, v, i === 0))
            .join('')
        : `<CommonPrefixes>${tag('Prefix', encode(e.prefix, params.urlEncode))}</CommonPrefixes>`,
    )
    .join('');
  const body =
    tag('Name', bucket) +
    tag('Prefix', encode(params.prefix, params.urlEncode)) +
    tag('KeyMarker', params.keyMarker ?? '') +
    tag('VersionIdMarker', params.versionIdMarker ?? '') +
    (truncated && last !== undefined ? tag('NextKeyMarker', last) : '') +
    tag('Delimiter', params.delimiter) +
    tag('MaxKeys', params.maxKeys) +
    tag('IsTruncated', truncated) +
    tag('EncodingType', params.urlEncode ? 'url' : undefined) +
    items;
  return xmlDocument('ListVersionsResult', body);
}
