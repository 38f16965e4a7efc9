/**
 * "Forgot your password?": the address, then the emailed code with a new
 * password (the pool's policy ticked as the person types), then sign in.
 */
import { confirmResetPassword, resetPassword } from 'aws-amplify/auth';
import type { AuthChoices } from './auth-choices';
import { byTestId } from './dom';
import { t } from './i18n';
import { attachPasswordPolicy } from './password-policy';
import { journey } from './sign-in-flow';
import { describeError, showStatus } from './status';

export function setUpResetPasswordScreen(choices: AuthChoices, onReset: () => void): { open: () => void } {
  const requestForm = document.getElementById('reset-request-form') as HTMLFormElement;
  const confirmForm = document.getElementById('reset-confirm-form') as HTMLFormElement;
  const emailInput = byTestId<HTMLInputElement>('reset-email');
  const codeInput = byTestId<HTMLInputElement>('reset-code');
  const passwordInput = byTestId<HTMLInputElement>('reset-password');
  const policy = attachPasswordPolicy(document.getElementById('reset-policy') as HTMLElement, passwordInput, choices.passwordPolicy);
  const failed = (error: unknown) => showStatus(() => t('reset.failed', { error: describeError(error) }), 'error');

  requestForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const email = emailInput.value.trim();
    resetPassword({ username: email })
      .then(() => {
        journey.email = email;
        confirmForm.hidden = false;
        codeInput.focus();
        showStatus(() => t('reset.codeSent', { email }), 'success');
      })
      .catch(failed);
  });

  confirmForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!policy.meets()) {
      showStatus(() => t('signUp.weakPassword'), 'error');
      passwordInput.focus();
      return;
    }
    confirmResetPassword({ username: journey.email, confirmationCode: codeInput.value.trim(), newPassword: passwordInput.value })
      .then(() => {
        confirmForm.reset();
        passwordInput.dispatchEvent(new Event('input'));
        confirmForm.hidden = true;
        onReset();
        showStatus(() => t('reset.done'), 'success');
      })
      .catch(failed);
  });

  return {
    open() {
      emailInput.value = journey.email || byTestId<HTMLInputElement>('email').value.trim();
      confirmForm.hidden = true;
    },
  };
}
