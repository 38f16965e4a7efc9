/**
 * The SRP adapter over amazon-cognito-identity-js, with the library mocked:
 * which callbacks it answers and how.
 */
import { CognitoUser } from 'amazon-cognito-identity-js';
import { srpSignIn } from '../../../scripts/smoke/srp-sign-in';
import { base32Decode, totp } from '../../../scripts/smoke/totp';

jest.mock('amazon-cognito-identity-js', () => ({
  CognitoUserPool: jest.fn(),
  AuthenticationDetails: jest.fn(),
  CognitoUser: jest.fn(),
}));

const SESSION = {
  getIdToken: () => ({ getJwtToken: () => 'id-token' }),
  getAccessToken: () => ({ getJwtToken: () => 'access-token' }),
  getRefreshToken: () => ({ getToken: () => 'refresh-token' }),
};
const INPUT = { userPoolId: 'eu-west-1_Pool1', clientId: 'client1', username: 'u@example.com', password: 'secret' };
const TOTP_SECRET = 'JBSWY3DPEHPK3PXP';

type Callbacks = Record<string, (...args: any[]) => void>;

function fakeUser(authenticate: (callbacks: Callbacks, user: Record<string, jest.Mock>) => void) {
  const user: Record<string, jest.Mock> = {
    associateSoftwareToken: jest.fn((callbacks: Callbacks) => callbacks.associateSecretCode(TOTP_SECRET)),
    verifySoftwareToken: jest.fn((_code: string, _name: string, callbacks: Callbacks) => callbacks.onSuccess(SESSION)),
  };
  user.authenticateUser = jest.fn((_details: unknown, callbacks: Callbacks) => authenticate(callbacks, user));
  jest.mocked(CognitoUser).mockImplementation(() => user as unknown as CognitoUser);
  return user;
}

describe('srpSignIn', () => {
  test('GIVEN Cognito accepts the SRP proof WHEN signing in THEN it resolves the three tokens', async () => {
    fakeUser((callbacks) => callbacks.onSuccess(SESSION));

    await expect(srpSignIn(INPUT)).resolves.toEqual({ idToken: 'id-token', accessToken: 'access-token', refreshToken: 'refresh-token' });
  });

  test('GIVEN a stage requiring MFA that offers TOTP WHEN signing in THEN it enrols a software token with the current code', async () => {
    const user = fakeUser((callbacks) => callbacks.mfaSetup('MFA_SETUP', { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]' }));
    const before = Date.now();

    await expect(srpSignIn(INPUT)).resolves.toMatchObject({ idToken: 'id-token' });

    const [code, deviceName] = user.verifySoftwareToken.mock.calls[0];
    const secret = base32Decode(TOTP_SECRET);
    expect([totp(secret, before), totp(secret, Date.now())]).toContain(code);
    expect(deviceName).toBe('cognito-access-smoke');
  });

  test.each([
    ['mfaRequired', 'SMS_MFA'],
    ['totpRequired', 'SOFTWARE_TOKEN_MFA'],
    ['selectMFAType', 'SELECT_MFA_TYPE'],
    ['newPasswordRequired', 'NEW_PASSWORD_REQUIRED'],
  ])('GIVEN Cognito answers with %s WHEN signing in THEN it rejects naming the %s challenge', async (callback, challenge) => {
    fakeUser((callbacks) => callbacks[callback](challenge, {}));

    await expect(srpSignIn(INPUT)).rejects.toThrow(`the user pool answered with the ${challenge} challenge, which the smoke test cannot complete`);
  });

  test('GIVEN MFA setup offering only email WHEN signing in THEN it rejects rather than hang', async () => {
    fakeUser((callbacks) => callbacks.mfaSetup('MFA_SETUP', { MFAS_CAN_SETUP: '["EMAIL_OTP"]' }));

    await expect(srpSignIn(INPUT)).rejects.toThrow(/MFA_SETUP \(\["EMAIL_OTP"\]\)/);
  });

  test('GIVEN a wrong password WHEN signing in THEN the library error is passed on with its code', async () => {
    fakeUser((callbacks) => callbacks.onFailure({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' }));

    await expect(srpSignIn(INPUT)).rejects.toThrow('NotAuthorizedException: Incorrect username or password.');
  });
});
