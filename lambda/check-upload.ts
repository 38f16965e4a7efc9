/**
 * The upload checker (docs/design.md, "Upload checks"): SQS delivers the
 * bucket's EventBridge `Object Created` / `Object Deleted` events. For each
 * new object version under `<identityId>/` it streams the object through the
 * CSV check, records the result (and the storage charge), and deletes a
 * rejected version. Deletions give the charged bytes back.
 *
 * Returns a partial batch response: only records that failed (an AWS error)
 * are retried; events it does not act on are logged and dropped.
 */
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { checkCsv, type ByteSource } from './shared/csv-check';
import { dynamodb } from './shared/dynamodb';
import { loadOnce, readUploadCheckEnv, type UploadCheckEnv } from './shared/env';
import { createLogger, describeError, type Logger } from './shared/log';
import { isSkip, parseUploadEvent, type ObjectRef, type UploadEvent } from './shared/s3-events';
import { isNotFound, s3 } from './shared/s3';
import { compareSequencers, UploadResults } from './shared/upload-results';

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
    log.warn('event skipped', { messageId: record.messageId, why: event.skip });
    return;
  }
  if (event.bucket !== env.bucketName) {
    log.warn('event skipped', { messageId: record.messageId, why: 'another bucket' });
    return;
  }
  if (event.type === 'deleted') {
    const changed = await results.recordDeletion(event.identityId, event.name, { kind: event.deletion, versionId: event.versionId, sequencer: event.sequencer });
    log.info('deletion recorded', { key: event.key, deletion: event.deletion, changed });
    return;
  }
  await checkCreated(event, env, results, log);
}

async function checkCreated(event: Extract<UploadEvent, { type: 'created' }>, env: UploadCheckEnv, results: UploadResults, log: Logger): Promise<void> {
  const fields = { key: event.key, versionId: event.versionId, sequencer: event.sequencer, size: event.size };
  const stored = await results.get(event.identityId, event.name, true);
  const order = stored === undefined ? -1 : compareSequencers(stored.sequencer, event.sequencer);
  if (stored !== undefined && order >= 0) {
    // A repeat of an event whose rejected version may not have been deleted yet (the delete failed).
    if (order === 0 && stored.status === 'rejected' && stored.versionId === event.versionId) await deleteVersion(event, env);
    log.info('event already superseded', { ...fields, storedSequencer: stored.sequencer });
    return;
  }

  let outcome;
  try {
    outcome = await checkCsv(objectBytes(event, env), event.size, {
      maxBytes: env.maxUploadBytes,
      maxColumns: env.csvMaxColumns,
      maxFieldBytes: env.csvMaxFieldBytes,
    });
  } catch (error) {
    if (!isGone(error)) throw error;
    // Deleted before we got to it: nothing is stored, so nothing is charged.
    log.info('object version already gone', fields);
    return;
  }

  const recorded = await results.recordCheck(event.identityId, event.name, event, outcome, { stored });
  if (recorded.kind === 'stale') {
    log.info('event superseded while checking', { ...fields, storedSequencer: recorded.stored.sequencer });
    return;
  }
  const { result } = recorded;
  if (result.status === 'rejected') await deleteVersion(event, env);
  log.info('upload checked', {
    ...fields,
    status: result.status,
    ...(result.status === 'accepted' ? { rows: result.rows, columns: result.columns, warnings: result.warnings } : { reason: result.reason }),
  });
}

/** The object version's bytes, fetched when first read (a too-large object is never fetched). */
async function* objectBytes(ref: ObjectRef, env: UploadCheckEnv): ByteSource {
  const response = await s3.send(new GetObjectCommand({ Bucket: env.bucketName, Key: ref.key, ...(ref.hasVersion ? { VersionId: ref.versionId } : {}) }));
  const body = response.Body as Readable | undefined;
  if (body === undefined) return;
  try {
    yield* body as AsyncIterable<Uint8Array>;
  } finally {
    // The check may stop early: close the connection instead of draining it.
    body.destroy();
  }
}

async function deleteVersion(ref: ObjectRef, env: UploadCheckEnv): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: env.bucketName, Key: ref.key, ...(ref.hasVersion ? { VersionId: ref.versionId } : {}) }));
}

/** The version was deleted (404 NoSuchKey/NoSuchVersion) or is a delete marker (405). */
function isGone(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return isNotFound(error) || e?.name === 'NoSuchVersion' || e?.$metadata?.httpStatusCode === 405;
}
