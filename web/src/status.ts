/**
 * The one live region (`data-testid="status"`): every outcome, good or bad,
 * is announced here so screen-reader users hear what sighted users see.
 */
import { plainError } from './cognito-errors';
import { byTestId } from './dom';
import { onLanguageChange } from './i18n';

export type Tone = 'info' | 'success' | 'error';

/** A message, or a function that words it in the current language (then it follows a language switch). */
export type Message = string | (() => string);

let last: Message | undefined;
onLanguageChange(() => {
  if (typeof last === 'function') byTestId('status').textContent = last();
});

export function showStatus(message: Message, tone: Tone = 'info'): void {
  const region = byTestId('status');
  last = message;
  region.textContent = typeof message === 'function' ? message() : message;
  region.dataset.tone = tone;
}

/** A plain sentence for anything thrown (web/src/cognito-errors.ts), in the current language. */
export function describeError(error: unknown): string {
  return plainError(error);
}
