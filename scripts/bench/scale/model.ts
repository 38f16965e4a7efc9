/**
 * The load model's arithmetic: per-user daily counts → peak request rates per
 * quota, Lambda concurrency, monthly cost. Pure functions of the inputs.
 */
import type { QuotaKey, Route, ScaleInputs, Workload } from './inputs';

export const SECONDS_PER_DAY = 86_400;
export const DAYS_PER_MONTH = 30;
/** Routes whose handler resolves an identity ID (GET /me reads only the claims). */
export const IDENTITY_ROUTES: readonly Route[] = ['ListFiles', 'GetFile', 'CreateUploadUrl', 'DeleteFile'];

/** Busiest hour over the mean hour of a daily curve of relative weights. */
export function peakFactor(curve: readonly number[]): number {
  const mean = curve.reduce((sum, w) => sum + w, 0) / curve.length;
  return Math.max(...curve) / mean;
}

/** Peak requests per second of something each of `users` does `perUserPerDay` times a day. */
export function peakRps(users: number, perUserPerDay: number, factor: number): number {
  return ((users * perUserPerDay) / SECONDS_PER_DAY) * factor;
}

/** What one daily active user does in a day (counts), given the stage's ID token lifetime. */
export function perDauPerDay(w: Workload, idTokenMinutes: number) {
  const hours = w.activeHoursPerDau.value;
  const signIns = w.signInsPerDau.value;
  const srpSignIns = signIns * (1 - w.federatedSignInShare.value);
  const tokenRefreshes = hours * (60 / idTokenMinutes);
  const credentialRefreshes = signIns + hours * w.credentialRefreshesPerActiveHour.value;
  const apiRequests = hours * w.apiRequestsPerActiveHour.value;
  return {
    initiateAuth: srpSignIns + tokenRefreshes,
    respondToAuthChallenge: srpSignIns * w.respondToAuthChallengePerSrpSignIn.value,
    federatedSignIns: signIns * w.federatedSignInShare.value,
    getUser: signIns * w.getUserPerSignIn.value,
    clientGetId: credentialRefreshes * w.clientGetIdPerCredentialRefresh.value,
    getCredentialsForIdentity: credentialRefreshes,
    apiRequests,
    directS3Puts: hours * w.directS3PutsPerActiveHour.value,
    directS3Gets: hours * w.directS3GetsPerActiveHour.value,
    directDynamoReads: hours * w.directDynamoReadsPerActiveHour.value,
    directDynamoWrites: hours * w.directDynamoWritesPerActiveHour.value,
  };
}

/** Identity-map traffic of the handlers per identity-resolving API request (from the simulation). */
export interface HandlerIdentityRates {
  readonly getIdPerRequest: number;
  readonly getItemPerRequest: number;
  readonly putItemPerRequest: number;
}

export interface QuotaLoad {
  readonly key: QuotaKey | `stage:${string}`;
  readonly label: string;
  readonly limit: number;
  readonly peak: number;
  readonly advice: string;
}

export interface SizeResult {
  readonly mau: number;
  readonly peakFactor: number;
  readonly apiPeakRps: number;
  /** Peak rate of the requests that resolve an identity ID. */
  readonly identityApiPeakRps: number;
  readonly loads: readonly QuotaLoad[];
  readonly firstToBind: QuotaLoad;
  readonly cost: MonthlyCost;
}

export interface StageLimits {
  readonly name: string;
  readonly rateLimit: number;
  readonly idTokenMinutes: number;
}

/** Peak load on every quota for one size (`mau` monthly active users) of one stage. */
export function loadsForSize(
  inputs: ScaleInputs,
  mau: number,
  stages: readonly StageLimits[],
  modelled: StageLimits,
  handler: HandlerIdentityRates,
): SizeResult {
  const w = inputs.workload;
  const q = inputs.quotas;
  const factor = peakFactor(w.hourlyTrafficCurve.value);
  const dau = mau * w.dauPerMau.value;
  const day = perDauPerDay(w, modelled.idTokenMinutes);
  const rps = (perDay: number) => peakRps(dau, perDay, factor);
  const share = w.apiRouteShare.value;
  const identityShare = IDENTITY_ROUTES.reduce((sum, r) => sum + share[r], 0);

  const api = rps(day.apiRequests);
  const identityApi = api * identityShare;
  const handlerGetId = identityApi * handler.getIdPerRequest;
  const handlerGetItem = identityApi * handler.getItemPerRequest;
  const handlerPutItem = identityApi * handler.putItemPerRequest;
  const signUps = peakRps(mau, (w.newUsersPerMonthPerMau.value * 2) / DAYS_PER_MONTH, factor);

  // The busiest single user, on their own S3 prefix and DynamoDB partition.
  const burstSeconds = 3600 * w.busiestUserShareOfHour.value;
  const userApiPerHour = w.apiRequestsPerActiveHour.value;
  const userPutsPerSecond = (w.directS3PutsPerActiveHour.value + userApiPerHour * (share.CreateUploadUrl + share.ListFiles + share.DeleteFile)) / burstSeconds;
  const userGetsPerSecond = (w.directS3GetsPerActiveHour.value + userApiPerHour * share.GetFile * 2) / burstSeconds;

  const quota = (key: QuotaKey, peak: number): QuotaLoad => ({ key, label: q[key].label, limit: q[key].value, peak, advice: q[key].advice });
  const loads: QuotaLoad[] = [
    quota('cognitoUserAuthentication', rps(day.initiateAuth)),
    quota('cognitoRespondToAuthChallenge', rps(day.respondToAuthChallenge)),
    quota('cognitoUserCreation', signUps),
    quota('cognitoUserAccountRead', rps(day.getUser)),
    quota('cognitoUserFederation', rps(day.federatedSignIns)),
    quota('cognitoGetId', rps(day.clientGetId) + handlerGetId),
    quota('cognitoGetCredentialsForIdentity', rps(day.getCredentialsForIdentity)),
    quota('apiGatewayAccount', api),
    ...stages.map((stage): QuotaLoad => ({
      key: `stage:${stage.name}`,
      label: `API Gateway stage throttle, ${stage.name} config`,
      limit: stage.rateLimit,
      peak: api,
      advice: `raise api.throttling.rateLimit in config/${stage.name}.json (and the burst)`,
    })),
    quota('lambdaConcurrency', api * (w.lambdaAverageMs.value / 1000)),
    quota('dynamodbTableRead', rps(day.directDynamoReads) + handlerGetItem),
    quota('dynamodbTableWrite', rps(day.directDynamoWrites) + handlerPutItem),
    quota('dynamodbPartitionRead', w.directDynamoReadsPerActiveHour.value / burstSeconds),
    quota('dynamodbPartitionWrite', w.directDynamoWritesPerActiveHour.value / burstSeconds),
    quota('s3PrefixPut', userPutsPerSecond),
    quota('s3PrefixGet', userGetsPerSecond),
  ];
  // Other stages' throttles are shown for comparison; only the modelled stage's can bind.
  const binding = loads.filter((load) => !load.key.startsWith('stage:') || load.key === `stage:${modelled.name}`);
  const firstToBind = binding.reduce((worst, load) => (load.peak / load.limit > worst.peak / worst.limit ? load : worst));
  return { mau, peakFactor: factor, apiPeakRps: api, identityApiPeakRps: identityApi, loads, firstToBind, cost: monthlyCost(inputs, mau, modelled, handler) };
}

export interface MonthlyCost {
  readonly cognitoEssentials: number;
  readonly cognitoPlus: number;
  readonly apiGateway: number;
  readonly lambda: number;
  readonly dynamodb: number;
  readonly s3: number;
  /** Everything but Cognito, so either plan can be added. */
  readonly infrastructure: number;
}

/** Monthly list-price cost in USD of one stage at `mau` monthly active users. */
export function monthlyCost(inputs: ScaleInputs, mau: number, stage: StageLimits, handler: HandlerIdentityRates): MonthlyCost {
  const w = inputs.workload;
  const p = inputs.prices;
  const share = w.apiRouteShare.value;
  const dauDays = mau * w.dauPerMau.value * DAYS_PER_MONTH;
  const day = perDauPerDay(w, stage.idTokenMinutes);
  const api = dauDays * day.apiRequests;
  const identityApi = api * IDENTITY_ROUTES.reduce((sum, r) => sum + share[r], 0);

  const apiGateway = (api / 1e6) * p.apiGatewayRestPerMillion.value;
  const lambda =
    api * (w.lambdaAverageMs.value / 1000) * (w.lambdaMemoryMb.value / 1024) * p.lambdaArmPerGbSecond.value + (api / 1e6) * p.lambdaPerMillionRequests.value;
  const ddbReads = dauDays * day.directDynamoReads + identityApi * handler.getItemPerRequest;
  const ddbWrites = dauDays * day.directDynamoWrites + identityApi * handler.putItemPerRequest;
  const dynamodb =
    (ddbReads / 1e6) * p.dynamodbPerMillionReads.value +
    (ddbWrites / 1e6) * p.dynamodbPerMillionWrites.value +
    mau * w.dynamoGbPerMau.value * p.dynamodbStoragePerGbMonth.value;
  // Presigned uploads, LIST and DELETE requests are billed in the PUT class; GetFile is a HEAD plus the presigned GET.
  const s3Puts = dauDays * day.directS3Puts + api * (share.CreateUploadUrl + share.ListFiles + share.DeleteFile);
  const s3Gets = dauDays * day.directS3Gets + api * share.GetFile * 2;
  const s3 =
    (s3Puts / 1000) * p.s3PutPerThousand.value + (s3Gets / 1000) * p.s3GetPerThousand.value + mau * w.storageGbPerMau.value * p.s3StoragePerGbMonth.value;
  return {
    cognitoEssentials: Math.max(0, mau - p.cognitoEssentialsFreeMau.value) * p.cognitoEssentialsPerMau.value,
    cognitoPlus: mau * p.cognitoPlusPerMau.value,
    apiGateway,
    lambda,
    dynamodb,
    s3,
    infrastructure: apiGateway + lambda + dynamodb + s3,
  };
}
