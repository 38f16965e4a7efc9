/**
 * One user's account spread over mocked S3, DynamoDB, Cognito Identity and the
 * user pool, for DELETE /me: object versions and delete markers listed in small
 * pages, partitions of the items and results tables, the identity map (the
 * shared FakeIdentityTable), identities and users. Every mutating call is
 * recorded in `steps`, so tests can check the order.
 */
import { DeleteIdentitiesCommand, type DeleteIdentitiesCommandInput } from '@aws-sdk/client-cognito-identity';
import { AdminDeleteUserCommand, UserNotFoundException, type AdminDeleteUserCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import {
  DeleteItemCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
  type DeleteItemCommandInput,
  type PutItemCommandInput,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand, ListObjectVersionsCommand, type DeleteObjectsCommandInput, type ListObjectVersionsCommandInput } from '@aws-sdk/client-s3';
import type { AwsStub } from 'aws-sdk-client-mock';
import type { FakeIdentityTable } from '../../../scripts/fixtures/fake-identity-table';

type Item = Record<string, AttributeValue>;
type Stub = AwsStub<any, any, any>;

export interface FakeVersion {
  readonly Key: string;
  readonly VersionId: string;
  readonly deleteMarker?: boolean;
}

/** Table name → [partition key, sort key]. */
const KEYS: Record<string, readonly [string, string]> = { 'items-table': ['identityId', 'itemId'], 'upload-results': ['identityId', 'sk'] };

export class FakeAccount {
  versions: FakeVersion[] = [];
  readonly tables: Record<string, Item[]> = { 'items-table': [], 'upload-results': [] };
  readonly identities = new Set<string>();
  readonly users = new Set<string>();
  readonly steps: string[] = [];
  /** Entries per ListObjectVersions page (S3 allows up to MaxKeys). */
  listPageSize = 1000;
  /** Items per Query page (the handler's Limit applies too). */
  queryPageSize = 1000;
  /** Called before each mutating call; throw to fail it. */
  beforeStep: (step: string) => void = () => undefined;

  constructor(private readonly identityTable: FakeIdentityTable) {}

  addObject(key: string, versions: number, withDeleteMarker = false): void {
    for (let i = 0; i < versions; i++) this.versions.push({ Key: key, VersionId: `v${i}-${key.length}-${this.versions.length}` });
    if (withDeleteMarker) this.versions.push({ Key: key, VersionId: `dm-${this.versions.length}`, deleteMarker: true });
  }

  addItems(table: string, partition: string, count: number): void {
    const [pk, sk] = KEYS[table];
    for (let i = 0; i < count; i++) this.tables[table].push({ [pk]: { S: partition }, [sk]: { S: `row#${i}` }, payload: { S: 'secret' } });
  }

  versionsUnder(prefix: string): FakeVersion[] {
    return this.versions.filter((v) => v.Key.startsWith(prefix));
  }

  itemsOf(table: string, partition: string): Item[] {
    return this.tables[table].filter((item) => item[KEYS[table][0]].S === partition);
  }

  install(s3: Stub, dynamodb: Stub, cognito: Stub, cognitoIdp: Stub): void {
    s3.on(ListObjectVersionsCommand).callsFake(async (input: ListObjectVersionsCommandInput) => {
      const sorted = this.versionsUnder(input.Prefix ?? '').sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
      let start = 0;
      if (input.KeyMarker !== undefined) {
        const at = sorted.findIndex((v) => v.Key === input.KeyMarker && v.VersionId === input.VersionIdMarker);
        start = at >= 0 ? at + 1 : sorted.findIndex((v) => v.Key > input.KeyMarker!);
        if (start < 0) start = sorted.length;
      }
      const page = sorted.slice(start, start + Math.min(this.listPageSize, input.MaxKeys ?? 1000));
      const truncated = start + page.length < sorted.length;
      const last = page[page.length - 1];
      return {
        Versions: page.filter((v) => !v.deleteMarker).map((v) => ({ Key: v.Key, VersionId: v.VersionId })),
        DeleteMarkers: page.filter((v) => v.deleteMarker).map((v) => ({ Key: v.Key, VersionId: v.VersionId })),
        IsTruncated: truncated,
        ...(truncated ? { NextKeyMarker: last.Key, NextVersionIdMarker: last.VersionId } : {}),
      };
    });
    s3.on(DeleteObjectsCommand).callsFake(async (input: DeleteObjectsCommandInput) => {
      this.step('DeleteObjects');
      const doomed = new Set(input.Delete!.Objects!.map((o) => `${o.Key}\u0000${o.VersionId}`));
      this.versions = this.versions.filter((v) => !doomed.has(`${v.Key}\u0000${v.VersionId}`));
      return {};
    });
    dynamodb.on(QueryCommand).callsFake(async (input: QueryCommandInput) => {
      const [pk, sk] = KEYS[input.TableName!];
      const partition = input.ExpressionAttributeValues![':partition'].S;
      const all = this.tables[input.TableName!].filter((item) => item[pk].S === partition);
      const start = input.ExclusiveStartKey ? all.findIndex((item) => item[sk].S === input.ExclusiveStartKey![sk].S) + 1 : 0;
      const page = all.slice(start, start + Math.min(this.queryPageSize, input.Limit ?? 1000));
      const more = start + page.length < all.length;
      return {
        Items: page.map((item) => ({ [pk]: item[pk], [sk]: item[sk] })),
        ...(more ? { LastEvaluatedKey: { [pk]: page[page.length - 1][pk], [sk]: page[page.length - 1][sk] } } : {}),
      };
    });
    // The identity map keeps its own PutItem; puts to the data tables (the account-deleted marker) land here.
    const identityMapPut = this.identityMapHandler('PutItemCommand');
    dynamodb.on(PutItemCommand).callsFake(async (input: PutItemCommandInput) => {
      if (!(input.TableName! in KEYS)) return identityMapPut(input);
      this.step(`PutItem ${input.TableName} ${input.Item!.sk?.S ?? ''}`);
      const [pk, sk] = KEYS[input.TableName!];
      const rest = this.tables[input.TableName!].filter((item) => !(item[pk].S === input.Item![pk].S && item[sk].S === input.Item![sk].S));
      this.tables[input.TableName!] = [...rest, { ...input.Item! }];
      return {};
    });
    dynamodb.on(DeleteItemCommand).callsFake(async (input: DeleteItemCommandInput) => {
      this.step(`DeleteItem ${input.TableName}`);
      if (input.TableName === 'identity-map-table') {
        this.identityTable.items.delete(input.Key!.sub.S!);
        return {};
      }
      const [pk, sk] = KEYS[input.TableName!];
      this.tables[input.TableName!] = this.tables[input.TableName!].filter((item) => !(item[pk].S === input.Key![pk].S && item[sk].S === input.Key![sk].S));
      return {};
    });
    cognito.on(DeleteIdentitiesCommand).callsFake(async (input: DeleteIdentitiesCommandInput) => {
      this.step('DeleteIdentities');
      for (const id of input.IdentityIdsToDelete ?? []) this.identities.delete(id);
      return { UnprocessedIdentityIds: [] };
    });
    cognitoIdp.on(AdminDeleteUserCommand).callsFake(async (input: AdminDeleteUserCommandInput) => {
      this.step('AdminDeleteUser');
      if (!this.users.delete(input.Username!)) throw new UserNotFoundException({ message: 'User does not exist.', $metadata: { httpStatusCode: 400 } });
      return {};
    });
  }

  /** The identity map's own handler for one command, as FakeIdentityTable installs it. */
  private identityMapHandler(command: string): (input: unknown) => unknown {
    const handlers = new Map<string, (input: unknown) => unknown>();
    this.identityTable.install({ on: (c: { name: string }) => ({ callsFake: (fn: (input: unknown) => unknown) => handlers.set(c.name, fn) }) } as never);
    return handlers.get(command)!;
  }

  private step(name: string): void {
    this.beforeStep(name);
    this.steps.push(name);
  }
}
