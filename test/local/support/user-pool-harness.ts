/**
 * Starts the local user pool from a template fragment on an ephemeral port
 * and signs users up and in with the real clients, for the user pool tests.
 * Call stopPools() in afterAll.
 */
import { CognitoIdentityProviderClient, ConfirmSignUpCommand, InitiateAuthCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import type { LocalService } from '../../../scripts/local/contracts';
import { createUserPoolService, type UserPoolService } from '../../../scripts/local/cognito-idp/user-pool-service';
import { serve, type Served } from './http-service';
import { CLIENT, cognitoTemplate, FakeLambda, MemoryMailbox, removeTempStateDirs, tempStateDir, type FragmentOptions } from './cognito-fragment';

export const PASSWORD = 'Correct-horse-9';

export interface Pool {
  readonly service: UserPoolService;
  readonly served: Served;
  readonly sdk: CognitoIdentityProviderClient;
  readonly mailbox: MemoryMailbox;
  readonly clientId: string;
  readonly lambda: FakeLambda;
}

const started: Served[] = [];

export async function startPool(
  options: FragmentOptions = {},
  stateDir = tempStateDir(),
  handlers: Record<string, (event: any) => unknown> = {},
): Promise<Pool> {
  const mailbox = new MemoryMailbox();
  const lambda = new FakeLambda(handlers);
  // Served first, so the service knows its ephemeral port (for the JWKS URL).
  let handle: LocalService['handle'] = () => undefined;
  const served = await serve({ name: 'cognito-idp', handle: (req, res) => handle(req, res) });
  const service = createUserPoolService({ template: cognitoTemplate(options), mailbox, lambda, stateDir, port: Number(new URL(served.endpoint).port) });
  handle = service.handle;
  started.push(served);
  const sdk = new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    endpoint: served.endpoint,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
    maxAttempts: 1,
  });
  return { service, served, sdk, mailbox, clientId: service.clientIds[CLIENT], lambda };
}

export async function stopPools(): Promise<void> {
  await Promise.all(started.splice(0).map((s) => s.close()));
  removeTempStateDirs();
}

export async function signUpConfirmed(pool: Pool, email: string, password = PASSWORD): Promise<void> {
  await pool.sdk.send(new SignUpCommand({ ClientId: pool.clientId, Username: email, Password: password, UserAttributes: [{ Name: 'email', Value: email }] }));
  await pool.sdk.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: email, ConfirmationCode: pool.mailbox.lastCode(email) }));
}

export function srpSignIn(pool: Pool, email: string, password: string): Promise<CognitoUserSession> {
  const userPool = new CognitoUserPool({ UserPoolId: pool.service.userPoolId, ClientId: pool.clientId, endpoint: pool.served.endpoint });
  const user = new CognitoUser({ Username: email, Pool: userPool });
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), { onSuccess: resolve, onFailure: reject });
  });
}

/** Tokens through USER_AUTH's PASSWORD factor: faster than SRP where SRP is not the subject. */
export async function passwordSignIn(pool: Pool, email: string, password = PASSWORD): Promise<{ idToken: string; accessToken: string; refreshToken: string }> {
  const auth = await pool.sdk.send(
    new InitiateAuthCommand({
      ClientId: pool.clientId,
      AuthFlow: 'USER_AUTH',
      AuthParameters: { USERNAME: email, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: password },
    }),
  );
  const result = auth.AuthenticationResult!;
  return { idToken: result.IdToken!, accessToken: result.AccessToken!, refreshToken: result.RefreshToken! };
}

export async function sdkError(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('expected the call to fail');
}
