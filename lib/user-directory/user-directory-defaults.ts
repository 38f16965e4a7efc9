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
} as const;
