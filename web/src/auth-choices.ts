/**
 * Which sign-in journeys the stage enables, read from `amplify_outputs.json`
 * (nothing hard-coded): self sign-up, first factors, MFA mode and methods,
 * the password policy. Each screen appears only when its choice is on.
 */
import type { AmplifyAuthOutputs, AmplifyOutputs } from '../../contracts/amplify-outputs';

export interface AuthChoices {
  readonly selfSignUp: boolean;
  readonly emailCodeSignIn: boolean;
  readonly passkeySignIn: boolean;
  readonly smsCodeSignIn: boolean;
  readonly mfaMode: AmplifyAuthOutputs['mfa_configuration'];
  readonly mfaMethods: readonly ('SMS' | 'TOTP' | 'EMAIL')[];
  readonly passwordPolicy: AmplifyAuthOutputs['password_policy'];
}

export function authChoicesOf(outputs: AmplifyOutputs): AuthChoices {
  const factors = outputs.custom.auth?.first_factors ?? ['password'];
  const passwordless = outputs.auth.passwordless;
  return {
    selfSignUp: outputs.custom.auth?.self_sign_up === true,
    emailCodeSignIn: factors.includes('emailOtp') && passwordless?.email_otp_enabled === true,
    passkeySignIn: factors.includes('passkey') && passwordless?.web_authn !== undefined,
    smsCodeSignIn: factors.includes('smsOtp'),
    mfaMode: outputs.auth.mfa_configuration,
    mfaMethods: outputs.auth.mfa_methods ?? [],
    passwordPolicy: outputs.auth.password_policy,
  };
}
