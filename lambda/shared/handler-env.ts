/**
 * The handler environment contract: every variable a handler reads, and the
 * defaults that apply when one is absent. Pure data with no imports, so the
 * stack (lib/) builds each function's environment from the same names the
 * handlers read (docs/design.md, "Seams"). Handlers never import lib/.
 */

/** Variable names, by what they hold. */
export const HANDLER_ENV = {
  /** `<region>:<uuid>` of the identity pool that maps callers to identity IDs. */
  identityPoolId: 'IDENTITY_POOL_ID',
  /** `cognito-idp.<region>.amazonaws.com/<userPoolId>`, the key of GetId's `Logins` map. */
  userPoolProviderName: 'USER_POOL_PROVIDER_NAME',
  /** DynamoDB table mapping a user pool `sub` to its identity ID (GetId once per user). */
  identityMapTable: 'IDENTITY_MAP_TABLE',
  /** The user-files bucket. */
  bucketName: 'BUCKET_NAME',
  /** Comma-separated media types an upload URL accepts. */
  allowedContentTypes: 'ALLOWED_CONTENT_TYPES',
  /** Largest upload, in bytes. */
  maxUploadBytes: 'MAX_UPLOAD_BYTES',
  uploadUrlTtlSeconds: 'UPLOAD_URL_TTL_SECONDS',
  downloadUrlTtlSeconds: 'DOWNLOAD_URL_TTL_SECONDS',
  /** Comma-separated exact origins whose requests get CORS headers. */
  allowedOrigins: 'ALLOWED_ORIGINS',
} as const;

export type HandlerEnvKey = keyof typeof HANDLER_ENV;

/**
 * Variables a handler reads only when set; a handler without one answers as
 * if the resource did not exist yet.
 */
export const OPTIONAL_HANDLER_ENV = {
  /** DynamoDB table of upload check results (GSI `ByCheckedAt`: `kind`, `checkedAt`). */
  uploadResultsTable: 'UPLOAD_RESULTS_TABLE',
} as const;

/**
 * Upload limits. The stage schema takes its defaults from here too, so a
 * stage without `storage` keys and a handler without the variables agree.
 */
export const UPLOAD_DEFAULTS = {
  allowedContentTypes: ['text/csv'] as readonly string[],
  maxUploadBytes: 10 * 1024 * 1024,
  uploadUrlTtlSeconds: 300,
  downloadUrlTtlSeconds: 60,
} as const;
