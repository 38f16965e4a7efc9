/**
 * Structured logs. Lambda's JSON log format wraps each console call in
 * `{timestamp, level, requestId, message}`; we also put `requestId` and `route`
 * in our own object so the line stands on its own after export.
 *
 * Never pass tokens, Authorization headers or presigned URLs/fields here; as a
 * second line of defence, anything shaped like a JWT or a SigV4 signature,
 * credential or session token is redacted from every string we log.
 */
import { createHash } from 'node:crypto';

export type LogFields = Record<string, unknown>;

/** How logs name files and object keys (LOG_FILE_NAMES): as they are, or by hash. */
export type LogFileNames = 'plain' | 'hash';

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const JWT = /eyJ[\w-]*\.[\w-]*\.[\w-]*/g;
const SIGV4_PARAM = /(X-Amz-(?:Signature|Credential|Security-Token)=)[^&\s"]+/gi;
const MAX_STRING = 1000;

export function redact(value: string): string {
  const redacted = value.replace(JWT, '[redacted-jwt]').replace(SIGV4_PARAM, '$1[redacted]');
  return redacted.length > MAX_STRING ? `${redacted.slice(0, MAX_STRING)}…` : redacted;
}

function clean(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = typeof value === 'string' ? redact(value) : value;
  }
  return out;
}

export function createLogger(requestId: string, route: string): Logger {
  const entry = (message: string, fields: LogFields = {}) => ({ message, requestId, route, ...clean(fields) });
  return {
    info: (message, fields) => console.info(entry(message, fields)),
    warn: (message, fields) => console.warn(entry(message, fields)),
    error: (message, fields) => console.error(entry(message, fields)),
  };
}

/**
 * A file name or object key as logs may show it. Retained stages keep logs
 * longer than files, and a name can be personal ("payslips-jane-doe.csv"), so
 * there it is `sha256:` and the first 16 hex digits of its SHA-256: enough to
 * follow one file through the logs, not to read its name.
 */
export function fileNameForLog(value: string, mode: LogFileNames): string {
  if (mode === 'plain') return value;
  return `sha256:${createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16)}`;
}

/** The parts of an error worth logging: name, message (redacted), AWS status and request id. */
export function describeError(error: unknown): LogFields {
  if (!(error instanceof Error)) return { errorType: typeof error };
  const meta = (error as { $metadata?: { httpStatusCode?: number; requestId?: string } }).$metadata;
  return {
    errorName: error.name,
    errorMessage: error.message,
    ...(meta ? { awsStatus: meta.httpStatusCode, awsRequestId: meta.requestId } : { errorStack: error.stack }),
  };
}
