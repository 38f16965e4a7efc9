/**
 * Cognito's and Amplify's error names as plain sentences in the current
 * language (strings `error.<Name>`). Errors the page has no sentence for keep
 * their own `Name: message`, so nothing useful is hidden.
 */
import { t } from './i18n';

export function plainError(error: unknown): string {
  const name = error instanceof Error ? error.name : undefined;
  if (name) {
    const sentence = t(`error.${name}`);
    if (sentence !== `error.${name}`) return sentence;
  }
  if (error instanceof Error) return name && name !== 'Error' ? `${name}: ${error.message}` : error.message;
  return String(error);
}
