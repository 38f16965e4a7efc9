/**
 * The local user pool driven by the real clients: amazon-cognito-identity-js
 * (sign-up, confirmation, SRP sign-in) and the AWS SDK v3: tokens, refresh,
 * revocation, passwords and persistence, against a template fragment shaped
 * like the synthesized stack.
 */
import {
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  DeleteUserCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import { CognitoAuthorizer } from '../../scripts/local/api/cognito-authorizer';
import { tempStateDir } from './support/cognito-fragment';
import { PASSWORD, passwordSignIn, sdkError, signUpConfirmed, srpSignIn, startPool, stopPools, type Pool } from './support/user-pool-harness';

afterAll(stopPools);

describe('local user pool', () => {
  let pool: Pool;
  beforeAll(async () => {
    pool = await startPool();
  });

  test('GIVEN amazon-cognito-identity-js WHEN a user signs up, confirms with the mailed code and signs in with SRP THEN tokens carry Cognito claims and verify with aws-jwt-verify', async () => {
    const email = 'ada@example.org';
    const userPool = new CognitoUserPool({ UserPoolId: pool.service.userPoolId, ClientId: pool.clientId, endpoint: pool.served.endpoint });
    const result = await new Promise<any>((resolve, reject) =>
      userPool.signUp(email, PASSWORD, [], [], (error, data) => (error ? reject(error) : resolve(data))),
    );
    expect(result.userConfirmed).toBe(false);
    const mail = pool.mailbox.list(email)[0];
    expect(mail).toMatchObject({ subject: 'Verify your new account', body: `The verification code to your new account is ${mail.code}` });
    expect(mail.code).toMatch(/^\d{6}$/);
    await new Promise((resolve, reject) =>
      new CognitoUser({ Username: email, Pool: userPool }).confirmRegistration(mail.code!, true, (error, data) => (error ? reject(error) : resolve(data))),
    );

    const session = await srpSignIn(pool, email, PASSWORD);
    const id = session.getIdToken().decodePayload();
    expect(pool.service.userPoolId).toMatch(/^eu-west-1_[A-Za-z0-9]{9}$/);
    expect(pool.clientId).toMatch(/^[a-z0-9]{26}$/);
    expect(id).toMatchObject({
      token_use: 'id',
      email,
      email_verified: true,
      aud: pool.clientId,
      iss: `https://cognito-idp.eu-west-1.amazonaws.com/${pool.service.userPoolId}`,
      'cognito:username': result.userSub,
      sub: result.userSub,
    });
    expect(id.exp - id.iat).toBe(30 * 60);
    const access = session.getAccessToken().decodePayload();
    expect(access).toMatchObject({
      token_use: 'access',
      client_id: pool.clientId,
      scope: 'aws.cognito.signin.user.admin',
      username: result.userSub,
      origin_jti: id.origin_jti,
    });

    // The local API's authorizer verifies with aws-jwt-verify against the served JWKS.
    const authorizer = new CognitoAuthorizer(pool.service.verifier);
    await expect(authorizer.authorize(session.getIdToken().getJwtToken(), [])).resolves.toMatchObject({
      claims: { sub: result.userSub, 'cognito:username': result.userSub },
    });
    await expect(pool.service.verifier.verify(session.getAccessToken().getJwtToken(), 'access')).resolves.toMatchObject({ username: result.userSub });
    await expect(pool.service.verifier.verify(session.getAccessToken().getJwtToken(), 'id')).rejects.toThrow('Invalid ID Token');
  });

  test('GIVEN a confirmed user WHEN signing in with a wrong password THEN NotAuthorizedException, and an unknown user gets the same answer', async () => {
    await signUpConfirmed(pool, 'bob@example.org');
    await expect(srpSignIn(pool, 'bob@example.org', 'Wrong-password-9')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    await expect(srpSignIn(pool, 'nobody@example.org', PASSWORD)).rejects.toMatchObject({ code: 'NotAuthorizedException' });
  });

  test('GIVEN an unconfirmed user WHEN signing in with the right password THEN UserNotConfirmedException; a wrong code is CodeMismatchException', async () => {
    await pool.sdk.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'cy@example.org', Password: PASSWORD }));
    await expect(srpSignIn(pool, 'cy@example.org', PASSWORD)).rejects.toMatchObject({ code: 'UserNotConfirmedException' });
    const wrong = pool.mailbox.lastCode('cy@example.org') === '000000' ? '111111' : '000000';
    expect(
      await sdkError(pool.sdk.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: 'cy@example.org', ConfirmationCode: wrong }))),
    ).toMatchObject({ name: 'CodeMismatchException' });
    await pool.sdk.send(new ResendConfirmationCodeCommand({ ClientId: pool.clientId, Username: 'cy@example.org' }));
    expect(pool.mailbox.list('cy@example.org')).toHaveLength(2);
  });

  test('GIVEN a client that prevents user-existence errors WHEN a code is asked for an unknown address THEN the answer looks like a delivery and no mail goes out', async () => {
    const unknown = 'ghost@example.org';
    const forgot = await pool.sdk.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: unknown }));
    const resend = await pool.sdk.send(new ResendConfirmationCodeCommand({ ClientId: pool.clientId, Username: unknown }));
    const masked = { Destination: 'g***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' };
    expect(forgot.CodeDeliveryDetails).toEqual(masked);
    expect(resend.CodeDeliveryDetails).toEqual(masked);
    expect(pool.mailbox.list(unknown)).toEqual([]);
  });

  test('GIVEN an existing email WHEN signing up again THEN UsernameExistsException', async () => {
    await signUpConfirmed(pool, 'dup@example.org');
    expect(await sdkError(pool.sdk.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'DUP@example.org', Password: PASSWORD })))).toEqual({
      name: 'UsernameExistsException',
      message: 'An account with the given email already exists.',
    });
  });

  test('GIVEN rotation WHEN refreshing with GetTokensFromRefreshToken THEN new tokens and a new refresh token; the old one and REFRESH_TOKEN_AUTH are refused', async () => {
    await signUpConfirmed(pool, 'rot@example.org');
    const first = (await passwordSignIn(pool, 'rot@example.org')).refreshToken;
    const refreshed = await pool.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: pool.clientId, RefreshToken: first }));
    expect(refreshed.AuthenticationResult?.IdToken).toBeDefined();
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeDefined();
    expect(refreshed.AuthenticationResult?.RefreshToken).not.toBe(first);
    // The fragment's grace period is 0 s: the replaced token is done.
    await new Promise((r) => setTimeout(r, 5));
    expect(await sdkError(pool.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: pool.clientId, RefreshToken: first })))).toMatchObject({
      name: 'NotAuthorizedException',
    });
    await expect(
      pool.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: pool.clientId, RefreshToken: refreshed.AuthenticationResult!.RefreshToken! })),
    ).resolves.toBeDefined();
    expect(
      await sdkError(
        pool.sdk.send(
          new InitiateAuthCommand({
            ClientId: pool.clientId,
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: refreshed.AuthenticationResult!.RefreshToken! },
          }),
        ),
      ),
    ).toMatchObject({ name: 'NotAuthorizedException' });
  });

  test('GIVEN a retry grace period WHEN a replaced refresh token is reused within it THEN it still refreshes (a lost response can be retried)', async () => {
    const graceful = await startPool({ rotationGraceSeconds: 10 });
    await signUpConfirmed(graceful, 'grace@example.org');
    const first = (await passwordSignIn(graceful, 'grace@example.org')).refreshToken;
    await graceful.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: graceful.clientId, RefreshToken: first }));
    await expect(graceful.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: graceful.clientId, RefreshToken: first }))).resolves.toMatchObject({
      AuthenticationResult: { IdToken: expect.any(String) },
    });
  });

  test('GIVEN a signed-in user WHEN GlobalSignOut THEN every token of the user fails verification and GetUser is refused', async () => {
    await signUpConfirmed(pool, 'out@example.org');
    const session = await passwordSignIn(pool, 'out@example.org');
    const { accessToken } = session;
    await expect(pool.sdk.send(new GetUserCommand({ AccessToken: accessToken }))).resolves.toMatchObject({
      UserAttributes: expect.arrayContaining([{ Name: 'email', Value: 'out@example.org' }]),
    });
    await pool.sdk.send(new GlobalSignOutCommand({ AccessToken: accessToken }));
    await expect(pool.service.verifier.verify(session.idToken, 'id')).rejects.toThrow('ID Token has been revoked');
    expect(await sdkError(pool.sdk.send(new GetUserCommand({ AccessToken: accessToken })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
    expect(await sdkError(pool.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: pool.clientId, RefreshToken: session.refreshToken })))).toMatchObject({
      name: 'NotAuthorizedException',
    });
  });

  test('GIVEN two sessions WHEN RevokeToken revokes one refresh token THEN only that session ends', async () => {
    await signUpConfirmed(pool, 'rev@example.org');
    const a = await passwordSignIn(pool, 'rev@example.org');
    const b = await passwordSignIn(pool, 'rev@example.org');
    await pool.sdk.send(new RevokeTokenCommand({ ClientId: pool.clientId, Token: a.refreshToken }));
    await expect(pool.service.verifier.verify(a.accessToken, 'access')).rejects.toThrow('revoked');
    await expect(pool.service.verifier.verify(b.accessToken, 'access')).resolves.toBeDefined();
  });

  test('GIVEN a forgotten password WHEN reset with the mailed code THEN the new password signs in, the old does not, and a recent password is refused', async () => {
    const email = 'forgot@example.org';
    await signUpConfirmed(pool, email);
    await pool.sdk.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: email }));
    await pool.sdk.send(
      new ConfirmForgotPasswordCommand({
        ClientId: pool.clientId,
        Username: email,
        ConfirmationCode: pool.mailbox.lastCode(email),
        Password: 'Brand-new-pass-1',
      }),
    );
    expect(await sdkError(passwordSignIn(pool, email))).toMatchObject({ name: 'NotAuthorizedException' });
    const { accessToken: AccessToken } = await passwordSignIn(pool, email, 'Brand-new-pass-1');
    expect(
      await sdkError(pool.sdk.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: 'Brand-new-pass-1', ProposedPassword: PASSWORD }))),
    ).toMatchObject({
      name: 'PasswordHistoryPolicyViolationException',
    });
    expect(
      await sdkError(pool.sdk.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: 'Not-the-pass-1', ProposedPassword: 'Another-pass-22' }))),
    ).toMatchObject({
      name: 'NotAuthorizedException',
    });
    await pool.sdk.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: 'Brand-new-pass-1', ProposedPassword: 'Another-pass-22' }));
    await expect(srpSignIn(pool, email, 'Another-pass-22')).resolves.toBeDefined();
  });

  test('GIVEN a user WHEN DeleteUser THEN the user cannot sign in and the tokens fail', async () => {
    await signUpConfirmed(pool, 'gone@example.org');
    const session = await passwordSignIn(pool, 'gone@example.org');
    await pool.sdk.send(new DeleteUserCommand({ AccessToken: session.accessToken }));
    expect(await sdkError(passwordSignIn(pool, 'gone@example.org'))).toMatchObject({ name: 'NotAuthorizedException' });
    await expect(pool.service.verifier.verify(session.idToken, 'id')).rejects.toThrow();
  });

  test('GIVEN a client without USER_PASSWORD_AUTH WHEN InitiateAuth USER_PASSWORD_AUTH THEN refused; with it allowed THEN the password signs in', async () => {
    await signUpConfirmed(pool, 'plain@example.org');
    expect(
      await sdkError(
        pool.sdk.send(
          new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'plain@example.org', PASSWORD } }),
        ),
      ),
    ).toEqual({
      name: 'InvalidParameterException',
      message: 'USER_PASSWORD_AUTH flow not enabled for this client',
    });
    const open = await startPool({ explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], rotation: false });
    await signUpConfirmed(open, 'plain@example.org');
    const auth = await open.sdk.send(
      new InitiateAuthCommand({ ClientId: open.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'plain@example.org', PASSWORD } }),
    );
    expect(auth.AuthenticationResult?.AccessToken).toBeDefined();
    // Without rotation, REFRESH_TOKEN_AUTH refreshes and keeps the refresh token.
    const refreshed = await open.sdk.send(
      new InitiateAuthCommand({
        ClientId: open.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: auth.AuthenticationResult!.RefreshToken! },
      }),
    );
    expect(refreshed.AuthenticationResult?.IdToken).toBeDefined();
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined();
  });

  test('GIVEN a state folder WHEN the pool restarts THEN the user still signs in and old tokens still verify', async () => {
    const stateDir = tempStateDir();
    const first = await startPool({}, stateDir);
    await signUpConfirmed(first, 'kept@example.org');
    const before = await srpSignIn(first, 'kept@example.org', PASSWORD);
    const second = await startPool({}, stateDir);
    expect(second.service.userPoolId).toBe(first.service.userPoolId);
    await expect(srpSignIn(second, 'kept@example.org', PASSWORD)).resolves.toBeDefined();
    await expect(second.service.verifier.verify(before.getIdToken().getJwtToken(), 'id')).resolves.toMatchObject({ email: 'kept@example.org' });
  });

  test('GIVEN a preflight from the web origin WHEN OPTIONS THEN CORS allows the x-amz headers', async () => {
    const response = await fetch(pool.served.endpoint, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Headers': 'content-type,x-amz-target,x-amz-user-agent' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-allow-headers')).toContain('x-amz-target');
  });
});
