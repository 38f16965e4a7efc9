/**
 * What follows each sign-in answer: Amplify's `nextStep` decides which view
 * shows next (a code challenge, MFA choice or setup, confirming the account,
 * resetting the password) until `DONE`. The screens register their handlers
 * here, so none of them imports another.
 */
import { confirmSignIn, type SetUpTOTPOutput as AuthTOTPSetupDetails, type SignInOutput } from 'aws-amplify/auth';
import { t } from './i18n';
import { showStatus } from './status';

export type ChallengeKind = 'totp' | 'email' | 'sms' | 'newPassword';
export type MfaType = 'SMS' | 'TOTP' | 'EMAIL';

export interface SignInHandlers {
  readonly signedIn: () => Promise<void>;
  readonly challenge: (kind: ChallengeKind) => void;
  readonly mfaChoice: (types: readonly MfaType[], setup: boolean) => void;
  readonly totpSetup: (details: AuthTOTPSetupDetails) => void;
  readonly confirmSignUp: () => void;
  readonly resetPassword: () => void;
}

/**
 * The address the person is signing in or up with, kept across views. The
 * password stays in memory only between a sign-in that found the account
 * unconfirmed and the confirmation, so confirming can finish signing in.
 */
export const journey: { email: string; password?: string } = { email: '' };

let handlers: SignInHandlers | undefined;

export function registerSignInHandlers(next: SignInHandlers): void {
  handlers = next;
}

export async function continueSignIn(output: SignInOutput): Promise<void> {
  const on = handlers!;
  const step = output.nextStep;
  switch (step.signInStep) {
    case 'DONE':
      journey.password = undefined;
      return on.signedIn();
    case 'CONFIRM_SIGN_IN_WITH_TOTP_CODE':
      return on.challenge('totp');
    case 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE':
      return on.challenge('email');
    case 'CONFIRM_SIGN_IN_WITH_SMS_CODE':
      return on.challenge('sms');
    case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED':
      return on.challenge('newPassword');
    case 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION':
      return on.mfaChoice(step.allowedMFATypes ?? [], false);
    case 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION':
      return on.mfaChoice(step.allowedMFATypes ?? [], true);
    case 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP':
      return on.totpSetup(step.totpSetupDetails);
    case 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP':
      // The account's email is its user name here, so there is nothing to ask.
      return continueSignIn(await confirmSignIn({ challengeResponse: journey.email }));
    case 'CONFIRM_SIGN_UP':
      return on.confirmSignUp();
    case 'RESET_PASSWORD':
      return on.resetPassword();
    default:
      showStatus(() => t('signIn.unsupportedStep', { step: step.signInStep }), 'error');
  }
}
