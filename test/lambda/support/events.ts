import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { CognitoIdentityClient, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { clearIdentityCache } from '../../../lambda/shared/identity';
import { FakeIdentityTable } from './fake-identity-table';

export const SUB = 'a1b2c3d4-0000-4000-8000-000000000001';
export const IDENTITY_ID = 'eu-west-1:9f8e7d6c-5b4a-4321-8fed-cba987654321';
export const ALLOWED_ORIGIN = 'https://app.example.com';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An ID token shaped like Cognito's; the signature is fake (the authorizer checked it). */
export function idToken(payload: Record<string, unknown> = {}): string {
  return `${b64url({ kid: 'k', alg: 'RS256' })}.${b64url({ sub: SUB, token_use: 'id', ...payload })}.c2lnbmF0dXJl`;
}

export const TOKEN = idToken();

export const CONTEXT = { awsRequestId: 'req-123', functionName: 'test' } as Context;

export interface EventOptions {
  method?: string;
  resource?: string;
  path?: string;
  claims?: Record<string, unknown> | null;
  headers?: Record<string, string> | null;
  pathParameters?: Record<string, string> | null;
  query?: Record<string, string> | null;
  multiQuery?: Record<string, string[]> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

export function apiEvent(options: EventOptions = {}): APIGatewayProxyEvent {
  const claims = options.claims === undefined
    ? { sub: SUB, 'cognito:username': 'alice', email: 'alice@example.com', 'cognito:groups': '[admins members]', token_use: 'id' }
    : options.claims;
  return {
    resource: options.resource ?? '/',
    path: options.path ?? '/',
    httpMethod: options.method ?? 'GET',
    // null and odd values are deliberate: handlers must survive events API Gateway would never send.
    headers: (options.headers === undefined ? { Authorization: TOKEN, Origin: ALLOWED_ORIGIN } : options.headers) as APIGatewayProxyEvent['headers'],
    multiValueHeaders: {},
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: options.multiQuery ?? null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    body: options.body ?? null,
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      authorizer: claims === null ? null : { claims },
      httpMethod: options.method ?? 'GET',
      identity: {} as APIGatewayProxyEvent['requestContext']['identity'],
      path: options.path ?? '/',
      protocol: 'HTTP/1.1',
      requestId: 'gw-req',
      requestTimeEpoch: 0,
      resourceId: 'res',
      resourcePath: options.resource ?? '/',
      stage: 'v1',
    },
  };
}

/**
 * Mocked SDK clients, reset before each test with a working GetId and an empty
 * in-memory identity map table behind DynamoDB; console silenced.
 */
export function setUpMocks() {
  const cognito = mockClient(CognitoIdentityClient);
  const s3 = mockClient(S3Client);
  const dynamodb = mockClient(DynamoDBClient);
  const logs: unknown[] = [];
  const mocks = { cognito, s3, dynamodb, logs, table: new FakeIdentityTable(), awsCalls: () => cognito.calls().length + s3.calls().length + dynamodb.calls().length };
  beforeEach(() => {
    cognito.reset();
    s3.reset();
    dynamodb.reset();
    clearIdentityCache();
    cognito.on(GetIdCommand).resolves({ IdentityId: IDENTITY_ID });
    mocks.table = new FakeIdentityTable();
    mocks.table.install(dynamodb);
    logs.length = 0;
    for (const level of ['info', 'warn', 'error'] as const) {
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void logs.push(...args));
    }
  });
  afterEach(() => jest.restoreAllMocks());
  return mocks;
}

export interface ParsedResponse {
  status: number;
  headers: Record<string, string | number | boolean>;
  body: any;
}

export function parse(response: { statusCode: number; headers?: Record<string, string | number | boolean>; body: string }): ParsedResponse {
  return { status: response.statusCode, headers: response.headers ?? {}, body: response.body === '' ? undefined : JSON.parse(response.body) };
}

export function expectError(response: ParsedResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['Content-Type']).toBe('application/json');
  expect(response.body).toEqual({ error: { code, message: expect.any(String) } });
}
