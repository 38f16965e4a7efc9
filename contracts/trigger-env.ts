/**
 * The user pool triggers' environment contract: every variable a trigger
 * reads, and the shape of the sign-up policies it holds. Pure data with no
 * imports, so the stack (lib/) builds each trigger's environment from the same
 * names and shapes the triggers (lambda/) read.
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

/**
 * One provider's value in `PROVIDER_SIGN_UP`: how its users may join the pool
 * on their first sign-in: anyone, only users an administrator created and
 * linked beforehand (a linked user's first sign-in does not invoke the pre
 * sign-up trigger), or only verified addresses at these domains.
 */
export type ProviderSignUpPolicy = 'open' | 'existingUsers' | { readonly allowedEmailDomains: readonly string[] };
