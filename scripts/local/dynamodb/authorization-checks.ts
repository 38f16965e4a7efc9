/**
 * What IAM checks for one DynamoDB request (docs/local.md, DynamoDB): the
 * action, the table or index ARN, and the condition keys
 * `dynamodb:LeadingKeys`, `dynamodb:Attributes`, `dynamodb:Select` and
 * `dynamodb:ReturnValues`. Batch and transaction requests become one check
 * per table or per item, as IAM authorizes them. Operations whose
 * authorization the local run cannot reproduce are refused.
 */
import { keyValueString, partitionValueOfKeyCondition, projectionAttributes, updateAttributes } from './expressions';
import type { UntypedJson } from '../../common/untyped-json';

export interface LocalTable {
  readonly name: string;
  readonly arn: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  /** Index name → its partition key. */
  readonly indexes: Readonly<Record<string, string>>;
}

export interface AuthorizationCheck {
  readonly action: string;
  readonly resource: string;
  readonly context: Record<string, string | string[]>;
}

/** A request the local run will not serve; answered with a 400 naming the operation. */
export class UnsupportedOperationError extends Error {
  constructor(
    readonly operation: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnsupportedOperationError';
  }
}

/** A request naming a table the template does not create (DynamoDB's own 400). */
export class UnknownTableError extends Error {
  constructor(readonly tableName: string) {
    super(`Requested resource not found: Table: ${tableName} not found`);
    this.name = 'ResourceNotFoundException';
  }
}

/** Item and control-plane reads the proxy serves; anything else is refused. */
export const SUPPORTED_OPERATIONS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'DescribeTable',
  'ListTables',
  'DescribeTimeToLive',
] as const;

const REFUSED: Record<string, string> = {
  ExecuteStatement: 'PartiQL statements are authorized per statement type and table by DynamoDB; the local run cannot reproduce that faithfully',
  BatchExecuteStatement: 'PartiQL statements are authorized per statement type and table by DynamoDB; the local run cannot reproduce that faithfully',
  ExecuteTransaction: 'PartiQL transactions are authorized per statement by DynamoDB; the local run cannot reproduce that faithfully',
  TransactGetItems: 'not emulated; use GetItem or BatchGetItem',
  CreateTable: 'the local tables come from the synthesized template; change the stack and restart',
  DeleteTable: 'the local tables come from the synthesized template; use --reset to start empty',
  UpdateTable: 'the local tables come from the synthesized template; change the stack and restart',
};

type Body = Record<string, UntypedJson>;

export class AuthorizationPlanner {
  private readonly byName: Map<string, LocalTable>;

  constructor(
    tables: readonly LocalTable[],
    private readonly region: string,
    private readonly accountId: string,
  ) {
    this.byName = new Map(tables.map((t) => [t.name, t]));
  }

  table(name: unknown): LocalTable {
    const table = typeof name === 'string' ? this.byName.get(name) : undefined;
    if (!table) throw new UnknownTableError(String(name));
    return table;
  }

  checksFor(operation: string, body: Body): AuthorizationCheck[] {
    if (operation in REFUSED) throw new UnsupportedOperationError(operation, `${operation} is refused by the local run: ${REFUSED[operation]}`);
    if (!(SUPPORTED_OPERATIONS as readonly string[]).includes(operation)) {
      throw new UnsupportedOperationError(operation, `${operation} is not emulated by the local run (supported: ${SUPPORTED_OPERATIONS.join(', ')})`);
    }
    switch (operation) {
      case 'GetItem':
        return [this.itemCheck('GetItem', body, body.Key, attributesRead(body))];
      case 'PutItem':
        return [this.itemCheck('PutItem', body, body.Item, Object.keys(body.Item ?? {}))];
      case 'UpdateItem':
        return [this.itemCheck('UpdateItem', body, body.Key, [...Object.keys(body.Key ?? {}), ...updatedAttributes(body)])];
      case 'DeleteItem':
        return [this.itemCheck('DeleteItem', body, body.Key, undefined)];
      case 'Query':
        return [this.queryCheck(body)];
      case 'Scan': {
        const table = this.table(body.TableName);
        return [{ action: 'dynamodb:Scan', resource: resourceOf(table, body.IndexName), context: commonContext(body, attributesRead(body)) }];
      }
      case 'BatchGetItem':
        return Object.entries((body.RequestItems ?? {}) as Record<string, Body>).map(([name, request]) => {
          const table = this.table(name);
          const keys = (request.Keys ?? []) as Body[];
          return {
            action: 'dynamodb:BatchGetItem',
            resource: table.arn,
            context: withKeys(
              {},
              keys.map((k) => k[table.partitionKey]),
              attributesRead(request),
            ),
          };
        });
      case 'BatchWriteItem':
        return Object.entries((body.RequestItems ?? {}) as Record<string, Body[]>).map(([name, requests]) => {
          const table = this.table(name);
          const keys = requests.map((r) => (r.PutRequest?.Item ?? r.DeleteRequest?.Key ?? {})[table.partitionKey]);
          const attributes = [...new Set(requests.flatMap((r) => Object.keys(r.PutRequest?.Item ?? {})))];
          return { action: 'dynamodb:BatchWriteItem', resource: table.arn, context: withKeys({}, keys, attributes.length ? attributes : undefined) };
        });
      case 'TransactWriteItems':
        // DynamoDB authorizes each item as its own action; there is no TransactWriteItems action.
        return ((body.TransactItems ?? []) as Body[]).map((item) => {
          if (item.Put) return this.itemCheck('PutItem', item.Put, item.Put.Item, Object.keys(item.Put.Item ?? {}));
          if (item.Update)
            return this.itemCheck('UpdateItem', item.Update, item.Update.Key, [...Object.keys(item.Update.Key ?? {}), ...updatedAttributes(item.Update)]);
          if (item.Delete) return this.itemCheck('DeleteItem', item.Delete, item.Delete.Key, undefined);
          if (item.ConditionCheck) return this.itemCheck('ConditionCheckItem', item.ConditionCheck, item.ConditionCheck.Key, undefined);
          throw new UnsupportedOperationError('TransactWriteItems', 'TransactWriteItems: each item needs Put, Update, Delete or ConditionCheck');
        });
      case 'DescribeTable':
      case 'DescribeTimeToLive':
        return [{ action: `dynamodb:${operation}`, resource: this.table(body.TableName).arn, context: {} }];
      case 'ListTables':
        return [{ action: 'dynamodb:ListTables', resource: `arn:aws:dynamodb:${this.region}:${this.accountId}:table/*`, context: {} }];
      default:
        throw new UnsupportedOperationError(operation, `${operation} is not emulated by the local run`);
    }
  }

  private itemCheck(operation: string, request: Body, key: Body | undefined, attributes: string[] | undefined): AuthorizationCheck {
    const table = this.table(request.TableName);
    const context = withKeys(commonContext(request, undefined), [key?.[table.partitionKey]], attributes);
    return { action: `dynamodb:${operation}`, resource: table.arn, context };
  }

  private queryCheck(body: Body): AuthorizationCheck {
    const table = this.table(body.TableName);
    const partitionKey = body.IndexName === undefined ? table.partitionKey : table.indexes[body.IndexName];
    if (partitionKey === undefined) throw new UnknownTableError(`${table.name} index ${body.IndexName}`);
    let value: string | undefined;
    if (typeof body.KeyConditionExpression === 'string') {
      value = partitionValueOfKeyCondition(body.KeyConditionExpression, partitionKey, body.ExpressionAttributeNames, body.ExpressionAttributeValues);
    } else if (body.KeyConditions?.[partitionKey]?.ComparisonOperator === 'EQ') {
      value = keyValueString(body.KeyConditions[partitionKey].AttributeValueList?.[0]);
    }
    const context = commonContext(body, attributesRead(body));
    if (value !== undefined) context['dynamodb:LeadingKeys'] = [value];
    return { action: 'dynamodb:Query', resource: resourceOf(table, body.IndexName), context };
  }
}

function resourceOf(table: LocalTable, indexName: unknown): string {
  return typeof indexName === 'string' ? `${table.arn}/index/${indexName}` : table.arn;
}

function commonContext(request: Body, attributes: string[] | undefined): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  if (typeof request.Select === 'string') context['dynamodb:Select'] = request.Select;
  if (typeof request.ReturnValues === 'string') context['dynamodb:ReturnValues'] = request.ReturnValues;
  if (attributes && attributes.length > 0) context['dynamodb:Attributes'] = attributes;
  return context;
}

function withKeys(context: Record<string, string | string[]>, keyValues: unknown[], attributes: string[] | undefined): Record<string, string | string[]> {
  const leading = [...new Set(keyValues.map(keyValueString).filter((v): v is string => v !== undefined))];
  const out = { ...context };
  if (leading.length > 0) out['dynamodb:LeadingKeys'] = leading;
  if (attributes && attributes.length > 0) out['dynamodb:Attributes'] = attributes;
  return out;
}

/** The attributes a read names (ProjectionExpression or legacy AttributesToGet); undefined means all. */
function attributesRead(request: Body): string[] | undefined {
  if (typeof request.ProjectionExpression === 'string') return projectionAttributes(request.ProjectionExpression, request.ExpressionAttributeNames);
  if (Array.isArray(request.AttributesToGet)) return request.AttributesToGet;
  return undefined;
}

function updatedAttributes(request: Body): string[] {
  if (typeof request.UpdateExpression === 'string') return updateAttributes(request.UpdateExpression, request.ExpressionAttributeNames);
  return Object.keys(request.AttributeUpdates ?? {});
}
