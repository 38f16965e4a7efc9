/**
 * Email-code sign-in (choice-based USER_AUTH with EMAIL_OTP), with a mocked
 * Cognito and an injected inbox reader: alone, and as the smoke test's sign-in.
 */
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { emailCodeSignIn } from '../../../scripts/smoke/email-code-sign-in';
import { inboxAlias } from '../../../scripts/smoke/cli';
import { runSmokeTest } from '../../../scripts/smoke/run-smoke-test';
import { EMAIL, fakeStage, ID_TOKEN, TARGET } from './fake-stage';

const INPUT = { userPoolId: TARGET.userPoolId, clientId: TARGET.userPoolClientId, username: 'user-uuid', password: 'unused', email: 'qa+smoke-1@example.org' };
const TOKENS = { IdToken: 'id.jwt.x', AccessToken: 'access.jwt.x', RefreshToken: 'refresh' };

describe('emailCodeSignIn', () => {
  const idp = mockClient(CognitoIdentityProviderClient);
  beforeEach(() => idp.reset());
  afterAll(() => idp.restore());

  test('GIVEN a pool that offers email codes WHEN signing in THEN it asks for EMAIL_OTP, reads the code from the inbox and answers with it', async () => {
    idp.on(InitiateAuthCommand).resolves({ ChallengeName: 'EMAIL_OTP', Session: 's1' });
    idp.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: TOKENS });
    const readCode = jest.fn(async () => ' 12345678\n');

    const tokens = await emailCodeSignIn(new CognitoIdentityProviderClient({ region: 'eu-west-1' }), readCode)(INPUT);

    expect(tokens).toEqual({ idToken: 'id.jwt.x', accessToken: 'access.jwt.x', refreshToken: 'refresh' });
    expect(readCode).toHaveBeenCalledWith('qa+smoke-1@example.org');
    expect(idp).toHaveReceivedCommandWith(InitiateAuthCommand, {
      ClientId: TARGET.userPoolClientId,
      AuthFlow: 'USER_AUTH',
      AuthParameters: { USERNAME: 'user-uuid', PREFERRED_CHALLENGE: 'EMAIL_OTP' },
    });
    expect(idp).toHaveReceivedCommandWith(RespondToAuthChallengeCommand, {
      ChallengeName: 'EMAIL_OTP',
      Session: 's1',
      ChallengeResponses: { USERNAME: 'user-uuid', EMAIL_OTP_CODE: '12345678' },
    });
    expect(JSON.stringify(idp.calls().map((c) => c.args[0].input))).not.toContain('unused');
  });

  test('GIVEN Cognito lists the choices WHEN signing in THEN it selects EMAIL_OTP and then answers the code', async () => {
    idp.on(InitiateAuthCommand).resolves({ ChallengeName: 'SELECT_CHALLENGE', Session: 's0', AvailableChallenges: ['PASSWORD_SRP', 'EMAIL_OTP'] });
    idp.on(RespondToAuthChallengeCommand, { ChallengeName: 'SELECT_CHALLENGE' }).resolves({ ChallengeName: 'EMAIL_OTP', Session: 's1' });
    idp.on(RespondToAuthChallengeCommand, { ChallengeName: 'EMAIL_OTP' }).resolves({ AuthenticationResult: TOKENS });

    await emailCodeSignIn(new CognitoIdentityProviderClient({ region: 'eu-west-1' }), async () => '123456')(INPUT);

    expect(idp).toHaveReceivedCommandWith(RespondToAuthChallengeCommand, {
      ChallengeName: 'SELECT_CHALLENGE',
      ChallengeResponses: { USERNAME: 'user-uuid', ANSWER: 'EMAIL_OTP' },
    });
  });

  test('GIVEN a pool without email codes WHEN signing in THEN it fails naming the missing first factor, before reading any inbox', async () => {
    idp.on(InitiateAuthCommand).resolves({ ChallengeName: 'PASSWORD', Session: 's' });
    const readCode = jest.fn(async () => '123456');

    await expect(emailCodeSignIn(new CognitoIdentityProviderClient({ region: 'eu-west-1' }), readCode)(INPUT)).rejects.toThrow(/emailOtp/);
    expect(readCode).not.toHaveBeenCalled();
  });

  test('GIVEN a wrong code WHEN Cognito answers with no tokens THEN the sign-in fails', async () => {
    idp.on(InitiateAuthCommand).resolves({ ChallengeName: 'EMAIL_OTP', Session: 's1' });
    idp.on(RespondToAuthChallengeCommand).resolves({ ChallengeName: 'EMAIL_OTP', Session: 's2' });

    await expect(emailCodeSignIn(new CognitoIdentityProviderClient({ region: 'eu-west-1' }), async () => '000000')(INPUT)).rejects.toThrow(/not accepted/);
  });

  test('GIVEN an inbox reader that returns no code WHEN signing in THEN it fails without answering the challenge', async () => {
    idp.on(InitiateAuthCommand).resolves({ ChallengeName: 'EMAIL_OTP', Session: 's1' });

    await expect(emailCodeSignIn(new CognitoIdentityProviderClient({ region: 'eu-west-1' }), async () => 'no mail yet')(INPUT)).rejects.toThrow(
      /no 6-8 digit code/,
    );
    expect(idp).toHaveReceivedCommandTimes(RespondToAuthChallengeCommand, 0);
  });
});

describe('smoke test with email-code sign-in', () => {
  test('GIVEN a stage with emailOtp WHEN the smoke test runs with an email code THEN the user is created verified, signs in by code and every step passes', async () => {
    const stage = fakeStage();
    stage.idp.on(InitiateAuthCommand).resolves({ ChallengeName: 'EMAIL_OTP', Session: 's1' });
    stage.idp.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: { IdToken: ID_TOKEN, AccessToken: 'access', RefreshToken: 'refresh' } });
    const readCode = jest.fn(async () => '654321');

    const report = await runSmokeTest(TARGET, { ...stage.deps, signIn: emailCodeSignIn(stage.deps.cognitoIdp, readCode), signInMethod: 'emailOtp' });

    expect(report.passed).toBe(true);
    expect(stage.idp).toHaveReceivedCommandWith(AdminCreateUserCommand, {
      UserAttributes: [
        { Name: 'email', Value: EMAIL },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
    expect(readCode).toHaveBeenCalledWith(EMAIL);
    stage.restore();
  });
});

describe('inboxAlias', () => {
  test('GIVEN a test inbox WHEN aliased THEN mail to the throwaway user still lands in it', () => {
    expect(inboxAlias('qa@example.org', 'ab12')).toBe('qa+smoke-ab12@example.org');
  });

  test('GIVEN something that is not an address WHEN aliased THEN the CLI refuses it', () => {
    expect(() => inboxAlias('qa.example.org', 'ab12')).toThrow(/--inbox must be an email address/);
  });
});
