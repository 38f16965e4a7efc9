/**
 * Signs in with a one-time code sent by email (choice-based sign-in,
 * `USER_AUTH` with `EMAIL_OTP`), for stages whose first factors include
 * `emailOtp`. The code is read from the test inbox by an injected reader:
 * the CLI asks the operator, tests hand one over.
 */
import {
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { SignInTokens, SrpSignIn } from './srp-sign-in';

/** Reads the newest sign-in code sent to `email`. */
export type EmailCodeReader = (email: string) => Promise<string>;

export function emailCodeSignIn(client: CognitoIdentityProviderClient, readCode: EmailCodeReader): SrpSignIn {
  return async (input) => {
    const email = input.email ?? input.username;
    let step = await client.send(
      new InitiateAuthCommand({
        ClientId: input.clientId,
        AuthFlow: 'USER_AUTH',
        AuthParameters: { USERNAME: input.username, PREFERRED_CHALLENGE: 'EMAIL_OTP' },
      }),
    );
    // Without the preference honoured Cognito lists the choices; pick the email code.
    if (step.ChallengeName === 'SELECT_CHALLENGE') {
      step = await client.send(
        new RespondToAuthChallengeCommand({
          ClientId: input.clientId,
          ChallengeName: 'SELECT_CHALLENGE',
          Session: step.Session,
          ChallengeResponses: { USERNAME: input.username, ANSWER: 'EMAIL_OTP' },
        }),
      );
    }
    if (step.ChallengeName !== 'EMAIL_OTP') {
      throw new Error(
        `expected the EMAIL_OTP challenge, got ${step.ChallengeName ?? 'tokens without a code'}; ` +
          'is "emailOtp" among userPool.signIn.firstFactors and the user\'s email verified?',
      );
    }
    const code = (await readCode(email)).trim();
    if (!/^\d{6,8}$/.test(code)) throw new Error('the inbox reader returned no 6-8 digit code');
    const answered = await client.send(
      new RespondToAuthChallengeCommand({
        ClientId: input.clientId,
        ChallengeName: 'EMAIL_OTP',
        Session: step.Session,
        ChallengeResponses: { USERNAME: input.username, EMAIL_OTP_CODE: code },
      }),
    );
    return tokensOf(answered.AuthenticationResult, answered.ChallengeName);
  };
}

function tokensOf(result: AuthenticationResultType | undefined, challenge: string | undefined): SignInTokens {
  if (!result?.IdToken || !result.AccessToken || !result.RefreshToken) {
    throw new Error(`the email code was not accepted${challenge ? ` (Cognito asked for ${challenge} next)` : ''}`);
  }
  return { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: result.RefreshToken };
}
