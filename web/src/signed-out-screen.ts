/**
 * Everything a signed-out person can do, wired once: sign in (with whatever
 * first factors the stage offers), create an account, confirm it, reset a
 * password, and answer challenges. Views switch through
 * web/src/signed-out-views.ts; sign-in steps through web/src/sign-in-flow.ts.
 */
import type { SetUpTOTPOutput as AuthTOTPSetupDetails } from 'aws-amplify/auth';
import { confirmSignIn } from 'aws-amplify/auth';
import { authChoicesOf } from './auth-choices';
import { setUpChallengeScreen } from './challenge-screen';
import type { AppConfig } from './config';
import { setUpConfirmScreen } from './confirm-screen';
import { t } from './i18n';
import { setUpResetPasswordScreen } from './reset-password-screen';
import { continueSignIn, journey, registerSignInHandlers } from './sign-in-flow';
import { resetSignInScreen, setUpSignInScreen } from './sign-in-screen';
import { setUpSignUpScreen } from './sign-up-screen';
import { showView, wireBackButtons } from './signed-out-views';
import { showStatus } from './status';
import { renderTotpSetup } from './totp-setup-screen';
import { showUnsupportedMethods } from './unsupported-methods';

export function setUpSignedOutScreens(config: AppConfig, onSignedIn: () => Promise<void>): { showSignIn: () => void } {
  const choices = authChoicesOf(config.outputs);
  showUnsupportedMethods(choices);
  const challenges = setUpChallengeScreen();
  const showConfirm = () => {
    showView('confirm');
    showStatus(() => t('signIn.notConfirmed'));
  };
  registerSignInHandlers({
    signedIn: onSignedIn,
    challenge: challenges.showChallenge,
    mfaChoice: challenges.showMfaChoice,
    totpSetup: (details: AuthTOTPSetupDetails) => {
      showView('totp-setup');
      renderTotpSetup(document.getElementById('sign-in-totp-setup') as HTMLElement, details, journey.email, async (code) =>
        continueSignIn(await confirmSignIn({ challengeResponse: code })),
      );
      showStatus(() => t('totp.heading'));
    },
    confirmSignUp: showConfirm,
    resetPassword: () => {
      reset.open();
      showView('reset');
    },
  });
  const reset = setUpResetPasswordScreen(choices, resetSignInScreen);
  setUpSignInScreen({
    providers: config.providers,
    choices,
    onSignUp: () => {
      showView('sign-up');
    },
    onForgotPassword: () => {
      reset.open();
      showView('reset');
    },
  });
  if (choices.selfSignUp) setUpSignUpScreen(choices, () => showView('confirm'));
  setUpConfirmScreen(resetSignInScreen);
  wireBackButtons(() => {
    resetSignInScreen();
    showStatus(() => t('signIn.prompt'));
  });
  return { showSignIn: resetSignInScreen };
}
