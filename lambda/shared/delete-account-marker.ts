/**
 * The first step of DELETE /me (docs/design.md, "Account deletion"): the
 * account-deleted marker in the identity's results partition. The checker
 * writes nothing into a partition that holds it, so the purge's own deletion
 * events cannot bring the deleted files' names back. A plain put: writing it
 * again on a retry is harmless, and the results sweep leaves it in place.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SDK_RETRY_SETTINGS } from './aws-retry';
import { lambdaCredentials } from './lambda-credentials';
import { accountDeletedItem } from './upload-result-item';

const dynamodb = new DynamoDBClient({ credentials: lambdaCredentials, ...SDK_RETRY_SETTINGS });

export async function markAccountDeleted(resultsTable: string, identityId: string, now: Date = new Date()): Promise<void> {
  // Only the marker's attributes and no return values: all the role's put permission allows.
  await dynamodb.send(new PutItemCommand({ TableName: resultsTable, Item: accountDeletedItem(identityId, now.toISOString()), ReturnValues: 'NONE' }));
}
