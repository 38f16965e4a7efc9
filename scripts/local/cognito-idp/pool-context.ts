/**
 * What every user pool operation works with: the pool's configuration, its
 * users, tokens and sign-ins in flight, and the checks most operations share
 * (client, SECRET_HASH, access token).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LambdaInvoker, Mailbox } from '../contracts';
import { AwsJsonError, type JsonBody } from './aws-json';
import type { AuthSessions } from './auth-sessions';
import type { ClientConfig, PoolConfig } from './pool-config';
import type { TokenService } from './token-service';
import type { StoredUser, UserStore } from './user-store';

export type LocalClient = ClientConfig & { readonly clientId: string; readonly clientSecret?: string };

/**
 * Checks a SigV4-signed request (admin operations, DeleteIdentities): resolves
 * when the caller's policies allow `action` on `resource`, throws otherwise.
 * `service` is the SigV4 signing name to verify against.
 */
export type AdminAuthorizer = (request: {
  readonly req: import('node:http').IncomingMessage;
  readonly body: Buffer;
  readonly action: string;
  readonly resource: string;
  readonly service?: 'cognito-idp' | 'cognito-identity';
}) => Promise<void>;

export interface PoolContext {
  readonly config: PoolConfig;
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolArn: string;
  /** The part of the pool ID after `_`, which SRP hashes. */
  readonly srpPoolName: string;
  readonly clients: ReadonlyMap<string, LocalClient>;
  readonly users: UserStore;
  readonly tokens: TokenService;
  readonly sessions: AuthSessions;
  readonly mailbox: Mailbox;
  readonly lambda?: LambdaInvoker;
  readonly authorizeAdmin?: AdminAuthorizer;
  /** The web app's origin, the WebAuthn origin. */
  readonly webOrigin: string;
}

export function signsInWithEmail(ctx: PoolContext): boolean {
  return ctx.config.usernameAttributes.includes('email');
}

/** The app client, after the SECRET_HASH check for clients with a secret. */
export function clientFor(ctx: PoolContext, clientId: unknown, secretCheck?: { username?: string; secretHash?: unknown; clientSecret?: unknown }): LocalClient {
  const client = typeof clientId === 'string' ? ctx.clients.get(clientId) : undefined;
  if (!client) throw new AwsJsonError('ResourceNotFoundException', 'User pool client does not exist.');
  if (client.clientSecret && secretCheck) {
    if (secretCheck.clientSecret !== undefined) {
      if (secretCheck.clientSecret !== client.clientSecret) throw new AwsJsonError('NotAuthorizedException', 'Client secret is incorrect.');
    } else {
      const expected = createHmac('sha256', client.clientSecret)
        .update(`${secretCheck.username ?? ''}${client.clientId}`)
        .digest();
      const given = Buffer.from(typeof secretCheck.secretHash === 'string' ? secretCheck.secretHash : '', 'base64');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new AwsJsonError('NotAuthorizedException', `Client ${client.clientId} is configured with secret but SECRET_HASH was not received`);
      }
    }
  }
  return client;
}

export function findUser(ctx: PoolContext, name: unknown): StoredUser | undefined {
  return typeof name === 'string' && name.length > 0 ? ctx.users.find(name, signsInWithEmail(ctx)) : undefined;
}

/**
 * The error for an unknown user: with PreventUserExistenceErrors the same
 * answer a wrong password gets, so callers cannot probe for accounts.
 */
export function userNotFound(client: LocalClient): AwsJsonError {
  return client.preventUserExistenceErrors
    ? new AwsJsonError('NotAuthorizedException', 'Incorrect username or password.')
    : new AwsJsonError('UserNotFoundException', 'User does not exist.');
}

/** The signed-in user of an access token (operations authorized by `AccessToken`). */
export function userOfAccessToken(ctx: PoolContext, body: JsonBody): { user: StoredUser; claims: Record<string, unknown> } {
  const token = body.AccessToken;
  if (typeof token !== 'string' || token.length === 0)
    throw new AwsJsonError(
      'InvalidParameterException',
      "1 validation error detected: Value at 'accessToken' failed to satisfy constraint: Member must not be null",
    );
  const claims = ctx.tokens.verify(token, 'access');
  if (
    !String(claims.scope ?? '')
      .split(' ')
      .includes('aws.cognito.signin.user.admin')
  )
    throw new AwsJsonError('NotAuthorizedException', 'Access Token does not have required scopes');
  const user = ctx.users.find(String(claims.username), false);
  if (!user || user.sub !== claims.sub) throw new AwsJsonError('NotAuthorizedException', 'User does not exist.');
  if (!user.enabled) throw new AwsJsonError('NotAuthorizedException', 'User is disabled.');
  return { user, claims };
}

/** `[{Name, Value}]` as Cognito returns attributes. */
export function attributeList(user: StoredUser): { Name: string; Value: string }[] {
  return [
    { Name: 'sub', Value: user.sub },
    ...Object.entries(user.attributes)
      .filter(([n]) => n !== 'sub')
      .map(([Name, Value]) => ({ Name, Value })),
  ];
}
