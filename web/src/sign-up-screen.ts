/**
 * "Create an account" (only with self sign-up): email and password, the
 * pool's password policy ticked as the person types, then the confirm view.
 * Amplify's autoSignIn finishes signing in once the code is confirmed.
 */
import { signUp } from 'aws-amplify/auth';
import type { AuthChoices } from './auth-choices';
import { byTestId } from './dom';
import { t } from './i18n';
import { attachPasswordPolicy } from './password-policy';
import { journey } from './sign-in-flow';
import { describeError, showStatus } from './status';

export function setUpSignUpScreen(choices: AuthChoices, onCodeSent: () => void): void {
  const form = document.getElementById('sign-up-form') as HTMLFormElement;
  const emailInput = byTestId<HTMLInputElement>('sign-up-email');
  const passwordInput = byTestId<HTMLInputElement>('sign-up-password');
  const submit = byTestId<HTMLButtonElement>('sign-up-submit');
  const policy = attachPasswordPolicy(document.getElementById('sign-up-policy') as HTMLElement, passwordInput, choices.passwordPolicy);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!policy.meets()) {
      showStatus(() => t('signUp.weakPassword'), 'error');
      passwordInput.focus();
      return;
    }
    const email = emailInput.value.trim();
    submit.disabled = true;
    showStatus(() => t('signUp.inProgress'));
    signUp({ username: email, password: passwordInput.value, options: { userAttributes: { email }, autoSignIn: true } })
      .then(({ nextStep }) => {
        journey.email = email;
        journey.password = undefined;
        form.reset();
        passwordInput.dispatchEvent(new Event('input'));
        if (nextStep.signUpStep === 'CONFIRM_SIGN_UP') {
          onCodeSent();
          showStatus(() => t('signUp.codeSent', { email }), 'success');
        }
      })
      .catch((error: unknown) => showStatus(() => t('signUp.failed', { error: describeError(error) }), 'error'))
      .finally(() => {
        submit.disabled = false;
      });
  });
}
