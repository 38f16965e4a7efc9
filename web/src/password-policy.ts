/**
 * The user pool's password policy (`auth.password_policy` in the outputs),
 * shown as a checklist beside a new-password field and ticked as the person
 * types, so Cognito's InvalidPasswordException is rarely the first they hear of it.
 */
import type { AmplifyAuthOutputs } from '../../contracts/amplify-outputs';
import { h } from './dom';
import { onLanguageChange, t } from './i18n';

type Policy = AmplifyAuthOutputs['password_policy'];

interface Rule {
  readonly label: () => string;
  readonly met: (password: string) => boolean;
}

function rules(policy: Policy): Rule[] {
  return [
    { label: () => t('policy.minLength', { count: policy.min_length }), met: (p) => [...p].length >= policy.min_length },
    ...(policy.require_lowercase ? [{ label: () => t('policy.lowercase'), met: (p: string) => /[a-z]/.test(p) }] : []),
    ...(policy.require_uppercase ? [{ label: () => t('policy.uppercase'), met: (p: string) => /[A-Z]/.test(p) }] : []),
    ...(policy.require_numbers ? [{ label: () => t('policy.digit'), met: (p: string) => /[0-9]/.test(p) }] : []),
    ...(policy.require_symbols ? [{ label: () => t('policy.symbol'), met: (p: string) => /[^A-Za-z0-9]/.test(p) }] : []),
  ];
}

/** Renders the checklist into `container` and keeps it in step with `input`; returns a check for submit time. */
export function attachPasswordPolicy(container: HTMLElement, input: HTMLInputElement, policy: Policy): { meets: () => boolean } {
  const list = rules(policy);
  const render = () => {
    const password = input.value;
    container.replaceChildren(
      h('p', { class: 'policy-heading' }, t('policy.heading')),
      h(
        'ul',
        {},
        ...list.map((rule) => {
          const met = rule.met(password);
          // The state is in words too, not only in colour.
          return h('li', { 'data-met': met ? 'true' : 'false' }, `${rule.label()} (${met ? t('policy.met') : t('policy.unmet')})`);
        }),
      ),
    );
  };
  input.addEventListener('input', render);
  onLanguageChange(render);
  render();
  return { meets: () => list.every((rule) => rule.met(input.value)) };
}
