/**
 * The sign-in view: email and password (SRP), "Email me a code" and "Sign in
 * with a passkey" when the stage offers those first factors, links to reset a
 * password and (with self sign-up) to create an account, and one hosted
 * sign-in button per federated provider.
 */
import { signIn, signInWithRedirect } from 'aws-amplify/auth';
import type { AuthChoices } from './auth-choices';
import type { FederatedProvider } from './config';
import { byTestId, h } from './dom';
import { onLanguageChange, t } from './i18n';
import { continueSignIn, journey } from './sign-in-flow';
import { showView } from './signed-out-views';
import { describeError, showStatus } from './status';

export interface SignInScreenOptions {
  readonly providers: readonly FederatedProvider[];
  readonly choices: AuthChoices;
  readonly onSignUp: () => void;
  readonly onForgotPassword: () => void;
}

/** Wires the static sign-in markup; call once. */
export function setUpSignInScreen({ providers, choices, onSignUp, onForgotPassword }: SignInScreenOptions): void {
  const form = byTestId<HTMLFormElement>('sign-in-form');
  const submit = byTestId<HTMLButtonElement>('sign-in-submit');
  const emailInput = byTestId<HTMLInputElement>('email');
  const passwordInput = byTestId<HTMLInputElement>('password');
  const emailCodeButton = byTestId<HTMLButtonElement>('email-code-sign-in');
  const passkeyButton = byTestId<HTMLButtonElement>('passkey-sign-in');
  const passkeysWork = typeof window.PublicKeyCredential === 'function';

  const failed = (error: unknown) => {
    showStatus(() => t('signIn.failed', { error: describeError(error) }), 'error');
    passwordInput.focus();
  };
  const busy = async (work: () => Promise<void>) => {
    for (const button of [submit, emailCodeButton, passkeyButton]) button.disabled = true;
    try {
      await work();
    } catch (error) {
      failed(error);
    } finally {
      for (const button of [submit, emailCodeButton, passkeyButton]) button.disabled = false;
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    journey.email = emailInput.value.trim();
    journey.password = passwordInput.value;
    showStatus(() => t('signIn.inProgress'));
    void busy(async () => continueSignIn(await signIn({ username: journey.email, password: passwordInput.value })));
  });

  // Passwordless first factors need the address first; the passkey button appears once there is one.
  emailCodeButton.hidden = !choices.emailCodeSignIn;
  const showPasskeyButton = () => {
    passkeyButton.hidden = !(choices.passkeySignIn && passkeysWork && emailInput.value.trim().includes('@'));
  };
  emailInput.addEventListener('input', showPasskeyButton);
  showPasskeyButton();
  const withEmail = (preferredChallenge: 'EMAIL_OTP' | 'WEB_AUTHN', message: string) => {
    journey.email = emailInput.value.trim();
    if (!journey.email) {
      showStatus(() => t('signIn.needEmail'), 'error');
      emailInput.focus();
      return;
    }
    showStatus(() => t(message, { email: journey.email }));
    void busy(async () => continueSignIn(await signIn({ username: journey.email, options: { authFlowType: 'USER_AUTH', preferredChallenge } })));
  };
  emailCodeButton.addEventListener('click', () => withEmail('EMAIL_OTP', 'signIn.emailCodeSent'));
  passkeyButton.addEventListener('click', () => withEmail('WEB_AUTHN', 'signIn.passkeyInProgress'));

  (document.getElementById('sign-up-offer') as HTMLElement).hidden = !choices.selfSignUp;
  byTestId('sign-up').addEventListener('click', onSignUp);
  byTestId('forgot-password').addEventListener('click', onForgotPassword);

  const list = document.getElementById('provider-list') as HTMLUListElement;
  const renderProviders = () =>
    list.replaceChildren(
      ...providers.map(({ label, provider }) => {
        const button = h('button', { type: 'button', class: 'secondary' }, t('signIn.withProvider', { label }));
        button.addEventListener('click', () => {
          showStatus(() => t('signIn.redirecting', { label }));
          signInWithRedirect({ provider }).catch((error: unknown) => showStatus(describeError(error), 'error'));
        });
        return h('li', {}, button);
      }),
    );
  renderProviders();
  onLanguageChange(renderProviders);
  (document.getElementById('providers') as HTMLElement).hidden = providers.length === 0;
  submit.disabled = false;
}

/** Shows the sign-in view, the email kept from the journey so far. */
export function resetSignInScreen(): void {
  const emailInput = byTestId<HTMLInputElement>('email');
  if (journey.email) emailInput.value = journey.email;
  byTestId<HTMLInputElement>('password').value = '';
  emailInput.dispatchEvent(new Event('input'));
  showView('sign-in');
}
