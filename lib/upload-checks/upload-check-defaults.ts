/**
 * Upload checker defaults, shared by `UploadChecks`' `@default`s and the stage
 * schema. Plain data (no CDK).
 */
export const UPLOAD_CHECK_DEFAULTS = {
  /** Checks that may run at once (the checker's reserved concurrency). */
  reservedConcurrency: 5,
  /**
   * The one rule for that number, applied by `UploadChecks` and the stage schema
   * alike: the SQS event source polls with at least 2 concurrent invocations, so
   * fewer reserved would throttle it (and 0 would never check an upload).
   */
  reservedConcurrencyRange: { min: 2, max: 1000 },
  /** How logs name files in stages that keep data: hashed, since the logs outlive the files. */
  logFileNames: 'hash',
} as const;
