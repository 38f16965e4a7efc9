/**
 * Structured logs. Lambda's JSON log format wraps each console call in
 * `{timestamp, level, requestId, message}`; we also put `requestId` and `route`
 * in our own object so the line stands on its own after export.
 *
 * Never pass tokens, Authorization headers or presigned URLs/fields here; as a
 * second line of defence, anything shaped like a JWT or a SigV4 signature,
 * credential or session token is redacted from every string we log.
 */

export type LogFields = Record<string, unknown>;

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
