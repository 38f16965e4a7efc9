/**
 * API Gateway's own answers (401, 403, 429, 502, …) rendered from the
 * template's AWS::ApiGateway::GatewayResponse resources: the specific type,
 * else DEFAULT_4XX / DEFAULT_5XX, else API Gateway's built-in
 * `{"message": …}`. Header values are `'literal'` or
 * `method.request.header.<Name>`; the body template's
 * `$context.error.messageString` is the quoted message.
 */
import type { GatewayResponseDef } from './api-model';

export interface GatewayError {
  /** UNAUTHORIZED, ACCESS_DENIED, THROTTLED, MISSING_AUTHENTICATION_TOKEN, AUTHORIZER_FAILURE, INTEGRATION_FAILURE, … */
  readonly type: string;
  readonly status: number;
  readonly message: string;
}

export interface RenderedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export const GATEWAY_ERRORS = {
  unauthorized: { type: 'UNAUTHORIZED', status: 401, message: 'Unauthorized' },
  missingToken: { type: 'MISSING_AUTHENTICATION_TOKEN', status: 403, message: 'Missing Authentication Token' },
  throttled: { type: 'THROTTLED', status: 429, message: 'Too Many Requests' },
  integrationFailure: { type: 'INTEGRATION_FAILURE', status: 502, message: 'Internal server error' },
  /** API Gateway's answer when the Lambda permission does not let it invoke the function. */
  permissionFailure: { type: 'API_CONFIGURATION_ERROR', status: 500, message: 'Internal server error' },
} as const satisfies Record<string, GatewayError>;

export function renderGatewayResponse(
  error: GatewayError,
  responses: Readonly<Record<string, GatewayResponseDef>>,
  requestHeader: (name: string) => string | undefined,
): RenderedResponse {
  const def = responses[error.type] ?? responses[error.status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX'];
  const messageString = JSON.stringify(error.message);
  if (!def) return { status: error.status, headers: { 'Content-Type': 'application/json' }, body: `{"message":${messageString}}` };
  const headers: Record<string, string> = {};
  for (const [name, source] of Object.entries(def.headers)) {
    const header = name.replace(/^gatewayresponse\.header\./, '');
    const literal = /^'(.*)'$/s.exec(source);
    const fromRequest = /^method\.request\.header\.(.+)$/.exec(source)?.[1];
    const value = literal ? literal[1] : fromRequest ? requestHeader(fromRequest) : undefined;
    if (value !== undefined) headers[header] = value;
  }
  const template = def.templates['application/json'];
  const body =
    template === undefined
      ? `{"message":${messageString}}`
      : template.split('$context.error.messageString').join(messageString).split('$context.error.message').join(error.message);
  return { status: def.statusCode ? Number(def.statusCode) : error.status, headers: { 'Content-Type': 'application/json', ...headers }, body };
}
