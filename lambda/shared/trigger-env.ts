/**
 * The user pool triggers' environment contract: every variable a trigger
 * reads. Pure data with no imports, so the stack (lib/) builds each trigger's
 * environment from the same names the handlers read. Handlers never import lib/.
 */
export const TRIGGER_ENV = {
  /** Comma-separated lowercase email domains that may sign up, from any source (pre sign-up); unset: any domain. */
  allowedEmailDomains: 'ALLOWED_EMAIL_DOMAINS',
  /**
   * JSON map of Cognito provider name → sign-up policy for first federated
   * sign-ins (pre sign-up): `"open"`, `"existingUsers"` or
   * `{"allowedEmailDomains": [...]}`. Always set when the trigger exists.
   */
  providerSignUp: 'PROVIDER_SIGN_UP',
  /** The group every confirmed new user joins (post confirmation). */
  defaultGroup: 'DEFAULT_GROUP',
} as const;

export type TriggerEnvKey = keyof typeof TRIGGER_ENV;
