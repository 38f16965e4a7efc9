/**
 * The one live region (`data-testid="status"`): every outcome, good or bad,
 * is announced here so screen-reader users hear what sighted users see.
 */
import { byTestId } from './dom';

export type Tone = 'info' | 'success' | 'error';

export function showStatus(message: string, tone: Tone = 'info'): void {
  const region = byTestId('status');
  region.textContent = message;
  region.dataset.tone = tone;
}

/** `Name: message` of anything thrown, as Amplify and the API report it. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}
