/** DELETE /files/{name}: removes one of the caller's files; deleting an absent file is also a 204. */
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { loadOnce, readIdentityEnv, readStorageEnv } from './shared/env';
import { apiHandler } from './shared/handler';
import { noContent } from './shared/http';
import { callerOf, resolveIdentityId } from './shared/identity';
import { objectKey, s3 } from './shared/s3';
import { fileNameFromPath } from './shared/validation';

const config = loadOnce(() => ({ identity: readIdentityEnv(process.env), storage: readStorageEnv(process.env) }));

export const handler = apiHandler('DELETE /files/{name}', async ({ event, logFields }) => {
  const { identity, storage } = config.get();
  const name = fileNameFromPath(event.pathParameters, identity.identityIdLength);
  const caller = callerOf(event);
  const identityId = await resolveIdentityId(caller, identity);
  const key = objectKey(identityId, name);
  logFields.key = key;
  await s3.send(new DeleteObjectCommand({ Bucket: storage.bucketName, Key: key }));
  return noContent();
});
