/**
 * Throttling through the real SDK retry strategy: only the HTTP layer is
 * faked (NodeHttpHandler.handle), so the clients' own classification, bounded
 * retries and full-jitter backoff run as in Lambda. Math.random is pinned to 0,
 * which makes every jittered delay 0 ms.
 */
import '../../scripts/fixtures/env';
import { Readable } from 'node:stream';
import { HttpResponse, type HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { handler as listFiles } from '../../lambda/list-files';
import { clearIdentityCache } from '../../lambda/shared/identity';
import { ALLOWED_ORIGIN, apiEvent, CONTEXT, parse } from '../../scripts/fixtures/events';

type Fake = (target: string) => { status: number; body: unknown; errorType?: string };

let sent: string[];
function fakeAws(answer: Fake) {
  sent = [];
  jest.spyOn(NodeHttpHandler.prototype, 'handle').mockImplementation(async (request: HttpRequest) => {
    const target = request.headers['x-amz-target'];
    if (target === undefined) {
      // S3 (REST-XML, no target header): an empty listing.
      sent.push('S3');
      return {
        response: new HttpResponse({
          statusCode: 200,
          headers: { 'content-type': 'application/xml' },
          body: Readable.from([Buffer.from('<ListBucketResult></ListBucketResult>')]),
        }),
      };
    }
    sent.push(target.split('.').pop()!);
    const { status, body, errorType } = answer(target);
    return {
      response: new HttpResponse({
        statusCode: status,
        headers: { 'content-type': 'application/x-amz-json-1.0', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) },
        body: Readable.from([Buffer.from(JSON.stringify(body))]),
      }),
    };
  });
}

const throttle = (name: string) => ({ status: 400, errorType: name, body: { __type: name, message: 'Rate exceeded' } });
const logs: unknown[] = [];

beforeEach(() => {
  clearIdentityCache();
  logs.length = 0;
  jest.spyOn(Math, 'random').mockReturnValue(0);
  for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation((...args) => void logs.push(...args));
});
afterEach(() => jest.restoreAllMocks());

describe('throttled dependencies answer 503 with Retry-After after bounded retries', () => {
  test.each(['TooManyRequestsException', 'LimitExceededException'])(
    'GIVEN GetId keeps answering %s WHEN GET /files THEN 3 GetId attempts, then 503 unavailable with Retry-After and CORS',
    async (name) => {
      fakeAws((target) => (target.endsWith('.GetItem') ? { status: 200, body: {} } : throttle(name)));
      const response = parse(await listFiles(apiEvent(), CONTEXT));
      expect(sent).toEqual(['GetItem', 'GetId', 'GetId', 'GetId']);
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
      expect(response.headers['Retry-After']).toBe('2');
      expect(response.headers['Access-Control-Expose-Headers']).toBe('Retry-After');
      expect(response.headers['Access-Control-Allow-Origin']).toBe(ALLOWED_ORIGIN);
      expect(logs).toContainEqual(expect.objectContaining({ message: 'dependency unavailable', errorName: name }));
    },
  );

  test.each(['ProvisionedThroughputExceededException', 'ThrottlingException'])(
    'GIVEN GetItem keeps answering %s WHEN GET /files THEN 3 GetItem attempts, no GetId, then 503 with Retry-After',
    async (name) => {
      fakeAws(() => throttle(name));
      const response = parse(await listFiles(apiEvent(), CONTEXT));
      expect(sent).toEqual(['GetItem', 'GetItem', 'GetItem']);
      expect(response.status).toBe(503);
      expect(response.headers['Retry-After']).toBe('2');
    },
  );

  test('GIVEN GetId is throttled once WHEN GET /files THEN the SDK retry succeeds and the mapping is written', async () => {
    let getIds = 0;
    fakeAws((target) => {
      if (target.endsWith('.GetItem') || target.endsWith('.PutItem')) return { status: 200, body: {} };
      return ++getIds === 1 ? throttle('TooManyRequestsException') : { status: 200, body: { IdentityId: 'eu-west-1:9f8e7d6c-5b4a-4321-8fed-cba987654321' } };
    });
    const response = parse(await listFiles(apiEvent(), CONTEXT));
    expect(sent).toEqual(['GetItem', 'GetId', 'GetId', 'PutItem', 'S3']);
    expect(response.status).toBe(200);
  });
});
