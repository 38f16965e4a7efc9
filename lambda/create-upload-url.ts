/**
 * POST /files/upload-url: a presigned POST bound to the exact key, the declared
 * content type and exactly the declared size.
 */
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { loadOnce, readIdentityEnv, readLogEnv, readStorageEnv } from './shared/env';
import { apiHandler } from './shared/handler';
import { ok } from './shared/http';
import { callerOf, resolveIdentityId } from './shared/identity';
import { fileNameForLog } from './shared/log';
import { objectKey, s3 } from './shared/s3';
import { parseJsonObject, parseUploadRequest } from './shared/validation';

const config = loadOnce(() => ({ identity: readIdentityEnv(process.env), storage: readStorageEnv(process.env), log: readLogEnv(process.env) }));

export const handler = apiHandler('POST /files/upload-url', async ({ event, logFields }) => {
  const { identity, storage, log } = config.get();
  const upload = parseUploadRequest(parseJsonObject(event.body, event.isBase64Encoded), {
    identityIdLength: identity.identityIdLength,
    allowedContentTypes: storage.allowedContentTypes,
    maxUploadBytes: storage.maxUploadBytes,
  });
  const caller = callerOf(event);
  const identityId = await resolveIdentityId(caller, identity);
  const key = objectKey(identityId, upload.name);
  logFields.key = fileNameForLog(key, log.logFileNames);

  const { url, fields } = await createPresignedPost(s3, {
    Bucket: storage.bucketName,
    Key: key,
    Conditions: [
      ['eq', '$Content-Type', upload.contentType],
      ['content-length-range', upload.size, upload.size],
    ],
    Fields: { 'Content-Type': upload.contentType },
    Expires: storage.uploadUrlTtlSeconds,
  });
  return ok({ url, fields, key, expiresIn: storage.uploadUrlTtlSeconds });
});
