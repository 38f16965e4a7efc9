/**
 * GET /admin/uploads: every user's upload check results, newest first, for
 * machine clients holding an access token with `api/uploads.read`.
 * It queries the results table's `ByCheckedAt` index.
 */
import { DynamoDBClient, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { encodeStartKey, parseAdminListQuery, requireAccessTokenScope, UPLOAD_KIND } from './shared/admin-query';
import { fullScope, API_SCOPES } from '../contracts/api-scopes';
import { SDK_RETRY_SETTINGS, isThrottledOrTransient } from './shared/aws-retry';
import { claimsOf } from './shared/claims';
import { apiHandler } from './shared/handler';
import { loadOnce, readUploadResultsEnv } from './shared/env';
import { RESULTS_BY_CHECKED_AT } from '../contracts/upload-results-table';
import { badRequest, ok, unavailable } from './shared/http';
import { lambdaCredentials } from './shared/lambda-credentials';

const config = loadOnce(() => readUploadResultsEnv(process.env));
const dynamodb = new DynamoDBClient({ credentials: lambdaCredentials, ...SDK_RETRY_SETTINGS });

export interface UploadSummary {
  readonly identityId: string;
  readonly name: string;
  readonly status: string;
  readonly reason?: string;
  readonly checkedAt: string;
}

export const handler = apiHandler('GET /admin/uploads', async ({ event, logFields }) => {
  requireAccessTokenScope(claimsOf(event), fullScope(API_SCOPES.uploadsRead));
  const query = parseAdminListQuery(event.queryStringParameters, event.multiValueQueryStringParameters);
  const table = config.get().uploadResultsTable;
  let page;
  try {
    page = await dynamodb.send(
      new QueryCommand({
        TableName: table,
        IndexName: RESULTS_BY_CHECKED_AT,
        KeyConditionExpression: '#kind = :kind',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: { ':kind': { S: UPLOAD_KIND } },
        ScanIndexForward: false,
        Limit: query.limit,
        ExclusiveStartKey: query.exclusiveStartKey,
      }),
    );
  } catch (error) {
    // A well-formed token that names no key of this table is still the caller's mistake.
    if (query.exclusiveStartKey !== undefined && (error as Error | undefined)?.name === 'ValidationException') throw badRequest('nextToken is invalid');
    if (isThrottledOrTransient(error)) throw unavailable(error);
    throw error;
  }
  const uploads = (page.Items ?? []).map(toSummary).filter((item): item is UploadSummary => item !== undefined);
  logFields.count = uploads.length;
  const nextToken = page.LastEvaluatedKey ? encodeStartKey(page.LastEvaluatedKey) : undefined;
  return ok({ uploads, ...(nextToken === undefined ? {} : { nextToken }) });
});

/** An item as the API shows it; undefined (skipped) when a required attribute is missing. */
function toSummary(item: Record<string, AttributeValue>): UploadSummary | undefined {
  const identityId = item.identityId?.S;
  const name = item.name?.S;
  const status = item.status?.S;
  const checkedAt = item.checkedAt?.S;
  // An empty name is a real (rejected) key: `<identityId>/` itself.
  if (!identityId || name === undefined || !status || !checkedAt) return undefined;
  const reason = item.reason?.S;
  return { identityId, name, status, ...(reason ? { reason } : {}), checkedAt };
}
