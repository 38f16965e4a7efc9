/**
 * Reading upload results, for the API routes (GET /files, GET /files/{name}/status)
 * and the checker. Kept apart from the writes in upload-results.ts so the API
 * bundles carry only this.
 */
import { BatchGetItemCommand, GetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { fileKey, FILE_PREFIX, fromItem, type StoredResult } from './upload-result-item';

/** BatchGetItem takes at most 100 keys. */
const BATCH_KEYS = 100;
const BATCH_RETRIES = 5;

/** The stored result for one name, tombstones included. */
export async function readResult(
  client: DynamoDBClient,
  tableName: string,
  identityId: string,
  name: string,
  consistent = false,
): Promise<StoredResult | undefined> {
  const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: fileKey(identityId, name), ConsistentRead: consistent }));
  return Item ? fromItem(Item) : undefined;
}

/** The status of each name that has a result (tombstones left out): one BatchGetItem per 100 names. */
export async function readStatuses(
  client: DynamoDBClient,
  tableName: string,
  identityId: string,
  names: readonly string[],
): Promise<Map<string, 'accepted' | 'rejected'>> {
  const statuses = new Map<string, 'accepted' | 'rejected'>();
  const chunks: string[][] = [];
  for (let i = 0; i < names.length; i += BATCH_KEYS) chunks.push(names.slice(i, i + BATCH_KEYS));
  await Promise.all(
    chunks.map(async (chunk) => {
      for (const item of await batchGet(
        client,
        tableName,
        chunk.map((name) => fileKey(identityId, name)),
      )) {
        const status = item.status?.S;
        const sk = item.sk?.S;
        if (sk !== undefined && (status === 'accepted' || status === 'rejected')) statuses.set(sk.slice(FILE_PREFIX.length), status);
      }
    }),
  );
  return statuses;
}

/** BatchGetItem of up to 100 keys, retrying unprocessed keys with backoff. */
async function batchGet(client: DynamoDBClient, tableName: string, keys: Record<string, AttributeValue>[]): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let pending = keys;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > BATCH_RETRIES) throw new Error('BatchGetItem left keys unprocessed after retries');
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
    const response = await client.send(
      new BatchGetItemCommand({
        RequestItems: { [tableName]: { Keys: pending, ProjectionExpression: 'sk, #status', ExpressionAttributeNames: { '#status': 'status' } } },
      }),
    );
    items.push(...(response.Responses?.[tableName] ?? []));
    pending = response.UnprocessedKeys?.[tableName]?.Keys ?? [];
  }
  return items;
}
