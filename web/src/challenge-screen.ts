/**
 * The answers a sign-in may ask for after its first factor: a code (TOTP,
 * email, SMS) or a new password, and the choice of MFA method (to use, or to
 * set up when the pool requires MFA). SMS is never offered for setup: the
 * page has no phone number field (web/src/unsupported-methods.ts).
 */
import { confirmSignIn } from 'aws-amplify/auth';
import { byTestId } from './dom';
import { onLanguageChange, t } from './i18n';
import { continueSignIn, type ChallengeKind, type MfaType } from './sign-in-flow';
import { showView } from './signed-out-views';
import { describeError, showStatus } from './status';

const CHALLENGES: Record<ChallengeKind, { label: string; type: string; autocomplete: AutoFill; inputmode?: string }> = {
  totp: { label: 'challenge.totp', type: 'text', autocomplete: 'one-time-code', inputmode: 'numeric' },
  email: { label: 'challenge.email', type: 'text', autocomplete: 'one-time-code', inputmode: 'numeric' },
  sms: { label: 'challenge.sms', type: 'text', autocomplete: 'one-time-code', inputmode: 'numeric' },
  newPassword: { label: 'challenge.newPassword', type: 'password', autocomplete: 'new-password' },
};

export function setUpChallengeScreen(): { showChallenge: (kind: ChallengeKind) => void; showMfaChoice: (types: readonly MfaType[], setup: boolean) => void } {
  const form = document.getElementById('challenge-form') as HTMLFormElement;
  const input = byTestId<HTMLInputElement>('challenge-code');
  const label = document.getElementById('challenge-label') as HTMLElement;
  const submit = byTestId<HTMLButtonElement>('challenge-submit');
  let current: ChallengeKind = 'totp';
  onLanguageChange(() => {
    label.textContent = t(CHALLENGES[current].label);
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    confirmSignIn({ challengeResponse: input.value.trim() })
      .then((output) => {
        input.value = '';
        return continueSignIn(output);
      })
      .catch((error: unknown) => {
        showStatus(() => t('challenge.failed', { error: describeError(error) }), 'error');
        input.focus();
      })
      .finally(() => {
        submit.disabled = false;
      });
  });

  const choose = (type: MfaType) => {
    confirmSignIn({ challengeResponse: type })
      .then(continueSignIn)
      .catch((error: unknown) => showStatus(() => t('challenge.failed', { error: describeError(error) }), 'error'));
  };
  byTestId('mfa-choice-totp').addEventListener('click', () => choose('TOTP'));
  byTestId('mfa-choice-email').addEventListener('click', () => choose('EMAIL'));

  return {
    showChallenge(kind) {
      current = kind;
      const challenge = CHALLENGES[kind];
      label.textContent = t(challenge.label);
      input.type = challenge.type;
      input.autocomplete = challenge.autocomplete;
      if (challenge.inputmode) input.inputMode = challenge.inputmode;
      else input.removeAttribute('inputmode');
      input.value = '';
      showView('challenge');
      input.focus();
      showStatus(() => t('challenge.needed', { label: t(challenge.label) }));
    },
    showMfaChoice(types, setup) {
      const heading = document.getElementById('mfa-choice-heading') as HTMLElement;
      heading.dataset.i18n = setup ? 'mfa.setupChoiceHeading' : 'mfa.choiceHeading';
      heading.textContent = t(heading.dataset.i18n);
      byTestId('mfa-choice-totp').hidden = !types.includes('TOTP');
      byTestId('mfa-choice-email').hidden = !types.includes('EMAIL');
      const offered = types.filter((type) => type !== 'SMS');
      if (offered.length === 1 && offered[0]) {
        // One method this page can offer: no choice to make.
        choose(offered[0]);
        return;
      }
      if (offered.length === 0) {
        showStatus(() => t('mfa.noOption', { methods: types.join(', ') }), 'error');
        return;
      }
      showView('mfa-choice');
      showStatus(() => t(heading.dataset.i18n!));
    },
  };
}
