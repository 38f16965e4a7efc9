/**
 * TransactWriteItems, which dynalite lacks, built from its single-item
 * operations: under the proxy's write lock (no other write interleaves), each
 * item's current state is read, the writes are applied in order with their
 * conditions, and on the first failed condition the applied ones are restored
 * and the call fails with TransactionCanceledException and one cancellation
 * reason per item, as DynamoDB answers (docs/local.md, deviations: readers may
 * briefly see a partly applied transaction that is then rolled back).
 */
import type { AuthorizationPlanner } from './authorization-checks';
import { DynamoError, type DynaliteBackend } from './dynalite-backend';
import type { UntypedJson } from '../../common/untyped-json';

type Body = Record<string, UntypedJson>;

/** A DynamoDB error whose body carries more than `message` (CancellationReasons). */
export class DynamoErrorWithBody extends DynamoError {
  constructor(
    type: string,
    message: string,
    status: number,
    readonly extra: Record<string, unknown>,
  ) {
    super(type, message, status);
  }
}

interface PlannedItem {
  readonly kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  readonly request: Body;
  readonly tableName: string;
  readonly key: Body;
}

function conditionParams(request: Body): Body {
  const out: Body = {};
  for (const name of ['ConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues'])
    if (request[name] !== undefined) out[name] = request[name];
  return out;
}

export async function transactWriteItems(backend: DynaliteBackend, planner: AuthorizationPlanner, body: Body): Promise<Body> {
  const items = (body.TransactItems ?? []) as Body[];
  if (items.length === 0 || items.length > 100) throw new DynamoError('ValidationException', 'TransactItems must have between 1 and 100 items', 400);
  const planned: PlannedItem[] = items.map((item) => {
    const kind = (['Put', 'Update', 'Delete', 'ConditionCheck'] as const).find((k) => item[k] !== undefined)!;
    const request = item[kind] as Body;
    const table = planner.table(request.TableName);
    const source = kind === 'Put' ? request.Item : request.Key;
    const key: Body = { [table.partitionKey]: source?.[table.partitionKey] };
    if (table.sortKey) key[table.sortKey] = source?.[table.sortKey];
    return { kind, request, tableName: table.name, key };
  });
  const ids = planned.map((p) => `${p.tableName}\u0000${JSON.stringify(p.key)}`);
  if (new Set(ids).size !== ids.length) {
    throw new DynamoError('ValidationException', 'Transaction request cannot include multiple operations on one item', 400);
  }

  const before: Array<Body | undefined> = [];
  for (const p of planned) {
    const got = await backend.send('GetItem', { TableName: p.tableName, Key: p.key, ConsistentRead: true });
    before.push(got.Item);
  }

  const applied: number[] = [];
  const restore = async () => {
    for (const i of applied.reverse()) {
      const p = planned[i];
      if (before[i]) await backend.send('PutItem', { TableName: p.tableName, Item: before[i] });
      else await backend.send('DeleteItem', { TableName: p.tableName, Key: p.key });
    }
  };

  for (let i = 0; i < planned.length; i++) {
    const p = planned[i];
    const r = p.request;
    try {
      if (p.kind === 'Put') {
        await backend.send('PutItem', { TableName: p.tableName, Item: r.Item, ...conditionParams(r) });
      } else if (p.kind === 'Update') {
        await backend.send('UpdateItem', { TableName: p.tableName, Key: r.Key, UpdateExpression: r.UpdateExpression, ...conditionParams(r) });
      } else if (p.kind === 'Delete') {
        await backend.send('DeleteItem', { TableName: p.tableName, Key: r.Key, ...conditionParams(r) });
      } else {
        // Writing the item back unchanged evaluates the condition without changing anything; a missing item is removed again by restore().
        await backend.send('PutItem', { TableName: p.tableName, Item: before[i] ?? p.key, ...conditionParams(r) });
      }
      applied.push(i);
    } catch (error) {
      await restore();
      if (error instanceof DynamoError && error.type === 'ConditionalCheckFailedException') {
        const reasons = planned.map((q, j) =>
          j === i
            ? {
                Code: 'ConditionalCheckFailed',
                Message: 'The conditional request failed',
                ...(q.request.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && before[j] ? { Item: before[j] } : {}),
              }
            : { Code: 'None' },
        );
        const codes = reasons.map((reason) => reason.Code).join(', ');
        throw new DynamoErrorWithBody(
          'TransactionCanceledException',
          `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
          400,
          {
            CancellationReasons: reasons,
          },
        );
      }
      throw error;
    }
  }
  for (let i = 0; i < planned.length; i++) {
    if (planned[i].kind === 'ConditionCheck' && !before[i]) await backend.send('DeleteItem', { TableName: planned[i].tableName, Key: planned[i].key });
  }
  return {};
}
