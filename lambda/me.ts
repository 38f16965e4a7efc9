/** GET /me: the caller's profile, straight from the user pool authorizer's claims. */
import { apiHandler } from './shared/handler';
import { ok } from './shared/http';
import { claimsOf, subOf, type Claims } from './shared/claims';

export const handler = apiHandler('GET /me', ({ event }) => {
  const claims = claimsOf(event);
  const sub = subOf(claims);
  return ok({
    sub,
    username: stringClaim(claims, 'cognito:username'),
    email: stringClaim(claims, 'email'),
    groups: parseGroups(claims['cognito:groups']),
  });
});

function stringClaim(claims: Claims, name: string): string | null {
  const value = claims[name];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/**
 * REST API authorizers flatten the `cognito:groups` array into a string, seen
 * both as "[admins members]" and "admins,members"; a real array is accepted too.
 */
export function parseGroups(value: unknown): string[] {
  const parts = Array.isArray(value)
    ? value.filter((group): group is string => typeof group === 'string')
    : typeof value === 'string'
      ? value
          .replace(/^\s*\[/, '')
          .replace(/\]\s*$/, '')
          .split(/[\s,]+/)
      : [];
  return [...new Set(parts.map((group) => group.trim()).filter((group) => group.length > 0))];
}
