/**
 * The sign-in screen: SRP sign-in, the challenges a user can answer here
 * (TOTP code, new password), and one hosted sign-in button per provider.
 */
import { confirmSignIn, signIn, signInWithRedirect, type SignInOutput } from 'aws-amplify/auth';
import type { FederatedProvider } from './config';
import { byTestId, h } from './dom';
import { describeError, showStatus } from './status';

const CHALLENGES: Record<string, { label: string; type: string; autocomplete: string; inputmode?: string }> = {
  CONFIRM_SIGN_IN_WITH_TOTP_CODE: { label: 'Code from your authenticator app', type: 'text', autocomplete: 'one-time-code', inputmode: 'numeric' },
  CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED: { label: 'Choose a new password', type: 'password', autocomplete: 'new-password' },
};

export interface SignInScreenOptions {
  readonly providers: readonly FederatedProvider[];
  /** Called once the user is signed in. */
  readonly onSignedIn: () => Promise<void>;
}

/** Wires the static sign-in markup; call once. */
export function setUpSignInScreen({ providers, onSignedIn }: SignInScreenOptions): void {
  const form = byTestId<HTMLFormElement>('sign-in-form');
  const submit = byTestId<HTMLButtonElement>('sign-in-submit');
  const challengeForm = document.getElementById('challenge-form') as HTMLFormElement;
  const challengeInput = document.getElementById('challenge-input') as HTMLInputElement;

  const next = async (output: SignInOutput) => {
    const step = output.nextStep.signInStep;
    if (output.isSignedIn || step === 'DONE') {
      form.reset();
      challengeForm.hidden = true;
      await onSignedIn();
      return;
    }
    const challenge = CHALLENGES[step];
    if (challenge) {
      (document.getElementById('challenge-label') as HTMLElement).textContent = challenge.label;
      challengeInput.type = challenge.type;
      challengeInput.autocomplete = challenge.autocomplete as AutoFill;
      if (challenge.inputmode) challengeInput.inputMode = challenge.inputmode;
      else challengeInput.removeAttribute('inputmode');
      challengeInput.value = '';
      form.hidden = true;
      challengeForm.hidden = false;
      challengeInput.focus();
      showStatus(`${challenge.label} needed to finish signing in.`);
      return;
    }
    if (step === 'CONFIRM_SIGN_UP') {
      showStatus('This account is not confirmed yet: use the code or link in the email from the user pool, then sign in again.', 'error');
      return;
    }
    showStatus(`Signing in needs a step this page does not offer (${step}); use a provider button or the hosted sign-in.`, 'error');
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const email = byTestId<HTMLInputElement>('email').value.trim();
    const password = byTestId<HTMLInputElement>('password').value;
    submit.disabled = true;
    showStatus('Signing in…');
    signIn({ username: email, password })
      .then(next)
      .catch((error: unknown) => {
        showStatus(`Sign-in failed. ${describeError(error)}`, 'error');
        byTestId<HTMLInputElement>('password').focus();
      })
      .finally(() => {
        submit.disabled = false;
      });
  });

  challengeForm.addEventListener('submit', (event) => {
    event.preventDefault();
    confirmSignIn({ challengeResponse: challengeInput.value.trim() })
      .then(next)
      .catch((error: unknown) => showStatus(`That did not work. ${describeError(error)}`, 'error'));
  });

  const list = document.getElementById('provider-list') as HTMLUListElement;
  for (const { label, provider } of providers) {
    const button = h('button', { type: 'button', class: 'secondary' }, `Sign in with ${label}`);
    button.addEventListener('click', () => {
      showStatus(`Redirecting to ${label}…`);
      signInWithRedirect({ provider }).catch((error: unknown) => showStatus(describeError(error), 'error'));
    });
    list.append(h('li', {}, button));
  }
  (document.getElementById('providers') as HTMLElement).hidden = providers.length === 0;
  submit.disabled = false;
}

/** Shows the sign-in screen with the email/password form. */
export function resetSignInScreen(): void {
  byTestId<HTMLFormElement>('sign-in-form').hidden = false;
  (document.getElementById('challenge-form') as HTMLFormElement).hidden = true;
}
