/**
 * The handler environment contract: every variable a handler reads, and the
 * defaults that apply when one is absent. Pure data with no imports, so the
 * stack (lib/) builds each function's environment from the same names the
 * handlers (lambda/) read (docs/design.md, "Seams").
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
  /** DynamoDB table of upload check results and per-identity usage. */
  uploadResultsTable: 'UPLOAD_RESULTS_TABLE',
  /** The identity-scoped items table (partition key `identityId`); only DELETE /me reads it. */
  itemsTable: 'ITEMS_TABLE',
  /** Bytes each identity may keep in accepted files. */
  quotaBytesPerUser: 'QUOTA_BYTES_PER_USER',
  /** Most columns an accepted CSV may have. */
  csvMaxColumns: 'CSV_MAX_COLUMNS',
  /** Largest single CSV field, in bytes. */
  csvMaxFieldBytes: 'CSV_MAX_FIELD_BYTES',
  /** Comma-separated exact origins whose requests get CORS headers. */
  allowedOrigins: 'ALLOWED_ORIGINS',
  /**
   * How logs name files and keys: `plain`, or `hash` (sha256, first 16 hex digits) in stages that
   * retain data, whose logs outlive the files. Unset: `hash` (fails safe).
   */
  logFileNames: 'LOG_FILE_NAMES',
} as const;

export type HandlerEnvKey = keyof typeof HANDLER_ENV;

/** The variables the upload checker reads; the stack sets each of them on the checker. */
export const UPLOAD_CHECK_ENV_KEYS = [
  'bucketName',
  'uploadResultsTable',
  'allowedContentTypes',
  'maxUploadBytes',
  'quotaBytesPerUser',
  'csvMaxColumns',
  'csvMaxFieldBytes',
  'logFileNames',
] as const satisfies readonly HandlerEnvKey[];

export type UploadCheckEnvKey = (typeof UPLOAD_CHECK_ENV_KEYS)[number];

/**
 * Upload limits. The stage schema and the web app take their defaults from
 * here too, so a stage without `storage` keys, a handler without the variables
 * and a client config without the limits agree.
 */
export const UPLOAD_DEFAULTS = {
  allowedContentTypes: ['text/csv'] as readonly string[],
  maxUploadBytes: 10 * 1024 * 1024,
  uploadUrlTtlSeconds: 300,
  downloadUrlTtlSeconds: 60,
  quotaBytesPerUser: 100 * 1024 * 1024,
  csvMaxColumns: 1000,
  csvMaxFieldBytes: 128 * 1024,
} as const;
