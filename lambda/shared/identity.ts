/**
 * Who is calling. The user pool authorizer has already verified the ID token
 * and put its claims in the event; the identity pool's identity ID (the S3
 * prefix) is resolved from that same token with Cognito Identity `GetId`, and
 * never taken from the request.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { CognitoIdentityClient, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import type { IdentityEnv } from './env';
import { header, unauthorized } from './http';

// The identity pool's region (its ID is `<region>:<uuid>`); falls back to AWS_REGION.
// A malformed IDENTITY_POOL_ID never reaches a call: readIdentityEnv fails closed first.
const cognitoIdentity = new CognitoIdentityClient({ region: process.env.IDENTITY_POOL_ID?.split(':')[0] || undefined });

export type Claims = Readonly<Record<string, unknown>>;

export interface Caller {
  readonly sub: string;
  /** The raw ID token from `Authorization`; pass only to GetId, never log it. */
  readonly idToken: string;
}

const MAX_TOKEN_CHARS = 16 * 1024;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+$/;
const SUB = /^[\w-]{1,128}$/;

/** The authorizer's claims, or an empty object when the event has none. */
export function claimsOf(event: APIGatewayProxyEvent): Claims {
  const claims: unknown = event?.requestContext?.authorizer?.claims;
  return claims !== null && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Claims) : {};
}

/** The verified `sub` claim; 401 when absent or odd. */
export function subOf(claims: Claims): string {
  const sub = claims.sub;
  if (typeof sub !== 'string' || !SUB.test(sub)) throw unauthorized('Missing or invalid sub claim');
  return sub;
}

/**
 * The caller's `sub` and raw ID token (from `Authorization`, with or without a
 * `Bearer ` prefix). The token's payload must name the same `sub` as the
 * authorizer's claims and be an ID token: the identity cache is keyed by `sub`,
 * so it must never be filled from a different token than the one authorized.
 */
export function callerOf(event: APIGatewayProxyEvent): Caller {
  const sub = subOf(claimsOf(event));
  const authorization = header(event?.headers, 'authorization');
  if (authorization === undefined || authorization.length > MAX_TOKEN_CHARS) throw unauthorized();
  const idToken = authorization.replace(/^bearer\s+/i, '').trim();
  const shape = JWT_SHAPE.exec(idToken);
  if (!shape) throw unauthorized();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(shape[1], 'base64url').toString('utf8'));
  } catch {
    throw unauthorized();
  }
  const { sub: tokenSub, token_use: tokenUse } = (payload ?? {}) as Record<string, unknown>;
  if (tokenSub !== sub || tokenUse !== 'id') throw unauthorized();
  return { sub, idToken };
}

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
