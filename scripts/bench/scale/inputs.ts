/** The model's inputs (bench/scale/inputs.json): quotas and prices with a source URL each, workload assumptions with a reason each. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Sourced {
  readonly value: number;
  readonly unit: string;
  readonly source: string;
}
export interface Quota extends Sourced {
  readonly label: string;
  readonly advice: string;
}
export interface Assumption<T = number> {
  readonly value: T;
  readonly reason: string;
}

export type QuotaKey =
  | 'cognitoUserAuthentication'
  | 'cognitoRespondToAuthChallenge'
  | 'cognitoUserCreation'
  | 'cognitoUserAccountRead'
  | 'cognitoUserFederation'
  | 'cognitoGetId'
  | 'cognitoGetCredentialsForIdentity'
  | 'apiGatewayAccount'
  | 'lambdaConcurrency'
  | 'dynamodbPartitionWrite'
  | 'dynamodbPartitionRead'
  | 'dynamodbTableWrite'
  | 'dynamodbTableRead'
  | 's3PrefixPut'
  | 's3PrefixGet';

export type PriceKey =
  | 'cognitoEssentialsPerMau'
  | 'cognitoEssentialsFreeMau'
  | 'cognitoPlusPerMau'
  | 'apiGatewayRestPerMillion'
  | 'lambdaArmPerGbSecond'
  | 'lambdaPerMillionRequests'
  | 'dynamodbPerMillionWrites'
  | 'dynamodbPerMillionReads'
  | 'dynamodbStoragePerGbMonth'
  | 's3PutPerThousand'
  | 's3GetPerThousand'
  | 's3StoragePerGbMonth';

export type Route = 'ListFiles' | 'GetFile' | 'CreateUploadUrl' | 'DeleteFile' | 'Me';

export interface Workload {
  readonly dauPerMau: Assumption;
  readonly newUsersPerMonthPerMau: Assumption;
  readonly signInsPerDau: Assumption;
  readonly federatedSignInShare: Assumption;
  readonly respondToAuthChallengePerSrpSignIn: Assumption;
  readonly getUserPerSignIn: Assumption;
  readonly activeHoursPerDau: Assumption;
  readonly credentialRefreshesPerActiveHour: Assumption;
  readonly clientGetIdPerCredentialRefresh: Assumption;
  readonly apiRequestsPerActiveHour: Assumption;
  readonly apiRouteShare: Assumption<Record<Route, number>>;
  readonly directS3PutsPerActiveHour: Assumption;
  readonly directS3GetsPerActiveHour: Assumption;
  readonly directDynamoReadsPerActiveHour: Assumption;
  readonly directDynamoWritesPerActiveHour: Assumption;
  readonly busiestUserShareOfHour: Assumption;
  readonly lambdaAverageMs: Assumption;
  readonly lambdaMemoryMb: Assumption;
  readonly warmContainersPerConcurrency: Assumption;
  readonly storageGbPerMau: Assumption;
  readonly dynamoGbPerMau: Assumption;
  readonly hourlyTrafficCurve: Assumption<number[]>;
  readonly identityCacheMinutes: Assumption;
}

export interface ScaleInputs {
  readonly sizes: readonly number[];
  readonly quotas: Record<QuotaKey, Quota>;
  readonly prices: Record<PriceKey, Sourced>;
  readonly workload: Workload;
}

export const INPUTS_FILE = path.resolve(__dirname, '..', '..', '..', 'bench', 'scale', 'inputs.json');

/** Reads the inputs and insists every quota and price names its source. */
export function loadScaleInputs(file: string = INPUTS_FILE): ScaleInputs {
  const inputs = JSON.parse(fs.readFileSync(file, 'utf8')) as ScaleInputs;
  for (const [name, entry] of [...Object.entries(inputs.quotas), ...Object.entries(inputs.prices)]) {
    if (typeof entry.value !== 'number' || !/^https:\/\//.test(entry.source ?? ''))
      throw new Error(`${file}: ${name} needs a numeric value and an https source`);
  }
  return inputs;
}
