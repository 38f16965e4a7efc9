/**
 * Signs in the way a browser app does: SRP through amazon-cognito-identity-js,
 * so the app client never needs a password flow enabled for testing. When the
 * stage requires MFA and offers TOTP, the fresh user enrols a software token
 * with a secret that lives only in this process.
 */
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { base32Decode, totp } from './totp';

export interface SrpSignInInput {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly username: string;
  readonly password: string;
  /** The user's email address, where a code-based sign-in reads its code. @default username */
  readonly email?: string;
  /** The user pool endpoint (`npm run local`'s). @default Cognito's regional endpoint */
  readonly endpoint?: string;
}

export interface SignInTokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

export type SrpSignIn = (input: SrpSignInInput) => Promise<SignInTokens>;

const SIGN_IN_TIMEOUT_MS = 30_000;

export const srpSignIn: SrpSignIn = (input) => {
  const pool = new CognitoUserPool({ UserPoolId: input.userPoolId, ClientId: input.clientId, ...(input.endpoint ? { endpoint: input.endpoint } : {}) });
  const user = new CognitoUser({ Username: input.username, Pool: pool });
  const details = new AuthenticationDetails({ Username: input.username, Password: input.password });

  const signIn = new Promise<SignInTokens>((resolve, reject) => {
    const done = (session: CognitoUserSession) =>
      resolve({
        idToken: session.getIdToken().getJwtToken(),
        accessToken: session.getAccessToken().getJwtToken(),
        refreshToken: session.getRefreshToken().getToken(),
      });
    const unsupported = (challenge: string) => () =>
      reject(
        new Error(
          `the user pool answered with the ${challenge} challenge, which the smoke test cannot complete; ` +
            'run it against a stage whose MFA is "off"/"optional", or "required" with TOTP enabled',
        ),
      );

    user.authenticateUser(details, {
      onSuccess: done,
      onFailure: (error: unknown) => reject(asError(error)),
      newPasswordRequired: unsupported('NEW_PASSWORD_REQUIRED'),
      mfaRequired: unsupported('SMS_MFA'),
      totpRequired: unsupported('SOFTWARE_TOKEN_MFA'),
      selectMFAType: unsupported('SELECT_MFA_TYPE'),
      customChallenge: unsupported('CUSTOM_CHALLENGE'),
      mfaSetup: (_name: string, parameters: { MFAS_CAN_SETUP?: string }) => {
        if (!String(parameters?.MFAS_CAN_SETUP ?? '').includes('SOFTWARE_TOKEN_MFA')) {
          unsupported(`MFA_SETUP (${parameters?.MFAS_CAN_SETUP ?? 'no factor offered'})`)();
          return;
        }
        user.associateSoftwareToken({
          onFailure: (error: unknown) => reject(asError(error)),
          associateSecretCode: (secretCode: string) => {
            user.verifySoftwareToken(totp(base32Decode(secretCode)), 'cognito-access-smoke', {
              onSuccess: done,
              onFailure: (error: unknown) => reject(asError(error)),
            });
          },
        });
      },
    });
  });

  return withTimeout(signIn, SIGN_IN_TIMEOUT_MS, 'SRP sign-in');
};

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} got no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return new Error(code ? `${code}: ${message ?? ''}` : String(message ?? error));
}
