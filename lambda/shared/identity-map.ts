/**
 * The shared `sub` → identity ID table (IDENTITY_MAP_TABLE, partition key `sub`).
 * Every container reads it before calling GetId, so GetId runs about once per
 * user instead of once per user per container. Items are written once
 * (`attribute_not_exists(sub)`) and never updated by the handlers.
 */
import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SDK_RETRY_SETTINGS } from './aws-retry';
import { lambdaCredentials } from './lambda-credentials';

const dynamodb = new DynamoDBClient({ credentials: lambdaCredentials, ...SDK_RETRY_SETTINGS });

/** The stored identity ID for `sub`, or undefined when there is no item (or it has no string `identityId`). */
export async function readIdentityMapping(table: string, sub: string, abortSignal?: AbortSignal): Promise<string | undefined> {
  // An eventually consistent read: a miss only costs one GetId, and the conditional write settles races.
  const { Item } = await dynamodb.send(
    new GetItemCommand({
      TableName: table,
      Key: { sub: { S: sub } },
      ProjectionExpression: 'identityId',
    }),
    { abortSignal },
  );
  return Item?.identityId?.S;
}

/**
 * Stores `sub` → `identityId` unless an item exists, and returns the identity ID
 * the table holds afterwards: ours, or the one a concurrent first request stored.
 */
export async function claimIdentityMapping(
  table: string,
  sub: string,
  identityId: string,
  createdAt: Date,
  abortSignal?: AbortSignal,
): Promise<string | undefined> {
  try {
    await dynamodb.send(
      new PutItemCommand({
        TableName: table,
        Item: { sub: { S: sub }, identityId: { S: identityId }, createdAt: { S: createdAt.toISOString() } },
        ConditionExpression: 'attribute_not_exists(#sub)',
        ExpressionAttributeNames: { '#sub': 'sub' },
        // The losing writer learns the stored value from the same call, without a second read.
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
      { abortSignal },
    );
    return identityId;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException || (error as Error | undefined)?.name === 'ConditionalCheckFailedException') {
      return (error as ConditionalCheckFailedException).Item?.identityId?.S;
    }
    throw error;
  }
}
