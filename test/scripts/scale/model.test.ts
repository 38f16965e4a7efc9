/** The load model's arithmetic on cases small enough to work by hand. */
import { loadScaleInputs, type ScaleInputs } from '../../../scripts/bench/scale/inputs';
import { loadsForSize, monthlyCost, peakFactor, peakRps, perDauPerDay } from '../../../scripts/bench/scale/model';
import { countIdentityCalls, simulatePeakHour, type SimRequest } from '../../../scripts/bench/scale/getid-simulation';

const REAL = loadScaleInputs();
const NO_HANDLER = { getIdPerRequest: 0, getItemPerRequest: 0, putItemPerRequest: 0 };

/** A workload where one DAU makes 1 of everything per active hour, with a flat curve. */
function tiny(): ScaleInputs {
  const w = JSON.parse(JSON.stringify(REAL.workload));
  const set = (key: string, value: unknown) => {
    w[key].value = value;
  };
  set('dauPerMau', 0.5);
  set('signInsPerDau', 1);
  set('federatedSignInShare', 0);
  set('respondToAuthChallengePerSrpSignIn', 2);
  set('getUserPerSignIn', 1);
  set('activeHoursPerDau', 2);
  set('credentialRefreshesPerActiveHour', 1);
  set('clientGetIdPerCredentialRefresh', 1);
  set('apiRequestsPerActiveHour', 100);
  set('apiRouteShare', { ListFiles: 0.5, GetFile: 0.5, CreateUploadUrl: 0, DeleteFile: 0, Me: 0 });
  set('directS3PutsPerActiveHour', 0);
  set('directS3GetsPerActiveHour', 0);
  set('directDynamoReadsPerActiveHour', 0);
  set('directDynamoWritesPerActiveHour', 0);
  set('lambdaAverageMs', 100);
  set('lambdaMemoryMb', 1024);
  set('storageGbPerMau', 0);
  set('dynamoGbPerMau', 0);
  set('newUsersPerMonthPerMau', 0);
  set('hourlyTrafficCurve', Array(24).fill(1));
  return { ...REAL, workload: w };
}

const STAGE = { name: 'prod', rateLimit: 100, idTokenMinutes: 30 };

describe('load model arithmetic', () => {
  test('GIVEN a flat curve and one with a doubled hour WHEN the peak factor is taken THEN 1 and 48/25', () => {
    expect(peakFactor(Array(24).fill(1))).toBe(1);
    expect(peakFactor([2, ...Array(23).fill(1)])).toBeCloseTo(2 / (25 / 24), 12);
  });

  test('GIVEN 86,400 users doing something once a day at peak factor 2 WHEN the peak rate is taken THEN 2 per second', () => {
    expect(peakRps(86_400, 1, 2)).toBe(2);
  });

  test('GIVEN 2 active hours, 30-minute ID tokens, one SRP sign-in WHEN counted THEN 1 + 4 InitiateAuth, 2 challenges, 3 credential refreshes, 200 API calls', () => {
    expect(perDauPerDay(tiny().workload, 30)).toMatchObject({
      initiateAuth: 5,
      respondToAuthChallenge: 2,
      getUser: 1,
      clientGetId: 3,
      getCredentialsForIdentity: 3,
      apiRequests: 200,
    });
  });

  test('GIVEN 172,800 MAU (86,400 DAU) WHEN loaded THEN per-day counts become per-second rates, and Lambda concurrency is rps x 0.1 s', () => {
    const result = loadsForSize(tiny(), 172_800, [STAGE], STAGE, NO_HANDLER);
    const peak = (key: string) => result.loads.find((l) => l.key === key)!.peak;
    expect(peak('cognitoUserAuthentication')).toBe(5);
    expect(peak('cognitoRespondToAuthChallenge')).toBe(2);
    expect(peak('cognitoGetId')).toBe(3);
    expect(peak('apiGatewayAccount')).toBe(200);
    expect(peak('stage:prod')).toBe(200);
    expect(peak('lambdaConcurrency')).toBeCloseTo(20, 12);
    // 200 of 100 on the stage is the highest ratio of all.
    expect(result.firstToBind.key).toBe('stage:prod');
  });

  test("GIVEN handler GetId on 1 in 100 identity requests WHEN loaded THEN it adds to the clients' GetId", () => {
    const result = loadsForSize(tiny(), 172_800, [STAGE], STAGE, { getIdPerRequest: 0.01, getItemPerRequest: 0.5, putItemPerRequest: 0.01 });
    expect(result.loads.find((l) => l.key === 'cognitoGetId')!.peak).toBeCloseTo(3 + 200 * 0.01, 12);
    expect(result.loads.find((l) => l.key === 'dynamodbTableRead')!.peak).toBeCloseTo(100, 12);
  });

  test('GIVEN 1,000 MAU, 500 DAU x 30 days x 200 calls = 3 M calls WHEN costed THEN API Gateway, Lambda and Cognito follow the unit prices', () => {
    const cost = monthlyCost(tiny(), 1000, STAGE, NO_HANDLER);
    expect(cost.apiGateway).toBeCloseTo(3 * REAL.prices.apiGatewayRestPerMillion.value, 9);
    // 3 M x 0.1 s x 1 GB = 300,000 GB-s, plus 3 M invocations.
    expect(cost.lambda).toBeCloseTo(300_000 * REAL.prices.lambdaArmPerGbSecond.value + 3 * REAL.prices.lambdaPerMillionRequests.value, 9);
    expect(cost.cognitoPlus).toBeCloseTo(1000 * REAL.prices.cognitoPlusPerMau.value, 9);
    expect(cost.cognitoEssentials).toBe(0); // inside the free tier
    // ListFiles (1.5 M LIST, PUT class) and GetFile (1.5 M x HEAD + GET).
    expect(cost.s3).toBeCloseTo(1500 * REAL.prices.s3PutPerThousand.value + 3000 * REAL.prices.s3GetPerThousand.value, 9);
  });
});

describe('GetId simulation', () => {
  const req = (user: number, container: number, atMs: number, fn = 0): SimRequest => ({ user, fn, container, atMs });

  test('GIVEN one user over 3 containers of one function, then 3 of another WHEN counted THEN before = 6 GetId, after = 1 GetId and 6 GetItem', () => {
    const counts = countIdentityCalls(
      [0, 1, 2].flatMap((c) => [req(7, c, 0), req(7, c, 1)]).concat([0, 1, 2].map((c) => req(7, c, 2, 1))),
      300_000,
      () => false,
    );
    expect(counts).toEqual({ requests: 9, beforeGetId: 6, afterGetId: 1, afterGetItem: 6, afterPutItem: 1 });
  });

  test('GIVEN a user already in the table WHEN counted THEN after needs no GetId at all', () => {
    expect(countIdentityCalls([req(1, 0, 0)], 300_000, () => true)).toMatchObject({ beforeGetId: 1, afterGetId: 0, afterGetItem: 1 });
  });

  test('GIVEN one container and requests 5 minutes apart WHEN counted THEN the cache expiry costs a GetItem each time, never a second GetId', () => {
    const counts = countIdentityCalls([req(1, 0, 0), req(1, 0, 299_999), req(1, 0, 300_000), req(1, 0, 600_000)], 300_000, () => false);
    expect(counts).toMatchObject({ beforeGetId: 1, afterGetItem: 3, afterGetId: 1 });
  });

  test('GIVEN the same seed WHEN simulated twice THEN identical counts (the printed table is reproducible)', () => {
    const hour = { users: 50, requestsPerUser: 20, functions: [{ share: 1, containers: 4 }], unmappedShare: 0.1, cacheTtlMs: 300_000, seed: 1 };
    const first = simulatePeakHour(hour);
    expect(simulatePeakHour(hour)).toEqual(first);
    expect(first.requests).toBe(1000);
    expect(first.afterGetId).toBeLessThanOrEqual(5);
    expect(first.beforeGetId).toBeGreaterThan(first.afterGetId);
  });
});
