/** Reading an S3 request: bucket and key from a path-style URL, the body, and the signed payload's integrity. */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { crc32 } from 'node:zlib';
import { UNSIGNED_PAYLOAD } from '../iam/sigv4-verify';
import { S3Error, S3Errors } from './s3-xml';

export interface S3Target {
  readonly bucket?: string;
  /** Decoded key; '' for a bucket-level request. */
  readonly key: string;
}

export function targetOf(rawPath: string): S3Target {
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  const slash = path.indexOf('/');
  const rawBucket = slash < 0 ? path : path.slice(0, slash);
  const rawKey = slash < 0 ? '' : path.slice(slash + 1);
  try {
    return { bucket: rawBucket === '' ? undefined : decodeURIComponent(rawBucket), key: decodeURIComponent(rawKey) };
  } catch {
    throw new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.");
  }
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new S3Error(400, 'EntityTooLarge', `Your proposed upload exceeds the local S3's limit of ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The object bytes of a signed request, after checking them against the
 * signed payload hash, Content-MD5 and x-amz-checksum-crc32 / -sha256 / -sha1
 * when given. `aws-chunked` bodies with an unsigned trailer are decoded;
 * signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) are refused, since their
 * chunk signatures are not verified here.
 */
export function verifiedPayload(body: Buffer, payloadHash: string, headers: IncomingMessage['headers']): Buffer {
  let data = body;
  if (payloadHash === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER') data = decodeAwsChunked(body);
  else if (payloadHash.startsWith('STREAMING-')) throw S3Errors.notImplemented(`payload signing mode ${payloadHash}`);
  else if (payloadHash !== UNSIGNED_PAYLOAD) {
    if (!/^[0-9a-f]{64}$/.test(payloadHash))
      throw new S3Error(400, 'InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-… or a SHA-256 hex digest');
    if (createHash('sha256').update(data).digest('hex') !== payloadHash) {
      throw new S3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
  }
  const md5 = headers['content-md5'];
  if (typeof md5 === 'string' && createHash('md5').update(data).digest('base64') !== md5) {
    throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
  }
  const checks: Record<string, () => string> = {
    'x-amz-checksum-crc32': () => {
      const value = Buffer.alloc(4);
      value.writeUInt32BE(crc32(data) >>> 0);
      return value.toString('base64');
    },
    'x-amz-checksum-sha256': () => createHash('sha256').update(data).digest('base64'),
    'x-amz-checksum-sha1': () => createHash('sha1').update(data).digest('base64'),
  };
  for (const [name, compute] of Object.entries(checks)) {
    const given = headers[name];
    if (typeof given === 'string' && compute() !== given) {
      throw new S3Error(400, 'BadDigest', `The ${name.slice('x-amz-checksum-'.length).toUpperCase()} you specified did not match the calculated checksum.`);
    }
  }
  return data;
}

/** aws-chunked: `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` … `0\r\n<trailers>\r\n\r\n`. */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) throw new S3Error(400, 'IncompleteBody', 'The aws-chunked body ended early');
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1').split(';')[0], 16);
    if (!Number.isInteger(size) || size < 0) throw new S3Error(400, 'InvalidChunkSizeError', 'Bad aws-chunked chunk size');
    at = lineEnd + 2;
    if (size === 0) return Buffer.concat(parts);
    parts.push(body.subarray(at, at + size));
    at += size + 2;
  }
}
