/**
 * Confirming a new account with the emailed code. After a sign-up in this
 * page Amplify's autoSignIn signs the person in; after a sign-in that found
 * the account unconfirmed, the password typed then signs in; otherwise the
 * sign-in view asks for it.
 */
import { autoSignIn, confirmSignUp, resendSignUpCode, signIn } from 'aws-amplify/auth';
import { byTestId } from './dom';
import { t } from './i18n';
import { continueSignIn, journey } from './sign-in-flow';
import { describeError, showStatus } from './status';

export function setUpConfirmScreen(onConfirmedWithoutSignIn: () => void): void {
  const form = document.getElementById('confirm-form') as HTMLFormElement;
  const codeInput = byTestId<HTMLInputElement>('confirm-code');
  const submit = byTestId<HTMLButtonElement>('confirm-submit');

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    confirm(codeInput.value.trim())
      .then(() => form.reset())
      .catch((error: unknown) => {
        showStatus(() => t('confirm.failed', { error: describeError(error) }), 'error');
        codeInput.focus();
      })
      .finally(() => {
        submit.disabled = false;
      });
  });

  byTestId('confirm-resend').addEventListener('click', () => {
    resendSignUpCode({ username: journey.email })
      .then(() => showStatus(() => t('confirm.resent', { email: journey.email }), 'success'))
      .catch((error: unknown) => showStatus(() => t('confirm.failed', { error: describeError(error) }), 'error'));
  });

  async function confirm(code: string): Promise<void> {
    const { nextStep } = await confirmSignUp({ username: journey.email, confirmationCode: code });
    if (nextStep.signUpStep === 'COMPLETE_AUTO_SIGN_IN') return continueSignIn(await autoSignIn());
    if (journey.password) return continueSignIn(await signIn({ username: journey.email, password: journey.password }));
    onConfirmedWithoutSignIn();
    showStatus(() => t('confirm.confirmedSignIn'), 'success');
  }
}
