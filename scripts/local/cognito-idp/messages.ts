/** One-time codes by email: generation, expiry, the message text and Cognito's masked destination. */
import { AwsJsonError } from './aws-json';
import { newCode } from './ids';
import type { Mailbox } from '../contracts';
import type { StoredCode } from './user-store';

/** How long codes last: sign-up confirmation 24 h, password reset 1 h (Cognito's limits). */
export const CODE_LIFETIME_SECONDS = { signUp: 24 * 3600, forgotPassword: 3600 } as const;

export interface CodeDeliveryDetails {
  readonly Destination: string;
  readonly DeliveryMedium: 'EMAIL';
  readonly AttributeName: 'email';
}

/** `j***@e***`, as Cognito masks an email destination. */
export function maskEmail(email: string): string {
  const [local, domain = ''] = email.split('@');
  return `${local.charAt(0)}***@${domain.charAt(0)}***`;
}

/**
 * Cognito's answer for an unknown user when the client prevents user-existence
 * errors: a delivery that looks like a known user's, and no mail.
 */
export function pretendedDelivery(username: string): { CodeDeliveryDetails: CodeDeliveryDetails } {
  return { CodeDeliveryDetails: { Destination: maskEmail(username), DeliveryMedium: 'EMAIL', AttributeName: 'email' } };
}

export function mailCode(
  mailbox: Mailbox,
  to: string,
  subject: string,
  template: string,
  lifetimeSeconds: number,
): { stored: StoredCode; details: CodeDeliveryDetails } {
  const code = newCode();
  mailbox.send({ to, subject, body: template.includes('{####}') ? template.replace('{####}', code) : `${template} ${code}`, code });
  return {
    stored: { code, expiresAt: Date.now() + lifetimeSeconds * 1000 },
    details: { Destination: maskEmail(to), DeliveryMedium: 'EMAIL', AttributeName: 'email' },
  };
}

/** Checks a code with Cognito's two distinct errors (wrong vs. expired). */
export function checkCode(stored: StoredCode | undefined, given: string): void {
  if (!stored || stored.code !== given) throw new AwsJsonError('CodeMismatchException', 'Invalid verification code provided, please try again.');
  if (stored.expiresAt <= Date.now()) throw new AwsJsonError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
}
