/**
 * Deletes every item of one partition: a keys-only Query, page by page, and a
 * DeleteItem per item (a few at a time). DeleteItem rather than BatchWriteItem:
 * the role needs no permission that could also put items, and deleting an
 * absent item succeeds, so a retry simply finds less to do.
 */
import { DeleteItemCommand, DynamoDBClient, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { SDK_RETRY_SETTINGS } from './aws-retry';
import { lambdaCredentials } from './lambda-credentials';
import type { TimeBudget } from './time-budget';

const dynamodb = new DynamoDBClient({ credentials: lambdaCredentials, ...SDK_RETRY_SETTINGS });

/** DeleteItem calls in flight at once. */
export const DELETE_CONCURRENCY = 10;
const PAGE_SIZE = 100;

export interface PartitionKeys {
  readonly table: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly partition: string;
  /** Sort keys left in place (the account-deleted marker of the results table). @default - none */
  readonly keepSortKeys?: readonly string[];
}

/** True when the partition is empty (but for `keepSortKeys`); false when the budget ran out first (call again). */
export async function deletePartition(keys: PartitionKeys, budget: TimeBudget): Promise<boolean> {
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    if (!budget.hasTime()) return false;
    const page = await dynamodb.send(
      new QueryCommand({
        TableName: keys.table,
        KeyConditionExpression: '#pk = :partition',
        // Keys only: the role may read nothing else (dynamodb:Attributes).
        Select: 'SPECIFIC_ATTRIBUTES',
        ProjectionExpression: '#pk, #sk',
        ExpressionAttributeNames: { '#pk': keys.partitionKey, '#sk': keys.sortKey },
        ExpressionAttributeValues: { ':partition': { S: keys.partition } },
        ConsistentRead: true,
        Limit: PAGE_SIZE,
        ExclusiveStartKey: startKey,
      }),
    );
    const items = (page?.Items ?? []).filter(
      (item) =>
        item[keys.partitionKey]?.S === keys.partition && item[keys.sortKey] !== undefined && !(keys.keepSortKeys ?? []).includes(item[keys.sortKey].S ?? ''),
    );
    for (let start = 0; start < items.length; start += DELETE_CONCURRENCY) {
      await Promise.all(
        items.slice(start, start + DELETE_CONCURRENCY).map((item) =>
          dynamodb.send(
            new DeleteItemCommand({
              TableName: keys.table,
              Key: { [keys.partitionKey]: item[keys.partitionKey], [keys.sortKey]: item[keys.sortKey] },
            }),
          ),
        ),
      );
    }
    startKey = page?.LastEvaluatedKey;
  } while (startKey !== undefined);
  return true;
}
