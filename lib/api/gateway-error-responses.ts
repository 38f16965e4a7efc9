import * as apigw from 'aws-cdk-lib/aws-apigateway';

/**
 * Errors API Gateway returns itself (before any handler runs) in the same
 * `{"error":{"code","message"}}` shape as the handlers, with CORS headers so
 * a browser sees the 401 instead of an opaque CORS failure.
 */
const GATEWAY_ERRORS: { id: string; type: apigw.ResponseType; code: string }[] = [
  { id: 'Unauthorized', type: apigw.ResponseType.UNAUTHORIZED, code: 'unauthorized' },
  { id: 'AccessDenied', type: apigw.ResponseType.ACCESS_DENIED, code: 'forbidden' },
  { id: 'Throttled', type: apigw.ResponseType.THROTTLED, code: 'throttled' },
  { id: 'Default4xx', type: apigw.ResponseType.DEFAULT_4XX, code: 'request_error' },
  { id: 'Default5xx', type: apigw.ResponseType.DEFAULT_5XX, code: 'gateway_error' },
];

/**
 * One configured origin is echoed literally. With several, gateway responses
 * cannot choose per request, so they reflect the caller's Origin: these
 * bodies carry no user data and no credentials header, so that leaks nothing.
 */
export function addGatewayErrorResponses(api: apigw.RestApi, allowedOrigins: string[]): void {
  const allowOrigin = allowedOrigins.length === 1 ? `'${allowedOrigins[0]}'` : allowedOrigins.length > 1 ? 'method.request.header.Origin' : undefined;
  for (const error of GATEWAY_ERRORS) {
    api.addGatewayResponse(error.id, {
      type: error.type,
      responseHeaders: {
        'Content-Type': "'application/json'",
        ...(allowOrigin ? { 'Access-Control-Allow-Origin': allowOrigin, Vary: "'Origin'" } : {}),
      },
      templates: {
        // messageString is already a quoted, escaped JSON string.
        'application/json': `{"error":{"code":"${error.code}","message":$context.error.messageString}}`,
      },
    });
  }
}
