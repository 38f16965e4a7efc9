/**
 * The upload checker (docs/design.md, "Upload checks"): SQS delivers the
 * bucket's EventBridge `Object Created` / `Object Deleted` events. Every new
 * object version under `<identityId>/` is decided once, whatever order events
 * arrive in: a name that breaks the file-name rule, an unreadable storage
 * class or a disallowed stored content type is rejected before the content
 * is read; otherwise the object is streamed through the CSV check. The
 * decision and the version's charge are recorded, and a rejected version is
 * deleted. A permanent deletion releases that version's charge. Events for an
 * identity whose account was deleted are dropped without writing anything.
 *
 * Returns a partial batch response: only records that failed (an AWS error)
 * are retried; events it does not act on are logged and dropped. A key
 * outside every identity prefix is also counted as a metric (nothing should write there).
 */
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { checkCsv, reject, type ByteSource, type CheckOutcome, type Rejected } from './shared/csv-check';
import { dynamodb } from './shared/dynamodb';
import { emitCount } from './shared/emf';
import { loadOnce, readUploadCheckEnv, type UploadCheckEnv } from './shared/env';
import { createLogger, describeError, fileNameForLog, type LogFields, type Logger } from './shared/log';
import { isSkip, parseUploadEvent, type ObjectRef, type UploadEvent } from './shared/s3-events';
import { isNotFound, s3 } from './shared/s3';
import { UPLOAD_CHECK_METRICS } from '../contracts/upload-check-metrics';
import { AccountDeletedError, UploadResults } from './shared/upload-results';

const config = loadOnce(() => {
  const env = readUploadCheckEnv(process.env);
  return { env, results: new UploadResults(dynamodb, env.uploadResultsTable, env.quotaBytesPerUser) };
});

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const log = createLogger(typeof context?.awsRequestId === 'string' ? context.awsRequestId : 'unknown', 'check-upload');
  const records = Array.isArray(event?.Records) ? event.Records : [];
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  // One record at a time: memory holds one object's chunk, whatever the batch size.
  for (const record of records) {
    try {
      await processRecord(record, log);
    } catch (error) {
      log.error('record failed; it will be retried', { messageId: record.messageId, ...describeError(error) });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};

async function processRecord(record: SQSRecord, log: Logger): Promise<void> {
  const { env, results } = config.get();
  const event = parseUploadEvent(typeof record.body === 'string' ? record.body : '');
  if (isSkip(event)) {
    if (event.outsideKey !== undefined && event.bucket === env.bucketName) {
      emitCount(UPLOAD_CHECK_METRICS.namespace, UPLOAD_CHECK_METRICS.keysOutsideIdentityPrefix);
      log.warn('key outside every identity prefix', { messageId: record.messageId, key: fileNameForLog(event.outsideKey, env.logFileNames) });
      return;
    }
    log.warn('event skipped', { messageId: record.messageId, why: event.skip });
    return;
  }
  if (event.bucket !== env.bucketName) {
    log.warn('event skipped', { messageId: record.messageId, why: 'another bucket' });
    return;
  }
  const fields: LogFields = {
    identityId: event.identityId,
    key: fileNameForLog(event.key, env.logFileNames),
    versionId: event.versionId,
    sequencer: event.sequencer,
  };
  try {
    await recordEvent(event, env, results, log, fields);
  } catch (error) {
    // DELETE /me marked the account deleted and is purging its objects: no row may name them again.
    if (!(error instanceof AccountDeletedError)) throw error;
    log.info('account deleted: event dropped', { ...fields, type: event.type, ...(event.type === 'deleted' ? { deletion: event.deletion } : {}) });
  }
}

async function recordEvent(event: UploadEvent, env: UploadCheckEnv, results: UploadResults, log: Logger, fields: LogFields): Promise<void> {
  if (event.type === 'created') return checkCreated(event, env, results, log, fields);
  if (event.deletion === 'permanent') {
    const released = await results.recordPermanentDeletion(event.identityId, event.name, event);
    log.info(released === undefined ? 'permanent deletion already recorded' : 'permanent deletion recorded', { ...fields, releasedBytes: released ?? 0 });
    return;
  }
  const changed = await results.recordDeleteMarker(event.identityId, event.name, event);
  log.info('delete marker recorded', { ...fields, changed });
}

async function checkCreated(
  event: Extract<UploadEvent, { type: 'created' }>,
  env: UploadCheckEnv,
  results: UploadResults,
  log: Logger,
  fields: LogFields,
): Promise<void> {
  Object.assign(fields, { size: event.size });
  const known = await results.getVersion(event.identityId, event.name, event.versionId);
  if (known !== undefined) {
    // A repeat, or an event after the version's permanent deletion. A rejected version is
    // deleted again: the first delete may have failed after the decision was recorded.
    if (known.state === 'rejected') await deleteVersion(event, env);
    log.info('version already decided', { ...fields, state: known.state });
    return;
  }

  const outcome = await decide(event, env);
  if (outcome === undefined) {
    // Deleted before we got to it: nothing is stored, so nothing is charged.
    log.info('object version already gone', fields);
    return;
  }
  const recorded = await results.recordCheck(event.identityId, event.name, event, outcome);
  if (recorded.kind === 'decided') {
    if (recorded.version.state === 'rejected') await deleteVersion(event, env);
    log.info('version decided by another event', { ...fields, state: recorded.version.state });
    return;
  }
  const result = recorded.outcome;
  if (result.status === 'rejected') await deleteVersion(event, env);
  log.info('upload checked', {
    ...fields,
    status: result.status,
    newest: recorded.newest,
    ...(result.status === 'accepted' ? { rows: result.rows, columns: result.columns, warnings: result.warnings } : { reason: result.reason }),
  });
}

/** The decision on one version; undefined when the version no longer exists. */
async function decide(event: Extract<UploadEvent, { type: 'created' }>, env: UploadCheckEnv): Promise<CheckOutcome | undefined> {
  if (event.nameProblem !== undefined) return reject('bad_name', `The file name is not allowed: ${event.nameProblem}.`);
  try {
    return await checkCsv(objectBytes(event, env), event.size, {
      maxBytes: env.maxUploadBytes,
      maxColumns: env.csvMaxColumns,
      maxFieldBytes: env.csvMaxFieldBytes,
    });
  } catch (error) {
    if (error instanceof VersionRejected) return error.outcome;
    // An archive storage class (GLACIER, DEEP_ARCHIVE…): S3 will not serve it, so it cannot be checked.
    if ((error as Error | undefined)?.name === 'InvalidObjectState') {
      return reject('storage_class', 'The file is stored in a storage class that cannot be read directly; upload it with the STANDARD storage class.');
    }
    if (isGone(error)) return undefined;
    throw error;
  }
}

/**
 * The object version's bytes, fetched when first read (a too-large object is
 * never fetched). Its stored Content-Type is checked before any byte is read:
 * browsers trust it when the file is downloaded.
 */
async function* objectBytes(ref: ObjectRef, env: UploadCheckEnv): ByteSource {
  const response = await s3.send(new GetObjectCommand({ Bucket: env.bucketName, Key: ref.key, ...(ref.hasVersion ? { VersionId: ref.versionId } : {}) }));
  const body = response.Body as Readable | undefined;
  if (!env.allowedContentTypes.includes(mediaType(response.ContentType))) {
    body?.destroy();
    throw new VersionRejected(reject('content_type', `The file's stored content type is not one of: ${env.allowedContentTypes.join(', ')}.`));
  }
  if (body === undefined) return;
  try {
    yield* body as AsyncIterable<Uint8Array>;
  } finally {
    // The check may stop early: close the connection instead of draining it.
    body.destroy();
  }
}

/** `Text/CSV; charset=utf-8` → `text/csv`; empty when absent. */
function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

async function deleteVersion(ref: ObjectRef, env: UploadCheckEnv): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: env.bucketName, Key: ref.key, ...(ref.hasVersion ? { VersionId: ref.versionId } : {}) }));
}

/** The version was deleted (404 NoSuchKey/NoSuchVersion) or is a delete marker (405). */
function isGone(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return isNotFound(error) || e?.name === 'NoSuchVersion' || e?.$metadata?.httpStatusCode === 405;
}

/** A rejection decided from the GetObject response, before the content is read. */
class VersionRejected extends Error {
  constructor(public readonly outcome: Rejected) {
    super(outcome.message);
    this.name = 'VersionRejected';
  }
}
