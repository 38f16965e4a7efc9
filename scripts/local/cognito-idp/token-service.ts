/**
 * ID, access and refresh tokens with Cognito's claims. Each sign-in starts a
 * session (`origin_jti`) that refreshes keep; RevokeToken, GlobalSignOut and
 * DeleteUser revoke sessions, after which every token of the session fails
 * `verify` (as Cognito's token revocation does). Refresh tokens are opaque and
 * stored only as hashes.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { AwsJsonError } from './aws-json';
import { opaqueToken } from './ids';
import { JsonState } from './json-state';
import type { ClientConfig, GroupConfig } from './pool-config';
import type { SigningKey } from './signing-key';
import type { StoredUser } from './user-store';

interface Session {
  readonly username: string;
  readonly clientId: string;
  readonly authTime: number;
  revoked: boolean;
}

interface RefreshRecord {
  readonly originJti: string;
  readonly expiresAt: number;
  /** When a rotation replaced it; still accepted for the client's retry grace period. */
  supersededAt?: number;
}

interface TokenState {
  sessions: Record<string, Session>;
  refreshTokens: Record<string, RefreshRecord>;
}

export interface AuthenticationResult {
  readonly AccessToken: string;
  readonly IdToken: string;
  readonly RefreshToken?: string;
  readonly ExpiresIn: number;
  readonly TokenType: 'Bearer';
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Standard attributes Cognito never puts in an ID token. */
const NOT_IN_ID_TOKEN = new Set(['sub']);

export class TokenService {
  private readonly state: JsonState<TokenState>;

  constructor(
    stateDir: string,
    private readonly key: SigningKey,
    readonly issuer: string,
    private readonly groups: readonly GroupConfig[],
  ) {
    this.state = new JsonState<TokenState>(path.join(stateDir, 'sessions.json'), () => ({ sessions: {}, refreshTokens: {} }));
  }

  /** Tokens for a completed sign-in: a new session with a refresh token. */
  signIn(user: StoredUser, client: ClientConfig & { clientId: string }): AuthenticationResult {
    const originJti = randomUUID();
    const authTime = nowSeconds();
    this.state.update((s) => {
      s.sessions[originJti] = { username: user.username, clientId: client.clientId, authTime, revoked: false };
    });
    return { ...this.tokens(user, client, originJti, authTime), RefreshToken: this.newRefreshToken(originJti, client) };
  }

  /**
   * New ID and access tokens from a refresh token. With rotation a new refresh
   * token replaces the old one, which stays valid for the retry grace period.
   */
  refresh(
    refreshToken: string,
    client: ClientConfig & { clientId: string },
    rotate: boolean,
    userOf: (username: string) => StoredUser | undefined,
  ): AuthenticationResult {
    const invalid = () => new AwsJsonError('NotAuthorizedException', 'Invalid Refresh Token');
    const record = this.state.get().refreshTokens[hash(refreshToken)];
    if (!record) throw invalid();
    const session = this.state.get().sessions[record.originJti];
    const now = Date.now();
    if (!session || session.revoked) throw new AwsJsonError('NotAuthorizedException', 'Refresh Token has been revoked');
    if (session.clientId !== client.clientId) throw invalid();
    if (record.expiresAt <= now) throw new AwsJsonError('NotAuthorizedException', 'Refresh Token has expired');
    if (record.supersededAt !== undefined && now > record.supersededAt + client.refreshTokenRotation.retryGraceSeconds * 1000) throw invalid();
    const user = userOf(session.username);
    if (!user) throw new AwsJsonError('NotAuthorizedException', 'User does not exist.');
    const tokens = this.tokens(user, client, record.originJti, session.authTime);
    if (!rotate) return tokens;
    this.state.update(() => {
      record.supersededAt ??= now;
    });
    return { ...tokens, RefreshToken: this.newRefreshToken(record.originJti, client) };
  }

  /** RevokeToken: the refresh token's whole session. Unknown tokens change nothing (RFC 7009). */
  revokeRefreshToken(refreshToken: string, clientId: string): void {
    const record = this.state.get().refreshTokens[hash(refreshToken)];
    if (!record) return;
    const session = this.state.get().sessions[record.originJti];
    if (session && session.clientId !== clientId) throw new AwsJsonError('UnauthorizedException', 'The refresh token was not issued to this client.');
    this.state.update((s) => {
      if (s.sessions[record.originJti]) s.sessions[record.originJti].revoked = true;
    });
  }

  /** GlobalSignOut and DeleteUser: every session of the user. */
  revokeAll(username: string): void {
    this.state.update((s) => {
      for (const session of Object.values(s.sessions)) if (session.username === username) session.revoked = true;
      for (const [h, r] of Object.entries(s.refreshTokens)) if (s.sessions[r.originJti]?.revoked) delete s.refreshTokens[h];
    });
  }

  /** Signature, issuer, use, expiry and revocation; the claims or NotAuthorizedException. */
  verify(token: string, tokenUse: 'id' | 'access'): Record<string, unknown> {
    const label = tokenUse === 'id' ? 'ID Token' : 'Access Token';
    const claims = this.key.claimsOf(token);
    if (!claims || claims.iss !== this.issuer || claims.token_use !== tokenUse) throw new AwsJsonError('NotAuthorizedException', `Invalid ${label}`);
    if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds()) throw new AwsJsonError('NotAuthorizedException', `${label} has expired`);
    const session = this.state.get().sessions[String(claims.origin_jti)];
    if (!session || session.revoked) throw new AwsJsonError('NotAuthorizedException', `${label} has been revoked`);
    return claims;
  }

  private newRefreshToken(originJti: string, client: ClientConfig): string {
    const token = opaqueToken(96);
    const now = Date.now();
    this.state.update((s) => {
      // Expired and long-superseded records only grow the file.
      for (const [h, r] of Object.entries(s.refreshTokens))
        if (r.expiresAt <= now || (r.supersededAt !== undefined && r.supersededAt < now - 86_400_000)) delete s.refreshTokens[h];
      s.refreshTokens[hash(token)] = { originJti, expiresAt: now + client.refreshTokenSeconds * 1000 };
    });
    return token;
  }

  private tokens(user: StoredUser, client: ClientConfig & { clientId: string }, originJti: string, authTime: number): AuthenticationResult {
    const iat = nowSeconds();
    const eventId = randomUUID();
    const memberOf = this.groups
      .filter((g) => user.groups.includes(g.name))
      .sort((a, b) => (a.precedence ?? Number.MAX_SAFE_INTEGER) - (b.precedence ?? Number.MAX_SAFE_INTEGER));
    const groupClaims = memberOf.length > 0 ? { 'cognito:groups': memberOf.map((g) => g.name) } : {};
    const roles = memberOf.filter((g) => g.roleArn).map((g) => g.roleArn as string);
    // Cognito names the role of the group with the lowest precedence value as preferred.
    const preferred = memberOf.find((g) => g.roleArn && g.precedence !== undefined)?.roleArn;
    const attributes = Object.fromEntries(
      Object.entries(user.attributes)
        .filter(([name]) => !NOT_IN_ID_TOKEN.has(name))
        .map(([name, value]) => [name, name.endsWith('_verified') ? value === 'true' : value]),
    );
    const idToken = this.key.sign({
      sub: user.sub,
      ...groupClaims,
      ...attributes,
      ...(preferred ? { 'cognito:preferred_role': preferred } : {}),
      iss: this.issuer,
      'cognito:username': user.username,
      origin_jti: originJti,
      ...(roles.length > 0 ? { 'cognito:roles': roles } : {}),
      aud: client.clientId,
      event_id: eventId,
      token_use: 'id',
      auth_time: authTime,
      exp: iat + client.idTokenSeconds,
      iat,
      jti: randomUUID(),
    });
    const accessToken = this.key.sign({
      sub: user.sub,
      ...groupClaims,
      iss: this.issuer,
      client_id: client.clientId,
      origin_jti: originJti,
      event_id: eventId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: authTime,
      exp: iat + client.accessTokenSeconds,
      iat,
      jti: randomUUID(),
      username: user.username,
    });
    return { AccessToken: accessToken, IdToken: idToken, ExpiresIn: client.accessTokenSeconds, TokenType: 'Bearer' };
  }
}
