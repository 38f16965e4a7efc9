/**
 * The Lambda proxy integration (AWS_PROXY) of a REST API: the event in API
 * Gateway's REST (payload 1.0) shape, and the handler's answer mapped back to
 * HTTP. An answer that is not a valid proxy response is API Gateway's 502.
 */
import { randomUUID } from 'node:crypto';

export interface ProxyRequest {
  readonly method: string;
  /** Path below the stage, decoded: `/files/a b.csv`. */
  readonly path: string;
  /** The matched resource path: `/files/{name}`. */
  readonly resourcePath: string;
  readonly pathParameters: Record<string, string> | null;
  /** Header name as sent → values in order. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly query: URLSearchParams;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly claims?: Record<string, string>;
}

export interface ProxyContext {
  readonly accountId: string;
  readonly restApiId: string;
  readonly stageName: string;
  readonly domainName: string;
  readonly resourceId: string;
}

export function proxyEvent(request: ProxyRequest, context: ProxyContext): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of request.headers) {
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const queryStringParameters: Record<string, string> = {};
  const multiValueQueryStringParameters: Record<string, string[]> = {};
  for (const [name, value] of request.query) {
    queryStringParameters[name] = value;
    (multiValueQueryStringParameters[name] ??= []).push(value);
  }
  const hasQuery = Object.keys(queryStringParameters).length > 0;
  const now = new Date();
  const userAgent = headers['User-Agent'] ?? headers['user-agent'] ?? null;
  const text = request.body.toString('utf8');
  // API Gateway passes a body that is not valid UTF-8 base64-encoded only for binary media types; there are none here.
  return {
    resource: request.resourcePath,
    path: request.path,
    httpMethod: request.method,
    headers: request.headers.length ? headers : null,
    multiValueHeaders: request.headers.length ? multiValueHeaders : null,
    queryStringParameters: hasQuery ? queryStringParameters : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQueryStringParameters : null,
    pathParameters: request.pathParameters,
    stageVariables: null,
    requestContext: {
      resourceId: context.resourceId,
      resourcePath: request.resourcePath,
      httpMethod: request.method,
      extendedRequestId: randomUUID(),
      requestTime: now.toUTCString(),
      path: `/${context.stageName}${request.path}`,
      accountId: context.accountId,
      protocol: 'HTTP/1.1',
      stage: context.stageName,
      domainPrefix: context.domainName.split('.')[0],
      requestTimeEpoch: now.getTime(),
      requestId: randomUUID(),
      identity: {
        sourceIp: request.sourceIp,
        userAgent,
        accessKey: null,
        accountId: null,
        caller: null,
        user: null,
        userArn: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
      },
      domainName: context.domainName,
      apiId: context.restApiId,
      ...(request.claims ? { authorizer: { claims: request.claims } } : {}),
    },
    body: request.body.length ? text : null,
    isBase64Encoded: false,
  };
}

export interface ProxyHttpResponse {
  readonly status: number;
  readonly headers: Array<[string, string]>;
  readonly body: Buffer;
}

/** The handler's result as HTTP; undefined when it is not a proxy response (API Gateway answers 502). */
export function proxyResponse(result: unknown): ProxyHttpResponse | undefined {
  if (result === null || typeof result !== 'object') return undefined;
  const r = result as Record<string, unknown>;
  const status = r.statusCode === undefined ? 200 : Number(r.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) return undefined;
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return undefined;
  const headers: Array<[string, string]> = [];
  const single = (r.headers ?? {}) as Record<string, unknown>;
  const multi = (r.multiValueHeaders ?? {}) as Record<string, unknown>;
  for (const [name, values] of Object.entries(multi)) if (Array.isArray(values)) for (const v of values) headers.push([name, String(v)]);
  for (const [name, value] of Object.entries(single)) if (!(name in multi)) headers.push([name, String(value)]);
  const text = typeof r.body === 'string' ? r.body : '';
  return { status, headers, body: r.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8') };
}
