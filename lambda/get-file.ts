/** GET /files/{name}: a short-lived presigned GET for one of the caller's files; 404 when absent. */
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { callerFile } from './shared/caller-file';
import { loadOnce, readIdentityEnv, readLogEnv, readStorageEnv } from './shared/env';
import { apiHandler } from './shared/handler';
import { notFound, ok } from './shared/http';
import { fileNameForLog } from './shared/log';
import { isNotFound, s3 } from './shared/s3';

const config = loadOnce(() => ({ identity: readIdentityEnv(process.env), storage: readStorageEnv(process.env), log: readLogEnv(process.env) }));

export const handler = apiHandler('GET /files/{name}', async ({ event, logFields }) => {
  const { identity, storage, log } = config.get();
  const { name, key } = await callerFile(event, identity);
  logFields.key = fileNameForLog(key, log.logFileNames);

  try {
    // Needs s3:ListBucket too: without it S3 answers 403, not 404, for a missing key.
    await s3.send(new HeadObjectCommand({ Bucket: storage.bucketName, Key: key }));
  } catch (error) {
    if (isNotFound(error)) throw notFound();
    throw error;
  }
  const url = await getSignedUrl(
    s3,
    new GetObjectCommand({
      Bucket: storage.bucketName,
      Key: key,
      // Always a download, never rendered inline by the browser on the bucket's origin, and
      // with a type we choose: the stored Content-Type is whatever the uploader sent.
      ResponseContentDisposition: `attachment; filename*=UTF-8''${rfc5987(name)}`,
      ResponseContentType: storage.allowedContentTypes.includes('text/csv') ? 'text/csv' : 'application/octet-stream',
    }),
    { expiresIn: storage.downloadUrlTtlSeconds },
  );
  return ok({ url, expiresIn: storage.downloadUrlTtlSeconds });
});

function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
