/**
 * The COGNITO_USER_POOLS authorizer as API Gateway runs it (docs/design.md,
 * REST API): the raw token from the identity-source header, verified with
 * aws-jwt-verify against the user pool's issuer and JWKS. A method without
 * AuthorizationScopes takes an ID token; a method with scopes takes only an
 * access token carrying one of them. Like API Gateway, it checks signature,
 * issuer, expiry and token use, not revocation.
 */
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { UserPoolVerifier } from '../contracts';

export interface VerifiedCaller {
  /** The token's claims, as API Gateway passes them to the integration (strings). */
  readonly claims: Record<string, string>;
}

/** aws-jwt-verify fetches over https only; the local JWKS is served over loopback http. */
function loopbackJwksCache(): SimpleJwksCache {
  return new SimpleJwksCache({
    fetcher: {
      async fetch(uri: string) {
        const response = await fetch(uri);
        if (!response.ok) throw new Error(`JWKS ${uri}: HTTP ${response.status}`);
        return response.arrayBuffer();
      },
    },
  });
}

export class CognitoAuthorizer {
  private readonly verifiers: Map<'id' | 'access', { verify(token: string): Promise<Record<string, unknown>> }>;

  constructor(pool: Pick<UserPoolVerifier, 'issuer' | 'jwksUri'>) {
    const jwksCache = loopbackJwksCache();
    const make = (tokenUse: 'id' | 'access') =>
      JwtRsaVerifier.create(
        { issuer: pool.issuer, jwksUri: pool.jwksUri, audience: null, customJwtCheck: ({ payload }) => checkTokenUse(payload, tokenUse) },
        { jwksCache },
      ) as unknown as {
        verify(token: string): Promise<Record<string, unknown>>;
      };
    this.verifiers = new Map([
      ['id', make('id')],
      ['access', make('access')],
    ]);
  }

  /** Claims of a valid token for a method with these scopes; undefined when API Gateway would answer 401. */
  async authorize(token: string | undefined, scopes: readonly string[]): Promise<VerifiedCaller | undefined> {
    if (!token) return undefined;
    const tokenUse = scopes.length > 0 ? 'access' : 'id';
    let payload: Record<string, unknown>;
    try {
      payload = await this.verifiers.get(tokenUse)!.verify(token);
    } catch {
      return undefined;
    }
    if (scopes.length > 0) {
      const granted = String(payload.scope ?? '').split(' ');
      if (!scopes.some((scope) => granted.includes(scope))) return undefined;
    }
    return { claims: claimsAsStrings(payload) };
  }
}

function checkTokenUse(payload: Record<string, unknown>, tokenUse: 'id' | 'access'): void {
  if (payload.token_use !== tokenUse) throw new Error(`expected an ${tokenUse} token`);
}

/**
 * REST API authorizers hand claims over as strings: arrays as `[a b]`,
 * numbers as digits, and `exp`/`iat` as dates like `Tue Dec 01 03:10:00 UTC 2026`.
 */
export function claimsAsStrings(payload: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') out[name] = javaDate(value);
    else if (Array.isArray(value)) out[name] = `[${value.join(' ')}]`;
    else if (value !== null && typeof value === 'object') out[name] = JSON.stringify(value);
    else out[name] = String(value);
  }
  return out;
}

function javaDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
