/**
 * A stage may enable a method this page cannot offer: SMS needs a phone
 * number, and the page has no phone field. Say so plainly on the sign-in
 * screen instead of leaving someone at a dead end.
 */
import type { AuthChoices } from './auth-choices';
import { h } from './dom';
import { onLanguageChange, t } from './i18n';

export function showUnsupportedMethods(choices: AuthChoices): void {
  const notice = document.getElementById('unsupported-methods') as HTMLElement;
  const keys = [...(choices.mfaMethods.includes('SMS') ? ['unsupported.sms'] : []), ...(choices.smsCodeSignIn ? ['unsupported.smsOtp'] : [])];
  const render = () => notice.replaceChildren(...keys.map((key) => h('p', {}, t(key))));
  render();
  onLanguageChange(render);
  notice.hidden = keys.length === 0;
}
