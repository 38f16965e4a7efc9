/**
 * Response shaping for the REST API handlers.
 *
 * Status codes and error codes (body: `{"error":{"code":"…","message":"…"}}`):
 * - 400 `invalid_request`        malformed or out-of-range input (body, query, path, name rules)
 * - 401 `unauthorized`           missing/odd claims or ID token, or Cognito Identity refused the token
 * - 403 `forbidden`              a valid token that lacks what the route needs (an access token with its scope)
 * - 404 `not_found`              the named file does not exist under the caller's prefix
 * - 413 `payload_too_large`      declared upload `size` above MAX_UPLOAD_BYTES
 * - 415 `unsupported_media_type` declared upload `contentType` not in ALLOWED_CONTENT_TYPES
 * - 500 `internal_error`         anything else; the message is always "Internal error"
 * - 503 `unavailable`            Cognito Identity or DynamoDB still throttled or failing after
 *                                bounded retries; sent with `Retry-After`, the request may be retried
 *
 * Every 4xx is decided before any AWS call, except 404 (HeadObject), 401 after a
 * refused GetId, and 400 for a continuation token S3 rejects (it is opaque to us).
 */
import type { APIGatewayProxyResult } from 'aws-lambda';

export type ErrorCode =
  'invalid_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'payload_too_large' | 'unsupported_media_type' | 'internal_error' | 'unavailable';

const STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal_error: 500,
  unavailable: 503,
};

/** Seconds a client should wait before retrying a 503 (our SDK retries have already spent about this long). */
export const RETRY_AFTER_SECONDS = 2;

/**
 * An error whose code, message and headers are safe to show the caller. `cause`
 * (the underlying fault) is only ever logged.
 */
export class HttpError extends Error {
  public readonly status: number;
  public readonly headers?: Readonly<Record<string, string>>;
  constructor(
    public readonly code: ErrorCode,
    message: string,
    options: { readonly headers?: Readonly<Record<string, string>>; readonly cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HttpError';
    this.status = STATUS[code];
    this.headers = options.headers;
  }
}

export const badRequest = (message: string) => new HttpError('invalid_request', message);
export const unauthorized = (message = 'Missing or invalid ID token') => new HttpError('unauthorized', message);
export const forbidden = (message: string) => new HttpError('forbidden', message);
export const notFound = (message = 'File not found') => new HttpError('not_found', message);
export const INTERNAL_ERROR = new HttpError('internal_error', 'Internal error');
/** A dependency is throttled or failing; `cause` is logged, never shown. Browsers may read Retry-After only if exposed. */
export const unavailable = (cause: unknown) =>
  new HttpError('unavailable', 'The service is busy; retry shortly', {
    cause,
    headers: { 'Retry-After': String(RETRY_AFTER_SECONDS), 'Access-Control-Expose-Headers': 'Retry-After' },
  });

/** What a route returns: a status, an optional JSON body (absent for 204) and optional extra headers. */
export interface RouteResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export const ok = (body: unknown): RouteResult => ({ status: 200, body });
export const noContent = (): RouteResult => ({ status: 204 });

/** Headers sent on every response. Presigned URLs must not be cached by intermediaries. */
const BASE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  Vary: 'Origin',
} as const;

/**
 * CORS: echo the request's `Origin` only when it is exactly one of the allowed
 * origins (no wildcards, no prefix matching). `Vary: Origin` is always sent so a
 * cache never serves one origin's answer to another.
 */
export function corsHeaders(origin: string | undefined, allowedOrigins: ReadonlySet<string>): Record<string, string> {
  return origin !== undefined && allowedOrigins.has(origin) ? { 'Access-Control-Allow-Origin': origin } : {};
}

export function toResponse(result: RouteResult, cors: Record<string, string>): APIGatewayProxyResult {
  if (result.body === undefined) {
    return { statusCode: result.status, headers: { ...result.headers, ...BASE_HEADERS, ...cors }, body: '' };
  }
  return {
    statusCode: result.status,
    headers: { ...result.headers, ...BASE_HEADERS, 'Content-Type': 'application/json', ...cors },
    body: JSON.stringify(result.body),
  };
}

export function errorResult(error: HttpError): RouteResult {
  return {
    status: error.status,
    body: { error: { code: error.code, message: error.message } },
    ...(error.headers === undefined ? {} : { headers: error.headers }),
  };
}

/** Case-insensitive header lookup (REST API events keep the client's casing). */
export function header(headers: Record<string, string | undefined> | null | undefined, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && typeof value === 'string') return value;
  }
  return undefined;
}
