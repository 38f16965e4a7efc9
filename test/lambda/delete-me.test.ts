import '../../scripts/fixtures/env';
import 'aws-sdk-client-mock-jest';
import { mockClient } from 'aws-sdk-client-mock';
import { DeleteIdentitiesCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { AdminDeleteUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DeleteItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { FINAL_STEPS_RESERVE_MS, handler } from '../../lambda/delete-me';
import { clearIdentityCache } from '../../lambda/shared/identity';
import { apiEvent, CONTEXT, expectError, IDENTITY_ID, idToken, parse, setUpMocks, SUB } from '../../scripts/fixtures/events';
import { TEST_ENV } from '../../scripts/fixtures/env';
import { FakeAccount } from './support/fake-account';

const mocks = setUpMocks();
const cognitoIdp = mockClient(CognitoIdentityProviderClient);
const OTHER_ID = 'eu-west-1:00000000-0000-4000-8000-000000000099';
const USERNAME = 'alice';
let account: FakeAccount;

/** The caller (alice) with files over several list pages, delete markers, items and results; and another identity's data. */
function seed(): void {
  account = new FakeAccount(mocks.table);
  account.listPageSize = 7;
  account.queryPageSize = 4;
  for (let i = 0; i < 10; i++) account.addObject(`${IDENTITY_ID}/file-${i}.csv`, 2, i % 3 === 0);
  account.addObject(`${IDENTITY_ID}/bad/nested.csv`, 1, true);
  account.addObject(`${OTHER_ID}/theirs.csv`, 2);
  account.addItems('items-table', IDENTITY_ID, 9);
  account.addItems('items-table', OTHER_ID, 3);
  account.addItems('upload-results', IDENTITY_ID, 6);
  account.addItems('upload-results', OTHER_ID, 2);
  mocks.table.put(SUB, IDENTITY_ID);
  account.identities.add(IDENTITY_ID).add(OTHER_ID);
  account.users.add(USERNAME).add('bob');
  account.install(mocks.s3, mocks.dynamodb, mocks.cognito, cognitoIdp);
}

beforeEach(() => {
  cognitoIdp.reset();
  seed();
});

const deleteMe = (options: Parameters<typeof apiEvent>[0] = {}, context: Context = CONTEXT) =>
  handler(apiEvent({ method: 'DELETE', resource: '/me', path: '/me', ...options }), context);

/** A Lambda context whose clock says `remainingMs` for the first `calls` reads, then less than the reserve. */
function contextRunningOut(calls: number): Context {
  let reads = 0;
  return { ...CONTEXT, getRemainingTimeInMillis: () => (reads++ < calls ? 9000 : FINAL_STEPS_RESERVE_MS - 1) };
}

/** The account-deleted marker: the identity ID and a time, no file name (docs/design.md, "Account deletion"). */
const MARKER = { identityId: { S: IDENTITY_ID }, sk: { S: 'account#deleted' }, deletedAt: { S: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } };

function expectAllGone(): void {
  expect(account.versionsUnder(`${IDENTITY_ID}/`)).toEqual([]);
  expect(account.itemsOf('items-table', IDENTITY_ID)).toEqual([]);
  // Only the marker stays: it keeps the checker from writing the purged files' names back.
  expect(account.itemsOf('upload-results', IDENTITY_ID)).toEqual([MARKER]);
  expect(mocks.table.identityIdOf(SUB)).toBeUndefined();
  expect(account.identities.has(IDENTITY_ID)).toBe(false);
  expect(account.users.has(USERNAME)).toBe(false);
}

function expectOthersUntouched(): void {
  expect(account.versionsUnder(`${OTHER_ID}/`)).toHaveLength(2);
  expect(account.itemsOf('items-table', OTHER_ID)).toHaveLength(3);
  expect(account.itemsOf('upload-results', OTHER_ID)).toHaveLength(2);
  expect(account.identities.has(OTHER_ID)).toBe(true);
  expect(account.users.has('bob')).toBe(true);
}

const distinctSteps = () => account.steps.filter((step, i) => step !== account.steps[i - 1]);

describe('DELETE /me', () => {
  test('GIVEN versions and delete markers over several pages, items and results WHEN deleted THEN 204 and nothing of the caller remains, nobody else touched', async () => {
    const response = await deleteMe();
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expectAllGone();
    expectOthersUntouched();
    // 10 files x 2 versions + 4 markers + 1 nested version and marker = 26 entries in pages of 7.
    expect(mocks.s3).toHaveReceivedCommandTimes(ListObjectVersionsCommand, 4);
    expect(mocks.s3.commandCalls(ListObjectVersionsCommand)[1].args[0].input).toMatchObject({
      Prefix: `${IDENTITY_ID}/`,
      KeyMarker: expect.any(String),
      VersionIdMarker: expect.any(String),
    });
    for (const call of mocks.s3.commandCalls(DeleteObjectsCommand)) {
      for (const object of call.args[0].input.Delete!.Objects!) {
        expect(object.Key!.startsWith(`${IDENTITY_ID}/`)).toBe(true);
        expect(object.VersionId).toEqual(expect.any(String));
      }
    }
  });

  test('GIVEN an account WHEN deleted THEN data first, then the identity, its map row, and the user last', async () => {
    expect((await deleteMe()).statusCode).toBe(204);
    expect(distinctSteps()).toEqual([
      'PutItem upload-results account#deleted',
      'DeleteObjects',
      'DeleteItem items-table',
      'DeleteItem upload-results',
      'DeleteIdentities',
      'DeleteItem identity-map-table',
      'AdminDeleteUser',
    ]);
    expect(cognitoIdp).toHaveReceivedCommandWith(AdminDeleteUserCommand, { UserPoolId: 'eu-west-1_AbC123', Username: USERNAME });
    expect(mocks.cognito).toHaveReceivedCommandWith(DeleteIdentitiesCommand, { IdentityIdsToDelete: [IDENTITY_ID] });
  });

  test('GIVEN an account WHEN deleted THEN the marker is put first, with only its own attributes and no return values, and the results sweep leaves it', async () => {
    expect((await deleteMe()).statusCode).toBe(204);
    expect(account.steps[0]).toBe('PutItem upload-results account#deleted');
    const puts = mocks.dynamodb
      .commandCalls(PutItemCommand)
      .map((call) => call.args[0].input)
      .filter((input) => input.TableName === TEST_ENV.UPLOAD_RESULTS_TABLE);
    expect(puts).toEqual([{ TableName: TEST_ENV.UPLOAD_RESULTS_TABLE, Item: MARKER, ReturnValues: 'NONE' }]);
    expect(mocks.dynamodb).not.toHaveReceivedCommandWith(DeleteItemCommand, {
      TableName: TEST_ENV.UPLOAD_RESULTS_TABLE,
      Key: { identityId: { S: IDENTITY_ID }, sk: { S: 'account#deleted' } },
    });
    expect(account.itemsOf('upload-results', OTHER_ID)).toHaveLength(2);
  });

  test('GIVEN the marker cannot be put (throttled) WHEN deleted THEN 503 and nothing is purged', async () => {
    account.beforeStep = (step) => {
      if (step.startsWith('PutItem upload-results'))
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    };
    expectError(parse(await deleteMe()), 503, 'unavailable');
    expect(mocks.s3).not.toHaveReceivedCommand(DeleteObjectsCommand);
    expect(account.versionsUnder(`${IDENTITY_ID}/`)).toHaveLength(26);
  });

  test("GIVEN the tables WHEN queried THEN keys only, consistent reads, the caller's partition only", async () => {
    await deleteMe();
    for (const call of mocks.dynamodb.commandCalls(QueryCommand)) {
      expect(call.args[0].input).toMatchObject({
        ProjectionExpression: '#pk, #sk',
        ConsistentRead: true,
        ExpressionAttributeValues: { ':partition': { S: IDENTITY_ID } },
      });
    }
    expect(mocks.dynamodb.commandCalls(QueryCommand).map((c) => c.args[0].input.TableName)).toEqual(
      expect.arrayContaining([TEST_ENV.ITEMS_TABLE, TEST_ENV.UPLOAD_RESULTS_TABLE]),
    );
  });

  test('GIVEN everything already deleted WHEN called again THEN 204 again', async () => {
    expect((await deleteMe()).statusCode).toBe(204);
    expect((await deleteMe()).statusCode).toBe(204);
    // A cold container: no cached identity and no map row, so GetId answers again.
    clearIdentityCache();
    expect((await deleteMe()).statusCode).toBe(204);
    expectAllGone();
    expectOthersUntouched();
  });

  test('GIVEN AdminDeleteUser throttled WHEN deleted THEN 503 with Retry-After and the user kept; a retry finishes with 204', async () => {
    account.beforeStep = (step) => {
      if (step === 'AdminDeleteUser') throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
    };
    const first = parse(await deleteMe());
    expectError(first, 503, 'unavailable');
    expect(first.headers['Retry-After']).toBe('2');
    expect(account.users.has(USERNAME)).toBe(true);
    account.beforeStep = () => undefined;
    expect((await deleteMe()).statusCode).toBe(204);
    expectAllGone();
  });

  test('GIVEN DeleteIdentities fails with a fault WHEN deleted THEN a generic 500, the user kept; a retry in a cold container finds the same identity and finishes', async () => {
    account.beforeStep = (step) => {
      if (step === 'DeleteIdentities') throw Object.assign(new Error('boom'), { name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
    };
    const first = parse(await deleteMe());
    expect(first).toMatchObject({ status: 500, body: { error: { code: 'internal_error', message: 'Internal error' } } });
    expect(mocks.logs).toContainEqual(expect.objectContaining({ message: 'unhandled error', errorName: 'InvalidParameterException' }));
    expect(account.users.has(USERNAME)).toBe(true);
    expect(mocks.table.identityIdOf(SUB)).toBe(IDENTITY_ID);
    account.beforeStep = () => undefined;
    clearIdentityCache();
    mocks.cognito.on(GetIdCommand).rejects(new Error('GetId must not be needed: the map row still names the identity'));
    expect((await deleteMe()).statusCode).toBe(204);
    expectAllGone();
  });

  test('GIVEN DeleteObjects reports a version it could not delete WHEN deleted THEN 500 and nothing after the objects is deleted', async () => {
    mocks.s3
      .on(DeleteObjectsCommand)
      .resolves({ Errors: [{ Key: `${IDENTITY_ID}/file-0.csv`, VersionId: 'v0', Code: 'AccessDenied', Message: 'Access Denied' }] });
    expect(parse(await deleteMe()).status).toBe(500);
    expect(mocks.cognito).not.toHaveReceivedCommand(DeleteIdentitiesCommand);
    expect(cognitoIdp).not.toHaveReceivedCommand(AdminDeleteUserCommand);
    expect(account.itemsOf('items-table', IDENTITY_ID)).toHaveLength(9);
  });

  test('GIVEN DeleteObjects reports versions already gone WHEN deleted THEN that is success', async () => {
    mocks.s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: `${IDENTITY_ID}/file-0.csv`, VersionId: 'v0', Code: 'NoSuchVersion' }] });
    account.versions = account.versions.filter((v) => !v.Key.startsWith(`${IDENTITY_ID}/`));
    account.addObject(`${IDENTITY_ID}/only.csv`, 1);
    mocks.s3.on(ListObjectVersionsCommand).resolvesOnce({ Versions: [{ Key: `${IDENTITY_ID}/only.csv`, VersionId: 'v0' }], IsTruncated: false });
    expect((await deleteMe()).statusCode).toBe(204);
  });

  test('GIVEN the time budget runs short WHEN deleted THEN 202 in_progress, identity and user kept; calling again finishes with 204', async () => {
    const first = parse(await deleteMe({}, contextRunningOut(2)));
    expect(first).toMatchObject({ status: 202, body: { status: 'in_progress' } });
    expect(account.versionsUnder(`${IDENTITY_ID}/`).length).toBeGreaterThan(0);
    expect(account.identities.has(IDENTITY_ID)).toBe(true);
    expect(account.users.has(USERNAME)).toBe(true);
    expect(mocks.cognito).not.toHaveReceivedCommand(DeleteIdentitiesCommand);
    expect((await deleteMe({}, contextRunningOut(1000))).statusCode).toBe(204);
    // Put again on the retry: still the one marker.
    expect(account.steps.filter((step) => step.startsWith('PutItem'))).toHaveLength(2);
    expectAllGone();
  });

  test('GIVEN the data is deleted just inside the budget WHEN no time is left for the final steps THEN 202, not a half-finished account', async () => {
    account.versions = [];
    account.tables['items-table'] = [];
    account.tables['upload-results'] = [];
    // Three reads to start each step (objects, items, results), then the check before the final steps.
    expect(parse(await deleteMe({}, contextRunningOut(3))).status).toBe(202);
    expect(account.identities.has(IDENTITY_ID)).toBe(true);
    expect(account.users.has(USERNAME)).toBe(true);
  });

  test("GIVEN an identity ID in the request WHEN deleted THEN it is ignored: only the token's identity is deleted", async () => {
    const response = await deleteMe({
      body: JSON.stringify({ identityId: OTHER_ID }),
      query: { identityId: OTHER_ID },
      pathParameters: { identityId: OTHER_ID },
    });
    expect(response.statusCode).toBe(204);
    expectOthersUntouched();
  });

  test.each([
    ['no claims', { claims: null }],
    ['no sub', { claims: { 'cognito:username': USERNAME, token_use: 'id' } }],
    ['no cognito:username', { claims: { sub: SUB, token_use: 'id' } }],
    ['an empty cognito:username', { claims: { sub: SUB, 'cognito:username': '', token_use: 'id' } }],
    ['a control character in cognito:username', { claims: { sub: SUB, 'cognito:username': 'al\u0000ice', token_use: 'id' } }],
    ['no Authorization header', { headers: {} }],
    ['an access token', { headers: { Authorization: idToken({ token_use: 'access' }) } }],
    ["another user's token", { headers: { Authorization: idToken({ sub: 'someone-else' }) } }],
  ] as const)('GIVEN %s WHEN deleted THEN 401 JSON error and no AWS call', async (_label, options) => {
    expectError(parse(await deleteMe(options)), 401, 'unauthorized');
    expect(mocks.awsCalls() + cognitoIdp.calls().length).toBe(0);
    expect(account.users.has(USERNAME)).toBe(true);
  });

  test('GIVEN no context clock (outside Lambda) WHEN deleted THEN it still completes within the fallback budget', async () => {
    expect((await deleteMe({}, { awsRequestId: 'x' } as Context)).statusCode).toBe(204);
    expect(mocks.dynamodb).toHaveReceivedCommandWith(DeleteItemCommand, { TableName: TEST_ENV.IDENTITY_MAP_TABLE, Key: { sub: { S: SUB } } });
  });
});
