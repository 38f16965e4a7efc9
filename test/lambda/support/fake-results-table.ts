/**
 * An in-memory stand-in for the upload results table, behind aws-sdk-client-mock.
 * It evaluates exactly the condition and update expressions the result store
 * writes (anything else throws, so a changed expression cannot pass unnoticed)
 * and is atomic per TransactWriteItems call, like DynamoDB.
 */
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type AttributeValue,
  type BatchGetItemCommandInput,
  type CancellationReason,
  type GetItemCommandInput,
  type PutItemCommandInput,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { TEST_ENV } from './env';
import { FakeIdentityTable } from './fake-identity-table';

type Item = Record<string, AttributeValue>;

export class FakeResultsTable {
  readonly items = new Map<string, Item>();
  /** BatchGetItem answers this many of its first calls with every key unprocessed. */
  unprocessedBatchCalls = 0;
  /** Runs before each write is applied, e.g. to simulate a concurrent writer. */
  beforeWrite: (() => void) | undefined;

  /** The API's identity map shares the mocked client; its calls go to this fake. */
  readonly identityMap = new FakeIdentityTable();

  constructor(readonly mock = mockClient(DynamoDBClient)) {}

  /** Resets data and (re)installs the fake behind the mock. */
  install(): void {
    this.items.clear();
    this.unprocessedBatchCalls = 0;
    this.beforeWrite = undefined;
    this.mock.reset();
    this.identityMap.items.clear();
    const identityMapCalls = new Map<string, (input: never) => unknown>();
    this.identityMap.install({ on: (command: { name: string }) => ({ callsFake: (fn: (input: never) => unknown) => identityMapCalls.set(command.name, fn) }) } as never);
    const routed = <I extends { TableName?: string }>(name: string, own: (input: I) => unknown) => (input: I) =>
      input.TableName === TEST_ENV.IDENTITY_MAP_TABLE ? identityMapCalls.get(name)!(input as never) : own(input);
    this.mock.on(GetItemCommand).callsFake(routed('GetItemCommand', (input: GetItemCommandInput) => ({ Item: clone(this.items.get(keyOf(input.Key!))) })));
    this.mock.on(PutItemCommand).callsFake(routed('PutItemCommand', (input: PutItemCommandInput) => this.put(input)));
    this.mock.on(TransactWriteItemsCommand).callsFake((input: TransactWriteItemsCommandInput) => this.transact(input));
    this.mock.on(BatchGetItemCommand).callsFake((input: BatchGetItemCommandInput) => this.batchGet(input));
  }

  usage(identityId: string): number {
    const bytes = this.items.get(`${identityId}|usage`)?.bytes?.N;
    return bytes === undefined ? 0 : Number(bytes);
  }

  result(identityId: string, name: string): Item | undefined {
    return this.items.get(`${identityId}|file#${name}`);
  }

  private put(input: PutItemCommandInput) {
    this.beforeWrite?.();
    const key = keyOf(input.Item!);
    if (!conditionHolds(this.items.get(key), input.ConditionExpression, input.ExpressionAttributeNames, input.ExpressionAttributeValues)) {
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    }
    this.items.set(key, clone(input.Item!)!);
    return {};
  }

  private transact(input: TransactWriteItemsCommandInput) {
    this.beforeWrite?.();
    const writes = input.TransactItems!.map((entry) => {
      if (entry.Put) {
        const p = entry.Put;
        const key = keyOf(p.Item!);
        const ok = conditionHolds(this.items.get(key), p.ConditionExpression, p.ExpressionAttributeNames, p.ExpressionAttributeValues);
        return { key, ok, old: this.items.get(key), next: () => clone(p.Item!)!, returnOld: p.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' };
      }
      if (entry.Update) {
        const u = entry.Update;
        const key = keyOf(u.Key!);
        const old = this.items.get(key);
        const ok = conditionHolds(old, u.ConditionExpression, u.ExpressionAttributeNames, u.ExpressionAttributeValues);
        return { key, ok, old, next: () => applyUpdate(old, u.Key!, u.UpdateExpression!, u.ExpressionAttributeNames, u.ExpressionAttributeValues), returnOld: u.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' };
      }
      throw new Error('fake table: unsupported transaction entry');
    });
    if (writes.some((w) => !w.ok)) {
      const reasons: CancellationReason[] = writes.map((w) => (w.ok ? { Code: 'None' } : { Code: 'ConditionalCheckFailed', ...(w.returnOld && w.old ? { Item: clone(w.old) } : {}) }));
      throw new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: reasons });
    }
    for (const w of writes) this.items.set(w.key, w.next());
    return {};
  }

  private batchGet(input: BatchGetItemCommandInput) {
    const [table, request] = Object.entries(input.RequestItems!)[0];
    if (request.Keys!.length > 100) throw new Error('fake table: BatchGetItem takes at most 100 keys');
    if (this.unprocessedBatchCalls > 0) {
      this.unprocessedBatchCalls--;
      return { Responses: { [table]: [] }, UnprocessedKeys: { [table]: { Keys: request.Keys } } };
    }
    const found = request.Keys!.map((key) => this.items.get(keyOf(key))).filter((item): item is Item => item !== undefined);
    return { Responses: { [table]: found.map((item) => ({ sk: item.sk, status: item.status })) } };
  }
}

const keyOf = (item: Item) => `${item.identityId.S}|${item.sk.S}`;
const clone = (item: Item | undefined) => (item === undefined ? undefined : (JSON.parse(JSON.stringify(item)) as Item));

function conditionHolds(item: Item | undefined, expression: string | undefined, names: Record<string, string> = {}, values: Item = {}): boolean {
  const attr = (name: string) => item?.[names[name] ?? name];
  switch (expression) {
    case undefined:
      return true;
    case 'attribute_not_exists(sk)':
      return item === undefined;
    case 'sequencer = :seen':
      return attr('sequencer')?.S === values[':seen'].S;
    case 'attribute_not_exists(#bytes) OR #bytes <= :max':
      return attr('#bytes') === undefined || Number(attr('#bytes')!.N) <= Number(values[':max'].N);
    default:
      throw new Error(`fake table: unsupported condition ${expression}`);
  }
}

function applyUpdate(item: Item | undefined, key: Item, expression: string, names: Record<string, string> = {}, values: Item = {}): Item {
  if (expression !== 'SET #bytes = if_not_exists(#bytes, :zero) + :delta') throw new Error(`fake table: unsupported update ${expression}`);
  const attribute = names['#bytes'];
  const current = item?.[attribute]?.N ?? values[':zero'].N!;
  return { ...(clone(item) ?? clone(key)!), [attribute]: { N: String(Number(current) + Number(values[':delta'].N)) } };
}
