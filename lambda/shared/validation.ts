/**
 * Input validation. Every check here runs before any AWS call and throws an
 * HttpError (4xx) whose message names the rule, never echoing the input.
 */
import { badRequest, HttpError } from './http';

export const MAX_NAME_CHARS = 255;
/** S3's limit on an object key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;
export const MAX_BODY_BYTES = 4096;
export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 1000;

/**
 * Characters a name may never contain: slashes, control characters (C0, DEL,
 * C1), Unicode format characters (bidi overrides such as U+202E, zero-width
 * characters, BOM), line/paragraph separators and lone surrogates.
 */
const FORBIDDEN_IN_NAME = /[/\\\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** Names that collide with a static route under /files. */
const RESERVED_NAMES = new Set(['upload-url']);

/**
 * Validates a file name against the file-name rule in docs/design.md and the S3 key limit, given
 * the (fixed) length of the caller's identity ID. Returns the name unchanged.
 */
export function validateFileName(name: unknown, identityIdLength: number): string {
  if (typeof name !== 'string') throw badRequest('name must be a string');
  if (name.length === 0) throw badRequest('name must not be empty');
  // Cheap bound before iterating code points: 255 code points are at most 510 UTF-16 units.
  if (name.length > MAX_NAME_CHARS * 2 || [...name].length > MAX_NAME_CHARS) {
    throw badRequest(`name must be at most ${MAX_NAME_CHARS} characters`);
  }
  if (FORBIDDEN_IN_NAME.test(name)) {
    throw badRequest('name must not contain "/", "\\", control, format or separator characters');
  }
  if (name === '.' || name === '..') throw badRequest('name must not be "." or ".."');
  // GET/DELETE /files/upload-url would reach the static upload route, never this file.
  if (RESERVED_NAMES.has(name)) throw badRequest(`name "${name}" is reserved by the API`);
  // S3 POST substitutes ${filename} in the key, which would unbind the presigned key.
  if (name.includes('${filename}')) throw badRequest('name must not contain "${filename}"');
  if (identityIdLength + 1 + Buffer.byteLength(name, 'utf8') > MAX_KEY_BYTES) {
    throw badRequest(`name is too long: the object key must be at most ${MAX_KEY_BYTES} UTF-8 bytes`);
  }
  return name;
}

/**
 * The `{name}` path parameter. API Gateway REST APIs pass path parameters as the
 * client sent them (still percent-encoded; only query strings are decoded), so we
 * decode exactly once and then validate the decoded name: `..%2F` becomes `../`
 * and is refused, and a malformed escape is a 400.
 */
export function fileNameFromPath(pathParameters: Record<string, string | undefined> | null | undefined, identityIdLength: number): string {
  const raw = pathParameters && typeof pathParameters === 'object' ? pathParameters.name : undefined;
  if (typeof raw !== 'string' || raw.length === 0) throw badRequest('name path parameter is required');
  // Fully percent-encoded, 255 four-byte characters take 255 * 12 characters.
  if (raw.length > MAX_NAME_CHARS * 12) throw badRequest(`name must be at most ${MAX_NAME_CHARS} characters`);
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw badRequest('name path parameter is not valid percent-encoded UTF-8');
  }
  return validateFileName(decoded, identityIdLength);
}

type Query = Record<string, string | undefined> | null | undefined;
type MultiQuery = Record<string, string[] | undefined> | null | undefined;

export interface ListQuery {
  readonly limit: number;
  /** The S3 continuation token, already unwrapped from our opaque form. */
  readonly continuationToken?: string;
}

/**
 * `?limit=1..1000&nextToken=…`. The nextToken we hand out is the S3
 * continuation token in base64url, so it survives URLs without escaping;
 * anything that does not round-trip to printable ASCII is refused here.
 */
export function parseListQuery(query: Query, multi: MultiQuery): ListQuery {
  const params = query && typeof query === 'object' ? query : {};
  for (const name of ['limit', 'nextToken']) {
    const values = multi && typeof multi === 'object' ? multi[name] : undefined;
    if (Array.isArray(values) && values.length > 1) throw badRequest(`${name} must be given at most once`);
  }
  let limit = DEFAULT_LIST_LIMIT;
  const rawLimit = params.limit;
  if (rawLimit !== undefined) {
    if (typeof rawLimit !== 'string' || !/^[1-9]\d{0,3}$/.test(rawLimit) || Number(rawLimit) > MAX_LIST_LIMIT) {
      throw badRequest(`limit must be an integer from 1 to ${MAX_LIST_LIMIT}`);
    }
    limit = Number(rawLimit);
  }
  const rawToken = params.nextToken;
  if (rawToken === undefined) return { limit };
  return { limit, continuationToken: decodeNextToken(rawToken) };
}

export function encodeNextToken(continuationToken: string): string {
  return Buffer.from(continuationToken, 'utf8').toString('base64url');
}

function decodeNextToken(token: unknown): string {
  const invalid = () => badRequest('nextToken is invalid');
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{1,2048}$/.test(token)) throw invalid();
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  if (!/^[\x21-\x7e]{1,1024}$/.test(decoded) || encodeNextToken(decoded) !== token) throw invalid();
  return decoded;
}

export interface UploadRequest {
  readonly name: string;
  /** The allowed media type as configured (lower case). */
  readonly contentType: string;
  readonly size: number;
}

export interface UploadLimits {
  readonly identityIdLength: number;
  readonly allowedContentTypes: readonly string[];
  readonly maxUploadBytes: number;
}

/** Parses the JSON body of an API Gateway event into a plain object. */
export function parseJsonObject(body: string | null | undefined, isBase64Encoded: boolean | undefined): Record<string, unknown> {
  if (typeof body !== 'string' || body.length === 0) throw badRequest('A JSON object body is required');
  if (body.length > MAX_BODY_BYTES * 2) throw badRequest(`Body must be at most ${MAX_BODY_BYTES} bytes`);
  const text = isBase64Encoded === true ? Buffer.from(body, 'base64').toString('utf8') : body;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) throw badRequest(`Body must be at most ${MAX_BODY_BYTES} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('Body must be valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw badRequest('Body must be a JSON object');
  return parsed as Record<string, unknown>;
}

const UPLOAD_KEYS = new Set(['name', 'contentType', 'size']);

export function parseUploadRequest(body: Record<string, unknown>, limits: UploadLimits): UploadRequest {
  for (const key of Object.keys(body)) {
    if (!UPLOAD_KEYS.has(key)) throw badRequest('Body may only contain name, contentType and size');
  }
  const name = validateFileName(body.name, limits.identityIdLength);
  const { contentType, size } = body;
  if (typeof contentType !== 'string' || contentType.length === 0 || contentType.length > 255) {
    throw badRequest('contentType must be a non-empty string');
  }
  const allowed = limits.allowedContentTypes.find((type) => type === contentType.toLowerCase());
  if (allowed === undefined) {
    throw new HttpError('unsupported_media_type', `contentType must be one of: ${limits.allowedContentTypes.join(', ')}`);
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1) {
    throw badRequest('size must be a positive integer number of bytes');
  }
  if (size > limits.maxUploadBytes) {
    throw new HttpError('payload_too_large', `size must be at most ${limits.maxUploadBytes} bytes`);
  }
  return { name, contentType: allowed, size };
}
