/** DELETE /files/{name}: removes one of the caller's files; deleting an absent file is also a 204. */
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { callerFile } from './shared/caller-file';
import { loadOnce, readIdentityEnv, readLogEnv, readStorageEnv } from './shared/env';
import { apiHandler } from './shared/handler';
import { noContent } from './shared/http';
import { fileNameForLog } from './shared/log';
import { s3 } from './shared/s3';

const config = loadOnce(() => ({ identity: readIdentityEnv(process.env), storage: readStorageEnv(process.env), log: readLogEnv(process.env) }));

export const handler = apiHandler('DELETE /files/{name}', async ({ event, logFields }) => {
  const { identity, storage, log } = config.get();
  const { key } = await callerFile(event, identity);
  logFields.key = fileNameForLog(key, log.logFileNames);
  await s3.send(new DeleteObjectCommand({ Bucket: storage.bucketName, Key: key }));
  return noContent();
});
