/**
 * Bucket and table defaults, shared by `IdentityScopedStorage`'s `@default`s
 * and the stage schema. Plain data (no CDK).
 */
export const STORAGE_DEFAULTS = {
  noncurrentVersionDays: 30,
  abortIncompleteUploadDays: 1,
  accessLogs: true,
  accessLogRetentionDays: 90,
  /** How long an overwritten or deleted access log stays recoverable. */
  accessLogNoncurrentVersionDays: 30,
  kmsEncryption: false,
} as const;
