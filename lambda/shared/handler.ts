/**
 * The one wrapper every route uses: it times the request, turns HttpErrors into
 * the error shape of docs/design.md (a 503 `unavailable` keeps its Retry-After) and
 * anything else into a detail-free 500, adds CORS
 * headers, writes one access-log line, and never throws.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { readCorsEnv } from './env';
import { corsHeaders, errorResult, header, HttpError, INTERNAL_ERROR, toResponse, type RouteResult } from './http';
import { createLogger, describeError, type Logger, type LogFields } from './log';

const cors = readCorsEnv(process.env);

export interface RouteRequest {
  readonly event: APIGatewayProxyEvent;
  /** Lambda's context, e.g. for the time left (`getRemainingTimeInMillis`); may lack it outside Lambda. */
  readonly context: Context;
  readonly log: Logger;
  /** Extra fields for the access-log line (e.g. the object key; never URLs or tokens). */
  readonly logFields: LogFields;
}

/** A route's logic; a route that needs no I/O may return its result directly. */
export type Route = (request: RouteRequest) => Promise<RouteResult> | RouteResult;
export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export function apiHandler(route: string, run: Route): ApiHandler {
  return async (event, context) => {
    const started = Date.now();
    const requestId = typeof context?.awsRequestId === 'string' ? context.awsRequestId : 'unknown';
    const log = createLogger(requestId, route);
    const logFields: LogFields = {};
    let result: RouteResult;
    try {
      result = await run({ event, context, log, logFields });
    } catch (error) {
      if (error instanceof HttpError && error.status < 500) {
        result = errorResult(error);
        logFields.errorCode = error.code;
      } else if (error instanceof HttpError && error.code === 'unavailable') {
        result = errorResult(error);
        logFields.errorCode = error.code;
        log.error('dependency unavailable', describeError(error.cause));
      } else {
        result = errorResult(INTERNAL_ERROR);
        log.error('unhandled error', describeError(error));
      }
    }
    let origin: string | undefined;
    try {
      origin = header(event?.headers, 'origin');
    } catch {
      origin = undefined;
    }
    const response = toResponse(result, corsHeaders(origin, cors.allowedOrigins));
    const entry = { status: response.statusCode, latencyMs: Date.now() - started, ...logFields };
    if (response.statusCode >= 500) log.error('request failed', entry);
    else if (response.statusCode >= 400) log.warn('request rejected', entry);
    else log.info('request completed', entry);
    return response;
  };
}
