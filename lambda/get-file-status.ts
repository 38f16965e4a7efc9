/**
 * GET /files/{name}/status: the upload check's result for one of the caller's
 * files; `pending` while the object exists but has no result yet; 404 when
 * neither exists.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { callerFile } from './shared/caller-file';
import { dynamodb } from './shared/dynamodb';
import { loadOnce, readIdentityEnv, readLogEnv, readStorageEnv, readUploadResultsEnv } from './shared/env';
import { apiHandler } from './shared/handler';
import { notFound, ok } from './shared/http';
import { fileNameForLog } from './shared/log';
import { isNotFound, s3 } from './shared/s3';
import { readResult } from './shared/upload-status';

const config = loadOnce(() => ({
  identity: readIdentityEnv(process.env),
  storage: readStorageEnv(process.env),
  results: readUploadResultsEnv(process.env),
  log: readLogEnv(process.env),
}));

export const handler = apiHandler('GET /files/{name}/status', async ({ event, logFields }) => {
  const { identity, storage, results, log } = config.get();
  const { identityId, name, key } = await callerFile(event, identity);
  logFields.key = fileNameForLog(key, log.logFileNames);

  const stored = await readResult(dynamodb, results.uploadResultsTable, identityId, name);
  if (stored !== undefined && stored.status !== 'deleted') {
    const { status, reason, message, rows, columns, header, warnings, checkedAt } = stored;
    return ok(status === 'accepted' ? { name, status, rows, columns, header, warnings, checkedAt } : { name, status, reason, message, checkedAt });
  }
  try {
    // Needs s3:ListBucket too: without it S3 answers 403, not 404, for a missing key.
    await s3.send(new HeadObjectCommand({ Bucket: storage.bucketName, Key: key }));
  } catch (error) {
    if (isNotFound(error)) throw notFound();
    throw error;
  }
  return ok({ name, status: 'pending' });
});
