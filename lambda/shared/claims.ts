/**
 * Who is calling, from what the user pool authorizer verified. No AWS SDK here,
 * so a route that needs only the claims (GET /me) loads no client at all.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { header, unauthorized } from './http';

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
