/**
 * Setting up an authenticator app, in two places: during sign-in when the
 * pool requires MFA (CONTINUE_SIGN_IN_WITH_TOTP_SETUP, answered with
 * confirmSignIn), and on the signed-in page when MFA is optional (setUpTOTP,
 * verifyTOTPSetup, then TOTP becomes the preferred method). Both show the
 * base32 key as text (`totp-secret`) for typing or copying.
 */
import { fetchMFAPreference, setUpTOTP, updateMFAPreference, verifyTOTPSetup, type SetUpTOTPOutput as AuthTOTPSetupDetails } from 'aws-amplify/auth';
import type { AuthChoices } from './auth-choices';
import { h } from './dom';
import { qrCodeImage } from './qr-code';
import { onLanguageChange, t } from './i18n';
import { describeError, showStatus } from './status';

/** The name authenticator apps list the account under. */
const ISSUER = 'Cognito access';

/** Renders the setup form into `container`; `verify` receives the typed code and throws when it is wrong. */
export function renderTotpSetup(container: HTMLElement, details: AuthTOTPSetupDetails, account: string, verify: (code: string) => Promise<void>): void {
  const uri = details.getSetupUri(ISSUER, account).toString();
  const form = h('form', { 'data-testid': 'totp-setup', method: 'post', action: '/' });
  const qrSlot = h('div', { class: 'totp-qr-slot' });
  // The key as text always works; the QR code is a convenience that may fail to load.
  void qrCodeImage(uri, t('totp.qr'))
    .then((image) => qrSlot.replaceChildren(image))
    .catch(() => undefined);
  const render = () => {
    const typed = form.querySelector<HTMLInputElement>('[data-testid="totp-code"]')?.value ?? '';
    const codeInput = h('input', {
      'data-testid': 'totp-code',
      id: 'totp-code',
      name: 'code',
      autocomplete: 'one-time-code',
      inputmode: 'numeric',
      required: true,
    });
    codeInput.value = typed;
    qrSlot.querySelector('img')?.setAttribute('alt', t('totp.qr'));
    form.replaceChildren(
      h('p', {}, t('totp.intro')),
      qrSlot,
      h(
        'p',
        { class: 'totp-key' },
        `${t('totp.secret')}: `,
        h('code', { 'data-testid': 'totp-secret', class: 'totp-secret', 'data-uri': uri }, details.sharedSecret),
      ),
      h('label', { for: 'totp-code' }, t('totp.code')),
      codeInput,
      h('button', { 'data-testid': 'totp-submit', type: 'submit' }, t('totp.submit')),
    );
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const code = (form.querySelector('[data-testid="totp-code"]') as HTMLInputElement).value.trim();
    verify(code).catch((error: unknown) => showStatus(() => t('totp.failed', { error: describeError(error) }), 'error'));
  });
  render();
  const stop = onLanguageChange(render);
  container.replaceChildren(form);
  // Language re-renders stop once the form is gone.
  new MutationObserver((_, observer) => {
    if (!form.isConnected) {
      stop();
      observer.disconnect();
    }
  }).observe(container, { childList: true });
  (form.querySelector('[data-testid="totp-code"]') as HTMLInputElement).focus();
}

/**
 * The signed-in page's "Two-step sign-in" section, only when the stage lets
 * people add TOTP themselves (MFA optional or required, TOTP among its methods).
 */
export function mountTotpSection(parent: HTMLElement, choices: AuthChoices, account: () => string): { show: () => Promise<void> } {
  if (choices.mfaMode === 'NONE' || !choices.mfaMethods.includes('TOTP')) return { show: () => Promise.resolve() };
  const section = h('section', { 'aria-labelledby': 'totp-section-heading', class: 'security' });
  const slot = h('div');
  const start = h('button', { type: 'button', class: 'secondary', 'data-testid': 'totp-setup-start' });
  const heading = h('h2', { id: 'totp-section-heading' });
  const intro = h('p');
  const render = () => {
    heading.textContent = t('totp.sectionHeading');
    intro.textContent = t('totp.optional');
    start.textContent = t('totp.start');
  };
  render();
  onLanguageChange(render);
  start.addEventListener('click', () => {
    setUpTOTP()
      .then((details) =>
        renderTotpSetup(slot, details, account(), async (code) => {
          await verifyTOTPSetup({ code });
          await updateMFAPreference({ totp: 'PREFERRED' });
          slot.replaceChildren();
          start.hidden = true;
          showStatus(() => t('totp.done'), 'success');
        }),
      )
      .catch((error: unknown) => showStatus(() => t('totp.failed', { error: describeError(error) }), 'error'));
  });
  section.append(heading, intro, start, slot);
  parent.append(section);
  return {
    async show() {
      slot.replaceChildren();
      // Someone who already has an app set up sees no setup button.
      start.hidden = await fetchMFAPreference().then(
        ({ enabled }) => enabled?.includes('TOTP') ?? false,
        () => false,
      );
    },
  };
}
