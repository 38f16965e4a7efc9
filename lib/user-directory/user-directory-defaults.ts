/**
 * What a user directory gets when nothing is said: the construct's `@default`s
 * and the stage schema's defaults both come from here. Plain data (no CDK), so
 * the schema stays free of CDK types.
 */
export const USER_DIRECTORY_DEFAULTS = {
  passwordPolicy: {
    minLength: 12,
    requireLowercase: true,
    requireUppercase: true,
    requireDigits: true,
    requireSymbols: true,
    tempPasswordValidityDays: 3,
    passwordHistorySize: 5,
  },
  mfa: { mode: 'optional', totp: true, sms: false, email: false },
  /** Scopes a browser app needs for sign-in; no admin scope. */
  oAuthScopes: ['openid', 'email', 'profile'],
  accessTokenMinutes: 30,
  idTokenMinutes: 30,
  refreshTokenDays: 7,
  authSessionMinutes: 3,
  /** Scopes requested from an OIDC provider. */
  oidcScopes: ['openid', 'email', 'profile'],
  /** First sign-in factors: password only, so no choice-based sign-in unless a stage asks. */
  firstFactors: ['password'],
  /** Cognito's own default for passkeys. */
  passkeyUserVerification: 'preferred',
  /**
   * Refresh token rotation: each refresh returns a new refresh token and retires
   * the old one after a grace period, so a stolen refresh token works once at most.
   */
  refreshTokenRotation: { enabled: true, retryGraceSeconds: 10 },
  /** Access-token lifetime of a machine (client credentials) client. */
  machineAccessTokenMinutes: 60,
} as const;
