/**
 * Verifies an AWS Signature Version 4 request (Authorization header, or a
 * presigned URL's X-Amz-* query) against the local credential store, by
 * recomputing the signature with @smithy/signature-v4 over exactly the
 * headers the client says it signed, and comparing in constant time.
 * Expired credentials or URLs, a wrong session token, a wrong scope and clock
 * skew over 15 minutes are refused as AWS refuses them.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { escapeUri } from '@smithy/core/protocols';
import { ALGORITHM_IDENTIFIER, SignatureV4, getSigningKey } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import type { CredentialPrincipal, CredentialStore, LocalCredentials } from '../contracts';
import { NodeSha256, sha256Hex } from './node-sha256';

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;

/** Why a request's signature was refused; `code` is the AWS error code, `status` the HTTP status. */
export class SigV4Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 403,
  ) {
    super(message);
    this.name = 'SigV4Error';
  }
}

export interface SignedRequest {
  readonly method: string;
  /** The request target exactly as received (path and query, still URL-encoded). */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The body, for services whose clients sign its hash without sending x-amz-content-sha256. */
  readonly body?: Uint8Array;
}

export interface VerifyOptions {
  /** The signing name of the service (`s3`, `dynamodb`, …). */
  readonly service: string;
  readonly region: string;
  /** Clock, for tests. @default Date.now */
  readonly now?: () => number;
}

export interface VerifiedRequest {
  readonly principal: CredentialPrincipal;
  readonly credentials: LocalCredentials;
  /** The payload hash that was signed: a hex SHA-256, UNSIGNED-PAYLOAD or a STREAMING-… marker. */
  readonly payloadHash: string;
  readonly presigned: boolean;
  readonly signedHeaders: readonly string[];
}

/** Does the request carry any SigV4 authentication (header or presigned query)? */
export function isSigned(request: Pick<SignedRequest, 'url' | 'headers'>): boolean {
  return typeof request.headers.authorization === 'string' || /[?&]X-Amz-Signature=/i.test(request.url);
}

/** Splits a raw query string into decoded keys and values (a `+` stays a `+`, as SigV4 reads it). */
export function parseQuery(rawQuery: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const [rawKey, rawValue] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey);
      value = decodeURIComponent(rawValue);
    } catch {
      throw new SigV4Error('InvalidArgument', `The query parameter ${rawKey} is not valid URL encoding`, 400);
    }
    const existing = query[key];
    query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return query;
}

/** Exposes the canonical-request steps of @smithy/signature-v4 for an already-signed request. */
class SignatureRecomputer extends SignatureV4 {
  constructor(service: string, region: string, uriEscapePath: boolean) {
    super({ service, region, credentials: { accessKeyId: '', secretAccessKey: '' }, sha256: NodeSha256, uriEscapePath });
  }

  async signatureFor(
    request: HttpRequest,
    canonicalHeaders: Record<string, string>,
    payloadHash: string,
    longDate: string,
    scope: string,
    credentials: LocalCredentials,
  ): Promise<string> {
    const canonicalRequest = this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    const stringToSign = await this.createStringToSign(longDate, scope, canonicalRequest, ALGORITHM_IDENTIFIER);
    const [shortDate, region, service] = scope.split('/');
    const key = await getSigningKey(NodeSha256, credentials, shortDate, region, service);
    const hmac = new NodeSha256(key);
    hmac.update(stringToSign);
    return Buffer.from(await hmac.digest()).toString('hex');
  }
}

interface Parsed {
  readonly accessKeyId: string;
  readonly scope: string;
  readonly signedHeaders: string[];
  readonly signature: string;
  readonly longDate: string;
  readonly sessionToken?: string;
  readonly expiresSeconds?: number;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function parseAuthorizationHeader(value: string, headers: IncomingHttpHeaders): Parsed {
  const match = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(value.trim());
  if (!match) throw new SigV4Error('InvalidArgument', 'Only AWS4-HMAC-SHA256 authorization is supported', 400);
  const fields = Object.fromEntries(
    match[1].split(',').map((part) => {
      const eq = part.indexOf('=');
      return [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
    }),
  );
  if (!fields.Credential || !fields.SignedHeaders || !fields.Signature) {
    throw new SigV4Error('AuthorizationHeaderMalformed', 'The authorization header needs Credential, SignedHeaders and Signature', 400);
  }
  const longDate = header(headers, 'x-amz-date');
  if (!longDate) throw new SigV4Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  const slash = fields.Credential.indexOf('/');
  return {
    accessKeyId: fields.Credential.slice(0, slash),
    scope: fields.Credential.slice(slash + 1),
    signedHeaders: fields.SignedHeaders.split(';'),
    signature: fields.Signature,
    longDate,
    sessionToken: header(headers, 'x-amz-security-token'),
  };
}

function parsePresignedQuery(query: Record<string, string | string[]>): Parsed {
  const one = (name: string): string | undefined => {
    const value = query[name];
    if (Array.isArray(value)) throw new SigV4Error('AuthorizationQueryParametersError', `${name} appears more than once`, 400);
    return value;
  };
  const algorithm = one('X-Amz-Algorithm');
  const credential = one('X-Amz-Credential');
  const signedHeaders = one('X-Amz-SignedHeaders');
  const signature = one('X-Amz-Signature');
  const longDate = one('X-Amz-Date');
  const expires = one('X-Amz-Expires');
  if (algorithm !== ALGORITHM_IDENTIFIER || !credential || !signedHeaders || !signature || !longDate || !expires) {
    throw new SigV4Error(
      'AuthorizationQueryParametersError',
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
      400,
    );
  }
  const expiresSeconds = Number(expires);
  if (!Number.isInteger(expiresSeconds) || expiresSeconds < 1 || expiresSeconds > MAX_PRESIGNED_SECONDS) {
    throw new SigV4Error('AuthorizationQueryParametersError', 'X-Amz-Expires must be between 1 and 604800 seconds', 400);
  }
  const slash = credential.indexOf('/');
  return {
    accessKeyId: credential.slice(0, slash),
    scope: credential.slice(slash + 1),
    signedHeaders: signedHeaders.split(';'),
    signature,
    longDate,
    sessionToken: one('X-Amz-Security-Token'),
    expiresSeconds,
  };
}

function parseLongDate(longDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(longDate);
  if (!m) throw new SigV4Error('AccessDenied', `X-Amz-Date ${longDate} is not in the ISO 8601 basic format`);
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

function sameSecret(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The path as SigV4 canonicalizes it for S3: each segment decoded, then
 * encoded strictly (RFC 3986 unreserved characters only), never normalized.
 */
function s3CanonicalPath(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => {
      try {
        return escapeUri(decodeURIComponent(segment));
      } catch {
        throw new SigV4Error('InvalidURI', 'Could not parse the specified URI', 400);
      }
    })
    .join('/');
}

/** Verifies the request's signature and returns who signed it; throws SigV4Error otherwise. */
export async function verifySigV4(request: SignedRequest, store: CredentialStore, options: VerifyOptions): Promise<VerifiedRequest> {
  const now = (options.now ?? Date.now)();
  const q = request.url.indexOf('?');
  const rawPath = q < 0 ? request.url : request.url.slice(0, q);
  const query = parseQuery(q < 0 ? '' : request.url.slice(q + 1));
  const authorization = header(request.headers, 'authorization');
  const presigned = authorization === undefined && 'X-Amz-Signature' in query;
  if (authorization === undefined && !presigned) throw new SigV4Error('AccessDenied', 'Anonymous requests are not accepted: the request is not signed');
  const parsed = presigned ? parsePresignedQuery(query) : parseAuthorizationHeader(authorization!, request.headers);

  const [shortDate, scopeRegion, scopeService, terminator, ...rest] = parsed.scope.split('/');
  if (terminator !== 'aws4_request' || rest.length > 0 || shortDate !== parsed.longDate.slice(0, 8)) {
    throw new SigV4Error('AuthorizationHeaderMalformed', `The credential scope ${parsed.scope} does not match the request date ${parsed.longDate}`, 400);
  }
  if (scopeRegion !== options.region) {
    throw new SigV4Error('AuthorizationHeaderMalformed', `the region '${scopeRegion}' is wrong; expecting '${options.region}'`, 400);
  }
  if (scopeService !== options.service) {
    throw new SigV4Error('AuthorizationHeaderMalformed', `the service '${scopeService}' is wrong; expecting '${options.service}'`, 400);
  }

  const found = store.lookup(parsed.accessKeyId);
  if (!found) throw new SigV4Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  if (!sameSecret(parsed.sessionToken, found.credentials.sessionToken)) {
    throw new SigV4Error('InvalidToken', 'The provided token is malformed or otherwise invalid.');
  }
  const signedAt = parseLongDate(parsed.longDate);
  if (presigned) {
    if (now > signedAt + parsed.expiresSeconds! * 1000) throw new SigV4Error('AccessDenied', 'Request has expired');
    if (signedAt - now > MAX_SKEW_MS) throw new SigV4Error('AccessDenied', 'Request is not valid yet');
  } else if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
    throw new SigV4Error('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
  }
  if (now >= found.credentials.expiration.getTime()) throw new SigV4Error('ExpiredToken', 'The provided token has expired.');

  const canonicalHeaders: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const value = header(request.headers, name);
    if (value === undefined) throw new SigV4Error('SignatureDoesNotMatch', `The signed header ${name} is missing from the request`);
    canonicalHeaders[name] = value
      .replace(/[\r\n]/g, ' ')
      .replace(/[ \t]+/g, ' ')
      .trim();
  }
  if (!('host' in canonicalHeaders)) throw new SigV4Error('SignatureDoesNotMatch', 'The host header must be signed');

  const isS3 = options.service === 's3';
  const contentHash = header(request.headers, 'x-amz-content-sha256');
  let payloadHash: string;
  if (presigned) payloadHash = isS3 ? UNSIGNED_PAYLOAD : sha256Hex(request.body ?? '');
  else if (contentHash !== undefined) payloadHash = contentHash;
  else if (isS3) throw new SigV4Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', 400);
  else payloadHash = sha256Hex(request.body ?? '');

  const recomputer = new SignatureRecomputer(options.service, options.region, !isS3);
  const httpRequest = {
    method: request.method.toUpperCase(),
    protocol: 'http:',
    hostname: '',
    path: isS3 ? s3CanonicalPath(rawPath) : rawPath,
    query,
    headers: {},
  } as unknown as HttpRequest;
  const expected = await recomputer.signatureFor(httpRequest, canonicalHeaders, payloadHash, parsed.longDate, parsed.scope, found.credentials);
  if (!sameSecret(parsed.signature.toLowerCase(), expected)) {
    throw new SigV4Error(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
  }
  return { principal: found.principal, credentials: found.credentials, payloadHash, presigned, signedHeaders: parsed.signedHeaders };
}
