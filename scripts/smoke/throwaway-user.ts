/**
 * The smoke test's throwaway identity: a unique email and a strong random
 * password made in-process. The password is never printed or written.
 */
import { randomInt, randomUUID } from 'node:crypto';

export interface ThrowawayUser {
  readonly email: string;
  readonly password: string;
}

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
/** A subset of the symbols Cognito counts as special characters. */
const SYMBOLS = '^$*.[]{}()?!@#%&/,><:;|_~=+-';

/** Long enough for any policy the stage schema allows (its maximum minimum is 99). */
export function strongPassword(length = 40): string {
  const all = LOWER + UPPER + DIGITS + SYMBOLS;
  const chars = [LOWER, UPPER, DIGITS, SYMBOLS].map(pick);
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

export function newThrowawayUser(minLength = 0): ThrowawayUser {
  const id = randomUUID().slice(0, 8);
  return { email: `cognito-access-smoke-${id}@example.com`, password: strongPassword(Math.max(40, minLength)) };
}

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)];
}
