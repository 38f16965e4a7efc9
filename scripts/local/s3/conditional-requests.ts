/**
 * S3's conditional requests: If-Match / If-None-Match / If-Modified-Since /
 * If-Unmodified-Since on reads (412 or 304), and If-Match / If-None-Match: *
 * on writes (conditional writes), so a client relying on them is never
 * silently served as if it had not asked.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ObjectVersion } from './object-store';
import { S3Error } from './s3-xml';

const preconditionFailed = (condition: string) =>
  new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: condition });

function etagMatches(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || t === etag || `"${t}"` === etag);
}

/** For GET/HEAD: throws 412, or returns true when the answer is 304 Not Modified. */
export function notModified(headers: IncomingHttpHeaders, version: ObjectVersion): boolean {
  const lastModified = Math.floor(Date.parse(version.lastModified) / 1000) * 1000;
  const ifMatch = headers['if-match'];
  const ifNoneMatch = headers['if-none-match'];
  const ifUnmodifiedSince = headers['if-unmodified-since'];
  const ifModifiedSince = headers['if-modified-since'];
  if (typeof ifMatch === 'string' && !etagMatches(ifMatch, version.etag)) throw preconditionFailed('If-Match');
  if (ifMatch === undefined && typeof ifUnmodifiedSince === 'string' && lastModified > Date.parse(ifUnmodifiedSince))
    throw preconditionFailed('If-Unmodified-Since');
  if (typeof ifNoneMatch === 'string') return etagMatches(ifNoneMatch, version.etag);
  if (typeof ifModifiedSince === 'string') return !(lastModified > Date.parse(ifModifiedSince));
  return false;
}

/** For PutObject / POST: If-None-Match: * (create only) and If-Match: <etag> (replace only that version). */
export function checkWriteConditions(headers: IncomingHttpHeaders, current: ObjectVersion | undefined): void {
  const ifNoneMatch = headers['if-none-match'];
  const ifMatch = headers['if-match'];
  if (typeof ifNoneMatch === 'string') {
    if (ifNoneMatch.trim() !== '*') throw new S3Error(501, 'NotImplemented', 'If-None-Match on a write accepts only *');
    if (current) throw preconditionFailed('If-None-Match');
  }
  if (typeof ifMatch === 'string') {
    if (!current) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    if (!etagMatches(ifMatch, current.etag)) throw preconditionFailed('If-Match');
  }
}
