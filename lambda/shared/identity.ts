/**
 * Who is calling. The user pool authorizer has already verified the ID token
 * and put its claims in the event; the identity pool's identity ID (the S3
 * prefix) is resolved from that same token, never taken from the request.
 *
 * GetId allows 25 requests per second per account and Region by default, so it
 * is called about once per user, not per request or per container:
 * 1. this container's cache (5 minutes, 1,000 callers);
 * 2. the shared table IDENTITY_MAP_TABLE (`sub` → identity ID);
 * 3. GetId with the caller's own verified ID token, then a write-once put to
 *    the table. Two concurrent first requests both call GetId; the conditional
 *    put lets exactly one write and hands the other the stored value.
 *
 * GetId is the authority: the identity pool's credentials reach only
 * `<bucket>/${cognito-identity.amazonaws.com:sub}/…`, the ID GetId returns, so
 * the API must use the same one. The table is only a record of that answer.
 * If the stored ID ever differs from what GetId just returned for the same
 * login (an identity deleted and re-created, or a writer other than this code),
 * neither is trusted: the request fails closed with a logged IdentityMismatchError
 * and an operator deletes the stale item (the next request maps it afresh).
 */
import { CognitoIdentityClient, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { isThrottledOrTransient, SDK_RETRY_SETTINGS } from './aws-retry';
import type { IdentityEnv } from './env';
import type { Caller } from './claims';
import { unauthorized, unavailable } from './http';
import { claimIdentityMapping, readIdentityMapping } from './identity-map';
import { lambdaCredentials } from './lambda-credentials';
import { TtlCache } from './ttl-cache';

export { callerOf, claimsOf, subOf, type Caller, type Claims } from './claims';

// The identity pool's region (its ID is `<region>:<uuid>`); falls back to AWS_REGION.
// A malformed IDENTITY_POOL_ID never reaches a call: readIdentityEnv fails closed first.
const cognitoIdentity = new CognitoIdentityClient({
  region: process.env.IDENTITY_POOL_ID?.split(':')[0] || undefined,
  credentials: lambdaCredentials,
  ...SDK_RETRY_SETTINGS,
});

export const IDENTITY_CACHE_TTL_MS = 5 * 60 * 1000;
export const MAX_CACHED_IDENTITIES = 1000;
/** All look-ups and retries of one resolution stop here, leaving the rest of the 10 s handler timeout for S3. */
export const IDENTITY_DEADLINE_MS = 5000;

let identityCache = new TtlCache<string>(MAX_CACHED_IDENTITIES, IDENTITY_CACHE_TTL_MS);

/** For tests: forget cached identity IDs, optionally with a fake clock (ms since the epoch). */
export function clearIdentityCache(now?: () => number): void {
  identityCache = new TtlCache<string>(MAX_CACHED_IDENTITIES, IDENTITY_CACHE_TTL_MS, now);
}

/**
 * The caller's identity ID. Cognito refusing the token (NotAuthorizedException)
 * is a 401; throttling or transient failures of Cognito Identity or DynamoDB,
 * after the SDK's bounded retries, are a 503 with Retry-After; anything else,
 * including an identity ID of the wrong shape or a mismatch, is a 500.
 */
export async function resolveIdentityId(caller: Caller, env: IdentityEnv): Promise<string> {
  const cached = identityCache.get(caller.sub);
  if (cached !== undefined) return cached;
  const abortSignal = AbortSignal.timeout(IDENTITY_DEADLINE_MS);

  const stored = await busyAs503(() => readIdentityMapping(env.identityMapTable, caller.sub, abortSignal));
  if (stored !== undefined) {
    identityCache.set(caller.sub, checkShape(stored, env, 'the identity map table'));
    return stored;
  }

  const fromCognito = checkShape(await getId(caller, env, abortSignal), env, 'GetId');
  const agreed = await busyAs503(() => claimIdentityMapping(env.identityMapTable, caller.sub, fromCognito, new Date(), abortSignal));
  if (agreed !== fromCognito) throw new IdentityMismatchError(caller.sub, agreed, fromCognito);
  identityCache.set(caller.sub, fromCognito);
  return fromCognito;
}

async function getId(caller: Caller, env: IdentityEnv, abortSignal: AbortSignal): Promise<unknown> {
  try {
    const response = await cognitoIdentity.send(
      new GetIdCommand({ IdentityPoolId: env.identityPoolId, Logins: { [env.userPoolProviderName]: caller.idToken } }),
      { abortSignal },
    );
    return response.IdentityId;
  } catch (error) {
    if ((error as Error | undefined)?.name === 'NotAuthorizedException') throw unauthorized('The ID token was not accepted');
    if (isThrottledOrTransient(error)) throw unavailable(error);
    throw error;
  }
}

async function busyAs503<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isThrottledOrTransient(error)) throw unavailable(error);
    throw error;
  }
}

/** Its length was used to bound key sizes before any call, so insist on the exact shape. */
function checkShape(identityId: unknown, env: IdentityEnv, source: string): string {
  if (
    typeof identityId !== 'string' ||
    identityId.length !== env.identityIdLength ||
    !identityId.startsWith(`${env.identityRegion}:`) ||
    !/^[0-9a-f-]{36}$/.test(identityId.slice(env.identityRegion.length + 1))
  ) {
    throw new IdentityShapeError(source);
  }
  return identityId;
}

class IdentityShapeError extends Error {
  constructor(source: string) {
    super(`${source} returned an identity ID of an unexpected shape`);
    this.name = 'IdentityShapeError';
  }
}

/** The table and GetId disagree for one login; logged (IDs only, no token) and answered as a 500. */
export class IdentityMismatchError extends Error {
  constructor(sub: string, stored: string | undefined, fromGetId: string) {
    super(`identity map item for sub ${sub} holds ${stored ?? 'no identityId'} but GetId returned ${fromGetId}; delete the stale item`);
    this.name = 'IdentityMismatchError';
  }
}
