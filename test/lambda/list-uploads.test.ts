import './support/results-table-env';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import 'aws-sdk-client-mock-jest';
import * as fc from 'fast-check';
import { handler } from '../../lambda/list-uploads';
import { RESULTS_BY_CHECKED_AT as RESULTS_INDEX } from '../../contracts/upload-results-table';
import { encodeStartKey } from '../../lambda/shared/admin-query';
import { apiEvent, CONTEXT, expectError, parse, setUpMocks } from '../../scripts/fixtures/events';
import { RESULTS_TABLE } from './support/results-table-env';

const mocks = setUpMocks();

/** Claims of a machine (client credentials) access token: no user, the scope it asked for. */
const MACHINE_CLAIMS = { sub: 'machineclient123', client_id: 'machineclient123', token_use: 'access', scope: 'api/uploads.read' };
const call = async (options: Parameters<typeof apiEvent>[0] = {}) =>
  parse(
    await handler(
      apiEvent({ resource: '/admin/uploads', path: '/admin/uploads', claims: MACHINE_CLAIMS, headers: { Authorization: 'Bearer x.y.z' }, ...options }),
      CONTEXT,
    ),
  );

const PAGE_KEY = { kind: { S: 'upload' }, checkedAt: { S: '2026-11-01T10:00:00.000Z' }, pk: { S: 'eu-west-1:abc' }, sk: { S: 'data.csv' } };

describe('GET /admin/uploads with the results table', () => {
  test('GIVEN a machine token with the scope WHEN called THEN the ByCheckedAt index is queried newest first and items are mapped', async () => {
    mocks.dynamodb.on(QueryCommand).resolves({
      Items: [
        {
          kind: { S: 'upload' },
          identityId: { S: 'eu-west-1:abc' },
          name: { S: 'b.csv' },
          status: { S: 'rejected' },
          reason: { S: 'not_csv' },
          checkedAt: { S: '2026-11-02T00:00:00Z' },
          rows: { N: '3' },
        },
        {
          kind: { S: 'upload' },
          identityId: { S: 'eu-west-1:def' },
          name: { S: 'a.csv' },
          status: { S: 'accepted' },
          checkedAt: { S: '2026-11-01T00:00:00Z' },
        },
        { kind: { S: 'upload' }, name: { S: 'orphan.csv' } },
      ],
      LastEvaluatedKey: PAGE_KEY,
    });
    const response = await call({ query: { limit: '2' } });
    expect(response.status).toBe(200);
    expect(response.body.uploads).toEqual([
      { identityId: 'eu-west-1:abc', name: 'b.csv', status: 'rejected', reason: 'not_csv', checkedAt: '2026-11-02T00:00:00Z' },
      { identityId: 'eu-west-1:def', name: 'a.csv', status: 'accepted', checkedAt: '2026-11-01T00:00:00Z' },
    ]);
    expect(response.body.nextToken).toBe(encodeStartKey(PAGE_KEY));
    expect(mocks.dynamodb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: RESULTS_TABLE,
      IndexName: RESULTS_INDEX,
      KeyConditionExpression: '#kind = :kind',
      ExpressionAttributeNames: { '#kind': 'kind' },
      ExpressionAttributeValues: { ':kind': { S: 'upload' } },
      ScanIndexForward: false,
      Limit: 2,
    });
  });

  test('GIVEN rejected keys the checker recorded under odd names (empty, nested) WHEN listed THEN each is shown with its name', async () => {
    mocks.dynamodb.on(QueryCommand).resolves({
      Items: [
        {
          kind: { S: 'upload' },
          identityId: { S: 'eu-west-1:abc' },
          name: { S: '' },
          status: { S: 'rejected' },
          reason: { S: 'bad_name' },
          checkedAt: { S: '2026-11-02T00:00:00Z' },
        },
        {
          kind: { S: 'upload' },
          identityId: { S: 'eu-west-1:abc' },
          name: { S: 'dir/x.exe' },
          status: { S: 'rejected' },
          reason: { S: 'bad_name' },
          checkedAt: { S: '2026-11-01T00:00:00Z' },
        },
      ],
    });
    expect((await call()).body.uploads).toEqual([
      { identityId: 'eu-west-1:abc', name: '', status: 'rejected', reason: 'bad_name', checkedAt: '2026-11-02T00:00:00Z' },
      { identityId: 'eu-west-1:abc', name: 'dir/x.exe', status: 'rejected', reason: 'bad_name', checkedAt: '2026-11-01T00:00:00Z' },
    ]);
  });

  test('GIVEN the nextToken of a page WHEN called with it THEN the query starts after that key', async () => {
    mocks.dynamodb.on(QueryCommand).resolves({ Items: [] });
    const response = await call({ query: { nextToken: encodeStartKey(PAGE_KEY) } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ uploads: [] });
    expect(mocks.dynamodb).toHaveReceivedCommandWith(QueryCommand, { ExclusiveStartKey: PAGE_KEY, Limit: 100 });
  });

  test.each([
    ['limit 0', { limit: '0' }],
    ['limit 101', { limit: '101' }],
    ['limit not a number', { limit: 'ten' }],
    ['nextToken not base64url', { nextToken: 'a+b/' }],
    ['nextToken not JSON', { nextToken: Buffer.from('nope').toString('base64url') }],
    ['nextToken in another partition', { nextToken: encodeStartKey({ ...PAGE_KEY, kind: { S: 'other' } }) }],
    ['nextToken with a non-scalar value', { nextToken: Buffer.from(JSON.stringify({ kind: { S: 'upload' }, checkedAt: { M: {} } })).toString('base64url') }],
  ])('GIVEN %s WHEN called THEN 400 before any AWS call', async (_case, query) => {
    expectError(await call({ query }), 400, 'invalid_request');
    expect(mocks.awsCalls()).toBe(0);
  });

  test('GIVEN any string as nextToken WHEN called THEN the answer is 200 or 400, never a fault', async () => {
    mocks.dynamodb.on(QueryCommand).resolves({ Items: [] });
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (nextToken) => {
        expect([200, 400]).toContain((await call({ query: { nextToken } })).status);
      }),
    );
  });

  test('GIVEN DynamoDB throttles WHEN called THEN 503 unavailable with Retry-After', async () => {
    mocks.dynamodb
      .on(QueryCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } }));
    const response = await call();
    expectError(response, 503, 'unavailable');
    expect(response.headers['Retry-After']).toBeDefined();
  });
});

describe('GET /admin/uploads refuses every token but an access token with api/uploads.read', () => {
  const idTokenClaims = fc.record({ sub: fc.uuid(), token_use: fc.constant('id'), email: fc.emailAddress(), scope: fc.constant('api/uploads.read') });
  /** Scope lists that never contain the exact scope (near misses included). */
  const otherScopes = fc
    .array(
      fc.oneof(
        fc.constantFrom('aws.cognito.signin.user.admin', 'openid', 'api/uploads.write', 'api/uploads', 'uploads.read', 'API/uploads.read', 'api/uploads.read2'),
        fc.string(),
      ),
      { maxLength: 4 },
    )
    .map((scopes) => scopes.join(' '))
    .filter((scope) => !scope.split(' ').includes('api/uploads.read'));
  const userAccessClaims = fc.record({ sub: fc.uuid(), username: fc.string({ minLength: 1 }), token_use: fc.constant('access'), scope: otherScopes });
  const machineClaims = fc.record({
    sub: fc.string({ minLength: 1 }),
    client_id: fc.string({ minLength: 1 }),
    token_use: fc.constant('access'),
    scope: otherScopes,
  });

  test("GIVEN a user's ID token, a user's access token or a machine token without the scope WHEN called THEN 403 forbidden and no AWS call", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(idTokenClaims, userAccessClaims, machineClaims), async (claims) => {
        mocks.dynamodb.reset();
        expectError(await call({ claims }), 403, 'forbidden');
        expect(mocks.dynamodb.calls()).toHaveLength(0);
      }),
    );
  });

  test('GIVEN no claims at all WHEN called THEN 403 forbidden', async () => {
    expectError(await call({ claims: null }), 403, 'forbidden');
  });
});
