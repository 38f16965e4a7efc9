/**
 * GET /files: the caller's objects directly under `<identityId>/`, one page at
 * a time, each with its upload check status (`pending` until a result exists).
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { dynamodb } from './shared/dynamodb';
import { loadOnce, readIdentityEnv, readStorageEnv, readUploadResultsEnv } from './shared/env';
import { apiHandler } from './shared/handler';
import { badRequest, ok } from './shared/http';
import { callerOf, resolveIdentityId } from './shared/identity';
import { s3 } from './shared/s3';
import { readStatuses } from './shared/upload-status';
import { encodeNextToken, parseListQuery } from './shared/validation';

const config = loadOnce(() => ({
  identity: readIdentityEnv(process.env),
  storage: readStorageEnv(process.env),
  results: readUploadResultsEnv(process.env),
}));

export const handler = apiHandler('GET /files', async ({ event, logFields }) => {
  const { identity, storage, results } = config.get();
  const query = parseListQuery(event.queryStringParameters, event.multiValueQueryStringParameters);
  const caller = callerOf(event);
  const identityId = await resolveIdentityId(caller, identity);
  const prefix = `${identityId}/`;
  logFields.prefix = prefix;

  let page;
  try {
    page = await s3.send(
      new ListObjectsV2Command({
        Bucket: storage.bucketName,
        Prefix: prefix,
        // Only direct children: a name never contains "/", so deeper keys are not files of this API.
        Delimiter: '/',
        MaxKeys: query.limit,
        ContinuationToken: query.continuationToken,
      }),
    );
  } catch (error) {
    // Our tokens are opaque to callers and to us; S3 is the only judge of a forged one.
    if (query.continuationToken !== undefined && (error as Error | undefined)?.name === 'InvalidArgument') {
      throw badRequest('nextToken is invalid');
    }
    throw error;
  }

  const objects = (page.Contents ?? []).filter(
    (object) => typeof object.Key === 'string' && object.Key.length > prefix.length && object.Key.startsWith(prefix),
  );
  const names = objects.map((object) => object.Key!.slice(prefix.length));
  const statuses = names.length === 0 ? new Map<string, string>() : await readStatuses(dynamodb, results.uploadResultsTable, identityId, names);
  const files = objects.map((object, index) => ({
    name: names[index],
    size: object.Size ?? 0,
    lastModified: object.LastModified instanceof Date ? object.LastModified.toISOString() : null,
    status: statuses.get(names[index]) ?? 'pending',
  }));
  const next = page.IsTruncated && page.NextContinuationToken ? encodeNextToken(page.NextContinuationToken) : undefined;
  return ok({ identityId, files, ...(next === undefined ? {} : { nextToken: next }) });
});
