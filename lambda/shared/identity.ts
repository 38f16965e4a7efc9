/**
 * Who is calling. The user pool authorizer has already verified the ID token
 * and put its claims in the event; the identity pool's identity ID (the S3
 * prefix) is resolved from that same token with Cognito Identity `GetId`, and
 * never taken from the request.
 */
import { CognitoIdentityClient, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import type { IdentityEnv } from './env';
import type { Caller } from './claims';
import { unauthorized } from './http';
import { lambdaCredentials } from './lambda-credentials';

export { callerOf, claimsOf, subOf, type Caller, type Claims } from './claims';

// The identity pool's region (its ID is `<region>:<uuid>`); falls back to AWS_REGION.
// A malformed IDENTITY_POOL_ID never reaches a call: readIdentityEnv fails closed first.
const cognitoIdentity = new CognitoIdentityClient({ region: process.env.IDENTITY_POOL_ID?.split(':')[0] || undefined, credentials: lambdaCredentials });

/** Warm-container cache: sub → identity ID, oldest entry evicted first. */
const MAX_CACHED_IDENTITIES = 1000;
const identityCache = new Map<string, string>();

/** For tests: forget cached identity IDs. */
export function clearIdentityCache(): void {
  identityCache.clear();
}

/**
 * Resolves the caller's identity ID with GetId. Cognito refusing the token
 * (NotAuthorizedException) is a 401; any other failure is a 500 without detail.
 */
export async function resolveIdentityId(caller: Caller, env: IdentityEnv): Promise<string> {
  const cached = identityCache.get(caller.sub);
  if (cached !== undefined) return cached;
  let identityId: string | undefined;
  try {
    const response = await cognitoIdentity.send(
      new GetIdCommand({ IdentityPoolId: env.identityPoolId, Logins: { [env.userPoolProviderName]: caller.idToken } }),
    );
    identityId = response.IdentityId;
  } catch (error) {
    if ((error as Error | undefined)?.name === 'NotAuthorizedException') throw unauthorized('The ID token was not accepted');
    throw error;
  }
  // Its length was used to bound key sizes before the call, so insist on the exact shape.
  if (typeof identityId !== 'string' || identityId.length !== env.identityIdLength || !identityId.startsWith(`${env.identityRegion}:`)
    || !/^[0-9a-f-]{36}$/.test(identityId.slice(env.identityRegion.length + 1))) {
    throw new IdentityShapeError();
  }
  if (identityCache.size >= MAX_CACHED_IDENTITIES) {
    identityCache.delete(identityCache.keys().next().value as string);
  }
  identityCache.set(caller.sub, identityId);
  return identityId;
}

class IdentityShapeError extends Error {
  constructor() {
    super('GetId returned an identity ID of an unexpected shape');
    this.name = 'IdentityShapeError';
  }
}
