/** The pool's password policy, with Cognito's own InvalidPasswordException messages. */
import { AwsJsonError } from './aws-json';

export interface PasswordPolicy {
  readonly minimumLength: number;
  readonly requireLowercase: boolean;
  readonly requireUppercase: boolean;
  readonly requireNumbers: boolean;
  readonly requireSymbols: boolean;
  /** Previous passwords a new one may not repeat (0: no history). */
  readonly passwordHistorySize: number;
  readonly temporaryPasswordValidityDays: number;
}

/** Cognito's defaults when the template has no PasswordPolicy. */
export const COGNITO_DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minimumLength: 8,
  requireLowercase: true,
  requireUppercase: true,
  requireNumbers: true,
  requireSymbols: true,
  passwordHistorySize: 0,
  temporaryPasswordValidityDays: 7,
};

/** The special characters Cognito counts as symbols. */
const SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ');

export function checkPassword(policy: PasswordPolicy, password: string): void {
  const fail = (what: string) => {
    throw new AwsJsonError('InvalidPasswordException', `Password did not conform with policy: ${what}`);
  };
  if (password.length < policy.minimumLength) fail('Password not long enough');
  if (password.length > 256) fail('Password is too long');
  if (/^\s|\s$/.test(password)) fail('Password must not begin or end with whitespace');
  if (policy.requireLowercase && !/[a-z]/.test(password)) fail('Password must have lowercase characters');
  if (policy.requireUppercase && !/[A-Z]/.test(password)) fail('Password must have uppercase characters');
  if (policy.requireNumbers && !/[0-9]/.test(password)) fail('Password must have numeric characters');
  if (policy.requireSymbols && ![...password].some((c) => SYMBOLS.has(c))) fail('Password must have symbol characters');
}
