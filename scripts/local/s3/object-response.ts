/**
 * The answer to GetObject / HeadObject: the stored headers and metadata, the
 * presigned URL's response-* overrides, and a single byte range when asked.
 */
import type { LocalBucket } from './bucket-config';
import type { BucketStore, ObjectVersion } from './object-store';
import { S3Error, S3Errors } from './s3-xml';

export interface ObjectResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
  'response-content-language': 'content-language',
  'response-cache-control': 'cache-control',
  'response-expires': 'expires',
};

export function objectResponse(
  bucket: LocalBucket,
  store: BucketStore,
  key: string,
  version: ObjectVersion,
  method: string,
  range: string | undefined,
  query: Record<string, string | string[]>,
): ObjectResponse {
  const headers: Record<string, string> = {
    'content-type': version.contentType ?? 'binary/octet-stream',
    etag: version.etag,
    'last-modified': new Date(version.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
    ...version.headers,
    ...Object.fromEntries(Object.entries(version.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v])),
    ...(version.serverSideEncryption ? { 'x-amz-server-side-encryption': version.serverSideEncryption } : {}),
    ...(version.storageClass !== 'STANDARD' ? { 'x-amz-storage-class': version.storageClass } : {}),
    ...(bucket.versioned ? { 'x-amz-version-id': version.versionId } : {}),
  };
  for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = query[param];
    if (typeof value === 'string') headers[header] = value;
  }
  if (typeof range === 'string' && version.size > 0) {
    const [start, end] = parseRange(range, version.size);
    const data = method === 'HEAD' ? Buffer.alloc(0) : store.read(key, version).subarray(start, end + 1);
    return {
      status: 206,
      headers: { ...headers, 'content-range': `bytes ${start}-${end}/${version.size}`, 'content-length': String(end - start + 1) },
      body: data,
    };
  }
  if (method === 'HEAD') return { status: 200, headers: { ...headers, 'content-length': String(version.size) } };
  return { status: 200, headers, body: store.read(key, version) };
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n`, clamped to the object; unsatisfiable ranges fail as S3 fails them. */
function parseRange(range: string, size: number): [number, number] {
  const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!match || (match[1] === '' && match[2] === '')) throw S3Errors.notImplemented(`the Range form ${range} (one range only)`);
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end)
    throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', { RangeRequested: range, ActualObjectSize: String(size) });
  return [start, end];
}
