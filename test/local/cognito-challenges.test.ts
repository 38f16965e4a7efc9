/**
 * The local user pool's challenges with the AWS SDK v3: required MFA setup by
 * email, TOTP enrolment and MFA selection, choice-based sign-in (USER_AUTH)
 * with passwordless email codes, and an admin-created user's new password.
 */
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SignUpCommand,
  VerifySoftwareTokenCommand,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { createUserPoolService, type UserPoolService } from '../../scripts/local/cognito-idp/user-pool-service';
import { base32Decode, totp } from '../../scripts/smoke/totp';
import { serve, type Served } from './support/http-service';
import { CLIENT, cognitoTemplate, MemoryMailbox, removeTempStateDirs, tempStateDir, type FragmentOptions } from './support/cognito-fragment';

const PASSWORD = 'Correct-horse-9';
const started: Served[] = [];

interface Pool {
  readonly service: UserPoolService;
  readonly sdk: CognitoIdentityProviderClient;
  readonly mailbox: MemoryMailbox;
  readonly clientId: string;
}

async function startPool(options: FragmentOptions, authorizeAdmin?: () => Promise<void>): Promise<Pool> {
  const mailbox = new MemoryMailbox();
  const service = createUserPoolService({ template: cognitoTemplate(options), mailbox, stateDir: tempStateDir(), port: 0, authorizeAdmin });
  const served = await serve(service);
  started.push(served);
  const sdk = new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    endpoint: served.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return { service, sdk, mailbox, clientId: service.clientIds[CLIENT] };
}

afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
  removeTempStateDirs();
});

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('expected the call to fail');
}

const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH'];

describe('required MFA with email and TOTP', () => {
  let pool: Pool;
  const email = 'mfa@example.org';
  const respond = (challenge: InitiateAuthCommandOutput, ChallengeName: string, responses: Record<string, string>) =>
    pool.sdk.send(
      new RespondToAuthChallengeCommand({
        ClientId: pool.clientId,
        ChallengeName: ChallengeName as never,
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: email, ...responses },
      }),
    );
  const passwordSignIn = () =>
    pool.sdk.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }));

  beforeAll(async () => {
    pool = await startPool(
      { mfa: 'ON', enabledMfas: ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'], explicitAuthFlows: FLOWS, firstFactors: ['PASSWORD', 'EMAIL_OTP'] },
      async () => undefined,
    );
    await pool.sdk.send(new SignUpCommand({ ClientId: pool.clientId, Username: email, Password: PASSWORD }));
    await pool.sdk.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: email, ConfirmationCode: pool.mailbox.lastCode(email) }));
  });

  test('GIVEN MFA ON with email MFA WHEN a user with a verified email signs in THEN the email code comes at once, and a wrong code is refused', async () => {
    const challenge = await passwordSignIn();
    expect(challenge.ChallengeName).toBe('EMAIL_OTP');
    expect(challenge.ChallengeParameters).toMatchObject({ CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'm***@e***' });
    const wrong = pool.mailbox.lastCode(email) === '123456' ? '654321' : '123456';
    expect(await failure(respond(challenge, 'EMAIL_OTP', { EMAIL_OTP_CODE: wrong }))).toMatchObject({ name: 'CodeMismatchException' });
    const done = await respond(challenge, 'EMAIL_OTP', { EMAIL_OTP_CODE: pool.mailbox.lastCode(email) });
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
  });

  test('GIVEN an admin-created user with an unverified email (as the smoke test makes one) WHEN signing in THEN MFA_SETUP; setting up email MFA sends a code that completes sign-in', async () => {
    const other = 'unverified@example.org';
    const { User } = await pool.sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.service.userPoolId,
        Username: other,
        UserAttributes: [{ Name: 'email', Value: other }],
        MessageAction: 'SUPPRESS',
      }),
    );
    await pool.sdk.send(
      new AdminSetUserPasswordCommand({ UserPoolId: pool.service.userPoolId, Username: User!.Username!, Password: PASSWORD, Permanent: true }),
    );
    expect(pool.mailbox.list(other)).toHaveLength(0);
    const setup = await pool.sdk.send(
      new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: User!.Username!, PASSWORD } }),
    );
    expect(setup.ChallengeName).toBe('MFA_SETUP');
    expect(JSON.parse(setup.ChallengeParameters!.MFAS_CAN_SETUP)).toEqual(['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']);
    const answer = (ChallengeName: string, session: string | undefined, responses: Record<string, string>) =>
      pool.sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: pool.clientId,
          ChallengeName: ChallengeName as never,
          Session: session,
          ChallengeResponses: { USERNAME: User!.Username!, ...responses },
        }),
      );
    const code = await answer('MFA_SETUP', setup.Session, { EMAIL: other });
    expect(code.ChallengeName).toBe('EMAIL_OTP');
    const done = await answer('EMAIL_OTP', code.Session, { EMAIL_OTP_CODE: pool.mailbox.lastCode(other) });
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
  });

  test('GIVEN email MFA WHEN the user enrols TOTP without choosing a preference THEN SELECT_MFA_TYPE offers both and SOFTWARE_TOKEN_MFA takes a TOTP code', async () => {
    const first = await passwordSignIn();
    const tokens = await respond(first, 'EMAIL_OTP', { EMAIL_OTP_CODE: pool.mailbox.lastCode(email) });
    const AccessToken = tokens.AuthenticationResult!.AccessToken!;
    expect(await failure(pool.sdk.send(new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true } })))).toEqual({
      name: 'InvalidParameterException',
      message: 'User has not verified software token mfa',
    });
    const { SecretCode } = await pool.sdk.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    expect(SecretCode).toMatch(/^[A-Z2-7]{32}$/);
    await expect(pool.sdk.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totp(base32Decode(SecretCode!)) }))).resolves.toMatchObject({
      Status: 'SUCCESS',
    });
    await pool.sdk.send(new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true }, EmailMfaSettings: { Enabled: true } }));

    const select = await passwordSignIn();
    expect(select.ChallengeName).toBe('SELECT_MFA_TYPE');
    expect(JSON.parse(select.ChallengeParameters!.MFAS_CAN_CHOOSE)).toEqual(['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']);
    const totpChallenge = await respond(select, 'SELECT_MFA_TYPE', { ANSWER: 'SOFTWARE_TOKEN_MFA' });
    expect(totpChallenge.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    const done = await respond(totpChallenge, 'SOFTWARE_TOKEN_MFA', { SOFTWARE_TOKEN_MFA_CODE: totp(base32Decode(SecretCode!)) });
    expect(done.AuthenticationResult?.IdToken).toBeDefined();
  });

  test("GIVEN choice-based sign-in WHEN USER_AUTH without a preference THEN SELECT_CHALLENGE lists the pool's first factors; an email code signs in without MFA, a password still needs MFA", async () => {
    const choose = await pool.sdk.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: email } }));
    expect(choose.ChallengeName).toBe('SELECT_CHALLENGE');
    expect(choose.AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
    const code = await respond(choose, 'SELECT_CHALLENGE', { ANSWER: 'EMAIL_OTP' });
    expect(code.ChallengeName).toBe('EMAIL_OTP');
    const done = await respond(code, 'EMAIL_OTP', { EMAIL_OTP_CODE: pool.mailbox.lastCode(email) });
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();

    const withPassword = await pool.sdk.send(
      new InitiateAuthCommand({
        ClientId: pool.clientId,
        AuthFlow: 'USER_AUTH',
        AuthParameters: { USERNAME: email, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD },
      }),
    );
    expect(withPassword.ChallengeName).toBe('SELECT_MFA_TYPE');
    expect(
      await failure(
        pool.sdk.send(
          new InitiateAuthCommand({
            ClientId: pool.clientId,
            AuthFlow: 'USER_AUTH',
            AuthParameters: { USERNAME: email, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Wrong-horse-99' },
          }),
        ),
      ),
    ).toMatchObject({ name: 'NotAuthorizedException' });
  });
});

describe('admin-created users', () => {
  test('GIVEN AdminCreateUser with a temporary password WHEN the user signs in THEN NEW_PASSWORD_REQUIRED, and the new password must meet the policy', async () => {
    const pool = await startPool({ explicitAuthFlows: FLOWS }, async () => undefined);
    const email = 'new@example.org';
    await pool.sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.service.userPoolId,
        Username: email,
        TemporaryPassword: 'Temporary-pass-1',
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    expect(pool.mailbox.list(email)[0].body).toContain('Temporary-pass-1');
    const challenge = await pool.sdk.send(
      new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: 'Temporary-pass-1' } }),
    );
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const answer = (NEW_PASSWORD: string) =>
      pool.sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: pool.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: email, NEW_PASSWORD },
        }),
      );
    expect(await failure(answer('short'))).toMatchObject({ name: 'InvalidPasswordException' });
    await expect(answer('Chosen-password-2')).resolves.toMatchObject({ AuthenticationResult: { AccessToken: expect.any(String) } });
  });

  test('GIVEN no admin authorizer WHEN an admin operation arrives THEN AccessDeniedException naming it', async () => {
    const pool = await startPool({});
    expect(await failure(pool.sdk.send(new AdminCreateUserCommand({ UserPoolId: pool.service.userPoolId, Username: 'x@example.org' })))).toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('AdminCreateUser'),
    });
  });
});
