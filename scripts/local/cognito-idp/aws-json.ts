/**
 * The AWS JSON 1.1 protocol both Cognito services speak: POST with
 * `X-Amz-Target: <Service>.<Operation>`, errors as 400 `{ __type, message }`
 * (what the AWS SDK v3 and Amplify parse), and CORS for the web app.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { UntypedJson } from '../../common/untyped-json';

/** A service error the caller sees as `{ __type, message }`. */
export class AwsJsonError extends Error {
  constructor(
    public readonly type: string,
    message: string,
    public readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export type JsonBody = Record<string, UntypedJson>;

export interface JsonRequest {
  readonly operation: string;
  readonly body: JsonBody;
  /** The raw bytes, for SigV4 payload hashes. */
  readonly raw: Buffer;
  readonly req: IncomingMessage;
}

/** Loopback origins: what the local web app is served from. */
const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/;

export function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new AwsJsonError('InvalidParameterException', 'Request body too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function corsHeaders(req: IncomingMessage, allowedOrigins?: readonly string[]): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin) return {};
  const allowed = allowedOrigins ? allowedOrigins.includes(origin) : LOOPBACK_ORIGIN.test(origin);
  if (!allowed) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
    'Access-Control-Allow-Headers':
      req.headers['access-control-request-headers'] ??
      'content-type, x-amz-target, x-amz-user-agent, x-amz-date, x-amz-security-token, authorization, amz-sdk-invocation-id, amz-sdk-request, cache-control',
    'Access-Control-Expose-Headers': 'x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    ...extra,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: AwsJsonError, extra: Record<string, string> = {}): void {
  sendJson(res, error.status, { __type: error.type, message: error.message }, { 'x-amzn-ErrorType': `${error.type}:`, ...extra });
}

/**
 * Serves one JSON 1.1 request: CORS preflight, target parsing, then `dispatch`.
 * An unexpected fault becomes a 500 InternalErrorException naming no internals.
 */
export async function serveAwsJson(
  req: IncomingMessage,
  res: ServerResponse,
  options: {
    servicePrefix: string;
    allowedOrigins?: readonly string[];
    dispatch: (request: JsonRequest) => Promise<unknown>;
    onFault?: (error: unknown) => void;
  },
): Promise<void> {
  const cors = corsHeaders(req, options.allowedOrigins);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, cors);
    res.end();
    return;
  }
  try {
    if (req.method !== 'POST') throw new AwsJsonError('UnknownOperationException', `${req.method} is not supported; use POST.`, 404);
    const target = String(req.headers['x-amz-target'] ?? '');
    const prefix = `${options.servicePrefix}.`;
    if (!target.startsWith(prefix)) throw new AwsJsonError('UnknownOperationException', `Unknown X-Amz-Target ${JSON.stringify(target)}.`);
    const raw = await readBody(req);
    let body: JsonBody;
    try {
      body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
    } catch {
      throw new AwsJsonError('SerializationException', 'The request body is not valid JSON.');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw new AwsJsonError('SerializationException', 'The request body must be a JSON object.');
    const result = await options.dispatch({ operation: target.slice(prefix.length), body, raw, req });
    sendJson(res, 200, result ?? {}, cors);
  } catch (error) {
    if (error instanceof AwsJsonError) {
      sendError(res, error, cors);
      return;
    }
    options.onFault?.(error);
    sendError(res, new AwsJsonError('InternalErrorException', 'Internal error in the local emulator.', 500), cors);
  }
}

/** A required string field, or InvalidParameterException naming it (as Cognito's validation does). */
export function requireString(body: JsonBody, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new AwsJsonError(
      'InvalidParameterException',
      `1 validation error detected: Value at '${field.charAt(0).toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}
