/** Secrets, codes and opaque tokens in the shapes Cognito uses. */
import { randomBytes, randomInt } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomOf(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** A client secret: 51 lowercase alphanumerics, as Cognito generates. */
export const newClientSecret = (): string => randomOf(LOWER_ALNUM, 51);

/** A 6-digit one-time code. */
export const newCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** An opaque token (sessions, refresh tokens). */
export const opaqueToken = (bytes = 48): string => randomBytes(bytes).toString('base64url');
