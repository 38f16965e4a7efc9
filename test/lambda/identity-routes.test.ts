/* eslint-disable @typescript-eslint/no-require-imports -- jest.isolateModules loads a fresh copy synchronously, which only require() can do */
/**
 * Identity resolution as the routes see it: a spoofed identity anywhere in the
 * request is never used, and GetId runs once per user across cold containers
 * that share one identity map table.
 */
import '../../scripts/fixtures/env';
import 'aws-sdk-client-mock-jest';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { handler as listFiles } from '../../lambda/list-files';
import { handler as createUploadUrl } from '../../lambda/create-upload-url';
import { handler as getFile } from '../../lambda/get-file';
import { handler as deleteFile } from '../../lambda/delete-file';
import { apiEvent, CONTEXT, expectError, IDENTITY_ID, parse, setUpMocks, SUB, TOKEN } from '../../scripts/fixtures/events';

const mocks = setUpMocks();
const SPOOFED = 'eu-west-1:66666666-6666-4666-8666-666666666666';
const SPOOF_HEADERS = { Authorization: TOKEN, 'x-identity-id': SPOOFED, 'X-Amz-Cognito-Identity-Id': SPOOFED };
const SPOOF_QUERY = { identityId: SPOOFED };

beforeEach(() => {
  mocks.s3.on(ListObjectsV2Command).resolves({ Contents: [] });
  mocks.s3.on(HeadObjectCommand).resolves({});
  mocks.s3.on(DeleteObjectCommand).resolves({});
});

describe('a spoofed identity in the request is ignored', () => {
  test('GIVEN x-identity-id, ?identityId and a body identityId WHEN GET /files THEN the prefix is the GetId answer for the caller', async () => {
    const response = parse(await listFiles(apiEvent({ headers: SPOOF_HEADERS, query: SPOOF_QUERY, body: JSON.stringify({ identityId: SPOOFED }) }), CONTEXT));
    expect(response.status).toBe(200);
    expect(response.body.identityId).toBe(IDENTITY_ID);
    expect(mocks.s3).toHaveReceivedCommandWith(ListObjectsV2Command, { Prefix: `${IDENTITY_ID}/` });
    expect(mocks.cognito).toHaveReceivedCommandWith(GetIdCommand, { Logins: { [process.env.USER_POOL_PROVIDER_NAME!]: TOKEN } });
  });

  test.each([
    ['GET /files/{name}', getFile, HeadObjectCommand],
    ['DELETE /files/{name}', deleteFile, DeleteObjectCommand],
  ] as const)(
    'GIVEN x-identity-id, ?identityId and a body identityId WHEN %s THEN the key is under the GetId answer for the caller',
    async (_route, handler, command) => {
      const event = apiEvent({ headers: SPOOF_HEADERS, query: SPOOF_QUERY, pathParameters: { name: 'a.csv' }, body: JSON.stringify({ identityId: SPOOFED }) });
      expect(parse(await handler(event, CONTEXT)).status).toBeLessThan(300);
      expect(mocks.s3).toHaveReceivedCommandWith(command, { Key: `${IDENTITY_ID}/a.csv` });
      expect(JSON.stringify(mocks.s3.calls().map((call) => call.args[0].input))).not.toContain(SPOOFED);
    },
  );

  test('GIVEN x-identity-id and ?identityId WHEN POST /files/upload-url THEN the presigned key is under the GetId answer for the caller', async () => {
    const event = apiEvent({
      method: 'POST',
      headers: SPOOF_HEADERS,
      query: SPOOF_QUERY,
      body: JSON.stringify({ name: 'a.csv', contentType: 'text/csv', size: 1 }),
    });
    const response = parse(await createUploadUrl(event, CONTEXT));
    expect(response.status).toBe(200);
    expect(response.body.key).toBe(`${IDENTITY_ID}/a.csv`);
    expect(response.body.fields.key).toBe(`${IDENTITY_ID}/a.csv`);
  });

  test('GIVEN identityId in the POST body WHEN POST /files/upload-url THEN 400 before any AWS call (the body never names the owner)', async () => {
    const event = apiEvent({ method: 'POST', body: JSON.stringify({ name: 'a.csv', contentType: 'text/csv', size: 1, identityId: SPOOFED }) });
    expectError(parse(await createUploadUrl(event, CONTEXT)), 400, 'invalid_request');
    expect(mocks.awsCalls()).toBe(0);
  });

  test('GIVEN a spoofed identity WHEN the mapping is first written THEN the table holds the GetId answer', async () => {
    await listFiles(apiEvent({ headers: SPOOF_HEADERS, query: SPOOF_QUERY }), CONTEXT);
    expect(mocks.table.identityIdOf(SUB)).toBe(IDENTITY_ID);
  });
});

describe('GetId across cold containers sharing one table', () => {
  // Each cold container is a fresh copy of the handler modules (its own cache and
  // clients); the SDK modules stay shared so the mocks above reach every copy.
  for (const sdk of ['@aws-sdk/client-cognito-identity', '@aws-sdk/client-dynamodb', '@aws-sdk/client-s3']) {
    const shared = jest.requireActual(sdk);
    jest.doMock(sdk, () => shared);
  }
  type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
  const coldContainer = (): Handler => {
    let handler!: Handler;
    jest.isolateModules(() => {
      handler = require('../../lambda/list-files').handler;
    });
    return handler;
  };

  test('GIVEN 20 cold containers WHEN one user calls each of them THEN GetId is called once and every container lists the same prefix', async () => {
    const containers = Array.from({ length: 20 }, coldContainer);
    expect(new Set(containers).size).toBe(20);
    for (const handler of containers) {
      const response = parse(await handler(apiEvent(), CONTEXT));
      expect(response.body.identityId).toBe(IDENTITY_ID);
    }
    expect(mocks.cognito).toHaveReceivedCommandTimes(GetIdCommand, 1);
    expect(mocks.dynamodb.commandCalls(GetItemCommand)).toHaveLength(20);
  });

  test('GIVEN the per-container cache only (no shared table hit) WHEN the same 20 containers are cold THEN GetId would run 20 times: the control', async () => {
    // Proves the test above can fail: with every table read missing, each container calls GetId.
    mocks.dynamodb.on(GetItemCommand).resolves({});
    for (const handler of Array.from({ length: 20 }, coldContainer)) await handler(apiEvent(), CONTEXT);
    expect(mocks.cognito).toHaveReceivedCommandTimes(GetIdCommand, 20);
  });
});
