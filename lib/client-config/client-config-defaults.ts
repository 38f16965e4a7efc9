/** The fixed choices of the generated `amplify_outputs.json`, gathered in one place. Plain data. */

/** Every fixed choice of the generated file, in one place. */
export const CLIENT_CONFIG_DEFAULTS = {
  /** The key under `custom.API` (and so under `API.REST`): `get({ apiName: 'cognitoAccess', path: 'me' })`. */
  restApiName: 'cognitoAccess',
  /** Amplify's friendly name of the bucket: `uploadData({ options: { bucket: 'files' } })`. */
  bucketFriendlyName: 'files',
  /**
   * Each identity's own prefix. Amplify substitutes `{entity_id}` with the
   * identity pool ID (`region:GUID`), the same value IAM sees as
   * `${cognito-identity.amazonaws.com:sub}`.
   */
  ownPath: '{entity_id}/*',
  ownPathActions: ['get', 'list', 'write', 'delete'],
  /** The user pool signs in by email (see lib/user-directory) and requires it. */
  usernameAttributes: ['email'],
  requiredAttributes: ['email'],
  verificationTypes: ['email'],
  /** Authorization-code grant with PKCE; the app client allows no implicit grant. */
  responseType: 'code',
} as const;
