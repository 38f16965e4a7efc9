import '../../../scripts/fixtures/env';
import 'aws-sdk-client-mock-jest';
import { GetIdCommand, LimitExceededException, NotAuthorizedException, TooManyRequestsException } from '@aws-sdk/client-cognito-identity';
import { GetItemCommand, InternalServerError, ProvisionedThroughputExceededException, PutItemCommand, ThrottlingException } from '@aws-sdk/client-dynamodb';
import { readIdentityEnv } from '../../../lambda/shared/env';
import { callerOf, clearIdentityCache, IDENTITY_CACHE_TTL_MS, resolveIdentityId } from '../../../lambda/shared/identity';
import { TEST_ENV } from '../../../scripts/fixtures/env';
import { apiEvent, IDENTITY_ID, idToken, setUpMocks, SUB, TOKEN } from '../../../scripts/fixtures/events';

const mocks = setUpMocks();
const ENV = readIdentityEnv(TEST_ENV);
const OTHER_IDENTITY_ID = 'eu-west-1:00000000-1111-4222-8333-444444444444';

describe('caller identity', () => {
  test.each([
    ['a raw token', TOKEN],
    ['a Bearer token', `Bearer ${TOKEN}`],
    ['a BEARER token with extra spaces', `BEARER   ${TOKEN}`],
  ])('GIVEN %s WHEN read THEN the raw token and sub', (_label, authorization) => {
    expect(callerOf(apiEvent({ headers: { Authorization: authorization } }))).toEqual({ sub: SUB, idToken: TOKEN });
  });

  test.each([
    ['no headers', null],
    ['Basic auth', { Authorization: 'Basic dXNlcjpwYXNz' }],
    ['a token with a payload that is not JSON', { Authorization: 'aaa.bm90LWpzb24.ccc' }],
    ['a token for another sub', { Authorization: idToken({ sub: 'other' }) }],
    ['an access token', { Authorization: idToken({ token_use: 'access' }) }],
  ])('GIVEN %s WHEN read THEN 401', (_label, headers) => {
    expect(() => callerOf(apiEvent({ headers }))).toThrow(expect.objectContaining({ status: 401, code: 'unauthorized' }));
  });

  test('GIVEN more distinct callers than the cache holds WHEN resolved THEN the oldest entry is evicted and re-read from the table, not GetId', async () => {
    for (let i = 0; i <= 1000; i++) await resolveIdentityId({ sub: `user-${i}`, idToken: TOKEN }, ENV);
    expect(mocks.cognito).toHaveReceivedCommandTimes(GetIdCommand, 1001);
    expect(mocks.dynamodb).toHaveReceivedCommandTimes(GetItemCommand, 1001);
    await resolveIdentityId({ sub: 'user-1000', idToken: TOKEN }, ENV);
    expect(mocks.dynamodb).toHaveReceivedCommandTimes(GetItemCommand, 1001);
    expect(await resolveIdentityId({ sub: 'user-0', idToken: TOKEN }, ENV)).toBe(IDENTITY_ID);
    expect(mocks.dynamodb).toHaveReceivedCommandTimes(GetItemCommand, 1002);
    expect(mocks.cognito).toHaveReceivedCommandTimes(GetIdCommand, 1001);
  });
});

describe('identity resolution order: cache, table, GetId', () => {
  const CALLER = { sub: SUB, idToken: TOKEN };

  test('GIVEN a first request WHEN resolved THEN GetId gets the caller token and the mapping is written once, conditionally', async () => {
    expect(await resolveIdentityId(CALLER, ENV)).toBe(IDENTITY_ID);
    expect(mocks.cognito).toHaveReceivedCommandWith(GetIdCommand, {
      IdentityPoolId: TEST_ENV.IDENTITY_POOL_ID,
      Logins: { [TEST_ENV.USER_POOL_PROVIDER_NAME]: TOKEN },
    });
    expect(mocks.dynamodb).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: TEST_ENV.IDENTITY_MAP_TABLE,
      Item: { sub: { S: SUB }, identityId: { S: IDENTITY_ID }, createdAt: { S: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } },
      ConditionExpression: 'attribute_not_exists(#sub)',
      ExpressionAttributeNames: { '#sub': 'sub' },
    });
    expect(mocks.table.identityIdOf(SUB)).toBe(IDENTITY_ID);
  });

  test('GIVEN a mapping in the table WHEN resolved on a cold cache THEN it is used and GetId is not called', async () => {
    mocks.table.put(SUB, OTHER_IDENTITY_ID);
    expect(await resolveIdentityId(CALLER, ENV)).toBe(OTHER_IDENTITY_ID);
    expect(mocks.cognito).toHaveReceivedCommandTimes(GetIdCommand, 0);
    expect(mocks.dynamodb).toHaveReceivedCommandTimes(PutItemCommand, 0);
  });

  test('GIVEN two callers on one warm container WHEN each resolves twice THEN each gets their own identity ID', async () => {
    const bob = 'b0b00000-0000-4000-8000-000000000002';
    const bobToken = idToken({ sub: bob });
    mocks.cognito.on(GetIdCommand, { Logins: { [TEST_ENV.USER_POOL_PROVIDER_NAME]: bobToken } }).resolves({ IdentityId: OTHER_IDENTITY_ID });
    for (let round = 0; round < 2; round++) {
      expect(await resolveIdentityId(CALLER, ENV)).toBe(IDENTITY_ID);
      expect(await resolveIdentityId({ sub: bob, idToken: bobToken }, ENV)).toBe(OTHER_IDENTITY_ID);
    }
    expect(mocks.cognito).toHaveReceivedCommandTimes(GetIdCommand, 2);
  });

  test('GIVEN a cached identity WHEN the cache TTL passes THEN the next request reads the table again (and only then)', async () => {
    let now = 1_000_000;
    clearIdentityCache(() => now);
    await resolveIdentityId(CALLER, ENV);
    now += IDENTITY_CACHE_TTL_MS - 1;
    await resolveIdentityId(CALLER, ENV);
    expect(mocks.dynamodb).toHaveReceivedCommandTimes(GetItemCommand, 1);
    now += 1;
    await resolveIdentityId(CALLER, ENV);
    expect(mocks.dynamodb).toHaveReceivedCommandTimes(GetItemCommand, 2);
    expect(mocks.cognito).toHaveReceivedCommandTimes(GetIdCommand, 1);
  });

  test('GIVEN two concurrent first requests WHEN both miss the table THEN both call GetId, one write wins and both get the same ID', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = 0;
    mocks.cognito.on(GetIdCommand).callsFake(async () => {
      started++;
      if (started === 2) release();
      await gate;
      return { IdentityId: IDENTITY_ID };
    });
    const [first, second] = await Promise.all([resolveIdentityId(CALLER, ENV), resolveIdentityId(CALLER, ENV)]);
    expect([first, second]).toEqual([IDENTITY_ID, IDENTITY_ID]);
    expect(mocks.cognito).toHaveReceivedCommandTimes(GetIdCommand, 2);
    expect(mocks.dynamodb).toHaveReceivedCommandTimes(PutItemCommand, 2);
    expect(mocks.table.items.size).toBe(1);
  });

  test('GIVEN the table gains a different ID between the miss and the write WHEN resolved THEN it fails closed with IdentityMismatchError and caches nothing', async () => {
    mocks.cognito.on(GetIdCommand).callsFake(async () => {
      mocks.table.put(SUB, OTHER_IDENTITY_ID);
      return { IdentityId: IDENTITY_ID };
    });
    await expect(resolveIdentityId(CALLER, ENV)).rejects.toMatchObject({ name: 'IdentityMismatchError', message: expect.stringContaining(OTHER_IDENTITY_ID) });
    expect(mocks.table.identityIdOf(SUB)).toBe(OTHER_IDENTITY_ID);
    // Nothing was cached from the failed request: the next one goes back to the table.
    await resolveIdentityId(CALLER, ENV);
    expect(mocks.dynamodb).toHaveReceivedCommandTimes(GetItemCommand, 2);
  });

  test('GIVEN a malformed identity ID in the table WHEN resolved THEN it fails closed without trusting it or calling GetId', async () => {
    mocks.table.put(SUB, 'eu-west-1:../../x');
    await expect(resolveIdentityId(CALLER, ENV)).rejects.toMatchObject({ name: 'IdentityShapeError' });
    expect(mocks.cognito).toHaveReceivedCommandTimes(GetIdCommand, 0);
  });

  test('GIVEN GetId returns a malformed identity ID WHEN resolved THEN nothing is written to the table', async () => {
    mocks.cognito.on(GetIdCommand).resolves({ IdentityId: 'eu-west-1:../../x' });
    await expect(resolveIdentityId(CALLER, ENV)).rejects.toMatchObject({ name: 'IdentityShapeError' });
    expect(mocks.dynamodb).toHaveReceivedCommandTimes(PutItemCommand, 0);
  });

  test('GIVEN Cognito refuses the token WHEN resolved THEN 401 and nothing is written to the table', async () => {
    mocks.cognito.on(GetIdCommand).rejects(new NotAuthorizedException({ message: 'Token expired', $metadata: {} }));
    await expect(resolveIdentityId(CALLER, ENV)).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(mocks.table.items.size).toBe(0);
  });

  test.each([
    ['GetId throttled (TooManyRequestsException)', 'cognito', new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } })],
    ['GetId over its limit (LimitExceededException)', 'cognito', new LimitExceededException({ message: 'Limit exceeded', $metadata: { httpStatusCode: 400 } })],
    [
      'GetItem throttled (ProvisionedThroughputExceededException)',
      'dynamodb',
      new ProvisionedThroughputExceededException({ message: 'Throughput exceeded', $metadata: { httpStatusCode: 400 } }),
    ],
    ['GetItem throttled (ThrottlingException)', 'dynamodb', new ThrottlingException({ message: 'Throttled', $metadata: { httpStatusCode: 400 } })],
    ['GetItem failing with a 500', 'dynamodb', new InternalServerError({ message: 'Internal', $metadata: { httpStatusCode: 500 } })],
  ] as const)('GIVEN %s after the SDK retries WHEN resolved THEN 503 unavailable with Retry-After', async (_label, client, error) => {
    if (client === 'cognito') mocks.cognito.on(GetIdCommand).rejects(error);
    else mocks.dynamodb.on(GetItemCommand).rejects(error);
    await expect(resolveIdentityId(CALLER, ENV)).rejects.toMatchObject({ status: 503, code: 'unavailable', headers: { 'Retry-After': '2' }, cause: error });
  });
});
