/**
 * A tiny in-memory stand-in for the identity map table behind a mocked
 * DynamoDBClient: GetItem by `sub`, and PutItem honouring
 * `attribute_not_exists(#sub)` and `ReturnValuesOnConditionCheckFailure`.
 * Several fresh handler module instances can share one FakeIdentityTable, the
 * way cold containers share the real table.
 */
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, type AttributeValue, type GetItemCommandInput, type PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { AwsStub } from 'aws-sdk-client-mock';

type Item = Record<string, AttributeValue>;

export class FakeIdentityTable {
  readonly items = new Map<string, Item>();

  /** Answers GetItem and PutItem on `mock` from this table. */
  install(mock: AwsStub<any, any, any>): void {
    mock.on(GetItemCommand).callsFake(async (input: GetItemCommandInput) => {
      const item = this.items.get(input.Key!.sub.S!);
      return item === undefined ? {} : { Item: { ...item } };
    });
    mock.on(PutItemCommand).callsFake(async (input: PutItemCommandInput) => {
      const sub = input.Item!.sub.S!;
      const existing = this.items.get(sub);
      if (input.ConditionExpression !== undefined) {
        if (input.ConditionExpression !== 'attribute_not_exists(#sub)' || input.ExpressionAttributeNames?.['#sub'] !== 'sub') {
          throw new Error(`fake table: unsupported condition ${input.ConditionExpression}`);
        }
        if (existing !== undefined) {
          throw new ConditionalCheckFailedException({
            message: 'The conditional request failed',
            $metadata: { httpStatusCode: 400 },
            ...(input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' ? { Item: { ...existing } } : {}),
          });
        }
      }
      this.items.set(sub, { ...input.Item! });
      return {};
    });
  }

  identityIdOf(sub: string): string | undefined {
    return this.items.get(sub)?.identityId?.S;
  }

  put(sub: string, identityId: string): void {
    this.items.set(sub, { sub: { S: sub }, identityId: { S: identityId }, createdAt: { S: '2024-01-01T00:00:00.000Z' } });
  }
}
