/**
 * Upload checker defaults, shared by `UploadChecks`' `@default`s and the stage
 * schema. Plain data (no CDK).
 */
export const UPLOAD_CHECK_DEFAULTS = {
  /** Checks that may run at once (the checker's reserved concurrency). */
  reservedConcurrency: 5,
  /** How logs name files in stages that keep data: hashed, since the logs outlive the files. */
  logFileNames: 'hash',
} as const;
