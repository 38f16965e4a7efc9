/**
 * `storage`: the user-files bucket and the upload checks, and the
 * IdentityScopedStorage and UploadChecks props it becomes.
 */
import { Duration } from 'aws-cdk-lib';
import { z } from 'zod';
import { UPLOAD_DEFAULTS } from '../../../contracts/handler-env';
import type { IdentityScopedStorageProps } from '../../identity-storage/identity-scoped-storage';
import { STORAGE_DEFAULTS } from '../../identity-storage/storage-defaults';
import { UPLOAD_CHECK_DEFAULTS } from '../../upload-checks/upload-check-defaults';
import type { UploadChecksProps } from '../../upload-checks/upload-checks';
import { logFileNamesOf, removalPolicyOf } from '../removal';
import type { StageConfig } from '../stage-config';

export const storage = z
  .strictObject({
    kmsEncryption: z
      .boolean()
      .default(STORAGE_DEFAULTS.kmsEncryption)
      .describe('Encrypt user files with a customer managed KMS key (rotation on); S3-managed keys otherwise.'),
    noncurrentVersionDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(STORAGE_DEFAULTS.noncurrentVersionDays)
      .describe('Days after which a noncurrent object version (a replaced or deleted file) expires; it counts against the quota until then.'),
    abortIncompleteUploadDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .default(STORAGE_DEFAULTS.abortIncompleteUploadDays)
      .describe('Days after which incomplete multipart uploads are aborted.'),
    accessLogs: z.boolean().default(STORAGE_DEFAULTS.accessLogs).describe('S3 server access logs into a separate bucket.'),
    accessLogRetentionDays: z.number().int().min(1).max(3650).default(STORAGE_DEFAULTS.accessLogRetentionDays).describe('Days access-log objects are kept.'),
    allowedContentTypes: z
      .array(z.string().regex(/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/, 'a MIME type such as text/csv'))
      .min(1)
      .default([...UPLOAD_DEFAULTS.allowedContentTypes])
      .describe(
        'Content types an upload URL accepts; the checker rejects any other stored Content-Type as content_type, and the web app offers and sends only these (custom.cognito_access.allowed_content_types in amplify_outputs.json).',
      ),
    maxUploadBytes: z
      .number()
      .int()
      .min(1)
      .max(5 * 1024 ** 3)
      .default(UPLOAD_DEFAULTS.maxUploadBytes)
      .describe(
        'Largest upload (bytes): an upload URL allows no more, the checker rejects a larger object as too_large, and the web app states it and refuses a larger file before sending it (custom.cognito_access.max_upload_bytes).',
      ),
    quotaBytesPerUser: z
      .number()
      .int()
      .min(1)
      .default(UPLOAD_DEFAULTS.quotaBytesPerUser)
      .describe(
        'Bytes of accepted files each identity may keep, counting every stored version (replaced and deleted files count until their versions expire); an upload past it is rejected as quota_exceeded.',
      ),
    csv: z
      .strictObject({
        maxColumns: z.number().int().min(1).max(100000).default(UPLOAD_DEFAULTS.csvMaxColumns).describe('More columns are rejected as too_many_columns.'),
        maxFieldBytes: z
          .number()
          .int()
          .min(1)
          .max(16 * 1024 * 1024)
          .default(UPLOAD_DEFAULTS.csvMaxFieldBytes)
          .describe('A larger field is rejected as parse_error.'),
      })
      .prefault({})
      .describe('Limits of the upload checker.'),
    checker: z
      .strictObject({
        reservedConcurrency: z
          .number()
          .int()
          // The construct's own range, applied here too so a stage file's error names the field.
          .min(UPLOAD_CHECK_DEFAULTS.reservedConcurrencyRange.min)
          .max(UPLOAD_CHECK_DEFAULTS.reservedConcurrencyRange.max)
          .default(UPLOAD_CHECK_DEFAULTS.reservedConcurrency)
          .describe(
            'Upload checks that run at once: the checker\'s reserved concurrency, taken from the account\'s Lambda concurrency quota, which must keep 100 unreserved. The queue holds the rest for up to 14 days; see docs/performance.md, "Upload checker throughput".',
          ),
      })
      .prefault({})
      .describe('The upload checker function.'),
  })
  .prefault({})
  .describe('The user-files bucket and the upload checks.');

/** The stage's storage; the hosted web app's origin is added by the stack once the site exists. */
export function storageProps(config: StageConfig): IdentityScopedStorageProps {
  return {
    corsOrigins: [...config.webOrigins],
    kmsEncryption: config.storage.kmsEncryption,
    noncurrentVersionExpiration: Duration.days(config.storage.noncurrentVersionDays),
    abortIncompleteUploadAfter: Duration.days(config.storage.abortIncompleteUploadDays),
    accessLogs: config.storage.accessLogs,
    accessLogRetention: Duration.days(config.storage.accessLogRetentionDays),
    removalPolicy: removalPolicyOf(config),
  };
}

/** Upload checks; the stack adds the bucket. */
export function uploadChecksProps(config: StageConfig): Omit<UploadChecksProps, 'bucket'> {
  return {
    maxUploadBytes: config.storage.maxUploadBytes,
    allowedContentTypes: config.storage.allowedContentTypes,
    quotaBytesPerUser: config.storage.quotaBytesPerUser,
    csvMaxColumns: config.storage.csv.maxColumns,
    csvMaxFieldBytes: config.storage.csv.maxFieldBytes,
    maxConcurrency: config.storage.checker.reservedConcurrency,
    logFileNames: logFileNamesOf(config),
    tracing: config.api.tracing,
    logRetention: config.api.handlerLogRetentionDays,
    removalPolicy: removalPolicyOf(config),
  };
}
