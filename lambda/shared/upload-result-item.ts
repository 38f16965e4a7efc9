/**
 * How the results table stores the checker's records (partition `identityId`,
 * sort `sk`), and how S3 event sequencers order:
 * - `file#<name>`: the result of the name's newest version, what the API shows;
 * - `version#<hash>`: one object version's decision and charge (see versionKey);
 * - `usage`: the bytes charged to the identity;
 * - `account#deleted`: the identity's account was deleted (see accountDeletedItem).
 * The index and marker names the stack shares are in contracts/upload-results-table.ts.
 */
import { createHash } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ACCOUNT_DELETED_SK, RESULT_KIND } from '../../contracts/upload-results-table';
import type { CheckWarning, RejectReason } from './csv-check';

export type StoredStatus = 'accepted' | 'rejected' | 'deleted';

/** What the table holds for one file name: the result of its newest version. */
export interface StoredResult {
  readonly name: string;
  /** `deleted`: a tombstone that keeps the sequencer so older events stay ignored. */
  readonly status: StoredStatus;
  readonly reason?: RejectReason;
  readonly message?: string;
  readonly rows?: number;
  readonly columns?: number;
  readonly header?: string[];
  readonly warnings?: CheckWarning[];
  readonly checkedAt: string;
  /** The object version this result is about. */
  readonly size: number;
  readonly versionId: string;
  readonly sequencer: string;
  /**
   * A charge recorded on the name by the checker before version records
   * existed: `countedBytes` of version `countedVersionId`, released when that
   * version is permanently deleted. Carried over when the result is replaced.
   */
  readonly countedBytes?: number;
  readonly countedVersionId?: string;
}

/**
 * One object version (docs/design.md, "Upload checks"): `accepted` holds its
 * size in the usage item until the version is permanently deleted; `rejected`
 * holds nothing (the checker deletes it); `deleted` is a tombstone, also
 * written when the permanent deletion is handled before the creation, so the
 * version is never charged afterwards.
 */
export type VersionState = 'accepted' | 'rejected' | 'deleted';

export interface VersionRecord {
  readonly name: string;
  readonly versionId: string;
  readonly state: VersionState;
  /** For a deleted version: what had been decided before, if anything. */
  readonly decided?: 'accepted' | 'rejected';
  readonly reason?: RejectReason;
  readonly size: number;
  /** Bytes of this version in the usage item: its size while accepted, else 0. */
  readonly chargedBytes: number;
  /** The sequencer of the event that last changed this record. */
  readonly sequencer: string;
  readonly updatedAt: string;
}

export const FILE_PREFIX = 'file#';
export const VERSION_PREFIX = 'version#';
export const USAGE_SK = 'usage';

export const fileKey = (identityId: string, name: string): Record<string, AttributeValue> => ({
  identityId: { S: identityId },
  sk: { S: `${FILE_PREFIX}${name}` },
});

/**
 * A version record's key: a hash of (name, version ID), because both are free
 * text (a rejected name may hold "#" or "/", and be near S3's 1024-byte key
 * limit) and a sort key must be unambiguous and at most 1024 bytes. The name
 * and version ID are attributes of the item, for people reading the table.
 */
export function versionKey(identityId: string, name: string, versionId: string): Record<string, AttributeValue> {
  const digest = createHash('sha256')
    .update(JSON.stringify([name, versionId]), 'utf8')
    .digest('hex');
  return { identityId: { S: identityId }, sk: { S: `${VERSION_PREFIX}${digest}` } };
}

export const usageKey = (identityId: string): Record<string, AttributeValue> => ({
  identityId: { S: identityId },
  sk: { S: USAGE_SK },
});

export const accountDeletedKey = (identityId: string): Record<string, AttributeValue> => ({
  identityId: { S: identityId },
  sk: { S: ACCOUNT_DELETED_SK },
});

/**
 * The marker DELETE /me writes before it purges the identity's objects
 * (docs/design.md, "Account deletion"): the checker writes nothing into a
 * partition that holds it, so the purge's own deletion events (and any upload
 * still in flight) cannot bring file names back. It names no file and stays,
 * because such events may come at any later time.
 */
export const accountDeletedItem = (identityId: string, deletedAt: string): Record<string, AttributeValue> => ({
  ...accountDeletedKey(identityId),
  deletedAt: { S: deletedAt },
});

/**
 * Orders two S3 sequencers for the same key: hex strings of varying length,
 * compared after left-padding to equal length. Negative when `a` is older.
 */
export function compareSequencers(a: string, b: string): number {
  const width = Math.max(a.length, b.length);
  const left = a.toUpperCase().padStart(width, '0');
  const right = b.toUpperCase().padStart(width, '0');
  return left < right ? -1 : left > right ? 1 : 0;
}

export function toItem(identityId: string, result: StoredResult): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    ...fileKey(identityId, result.name),
    name: { S: result.name },
    status: { S: result.status },
    checkedAt: { S: result.checkedAt },
    size: { N: String(result.size) },
    versionId: { S: result.versionId },
    sequencer: { S: result.sequencer },
  };
  if (result.status !== 'deleted') item.kind = { S: RESULT_KIND };
  if (result.countedBytes !== undefined && result.countedBytes > 0 && result.countedVersionId !== undefined) {
    item.countedBytes = { N: String(result.countedBytes) };
    item.countedVersionId = { S: result.countedVersionId };
  }
  if (result.reason !== undefined) item.reason = { S: result.reason };
  if (result.message !== undefined) item.message = { S: result.message };
  if (result.rows !== undefined) item.rows = { N: String(result.rows) };
  if (result.columns !== undefined) item.columns = { N: String(result.columns) };
  if (result.header !== undefined) item.header = { L: result.header.map((name) => ({ S: name })) };
  if (result.warnings !== undefined) item.warnings = { L: result.warnings.map((warning) => ({ S: warning })) };
  return item;
}

export function fromItem(item: Record<string, AttributeValue>): StoredResult {
  const str = (name: string) => item[name]?.S;
  const num = (name: string) => (item[name]?.N === undefined ? undefined : Number(item[name].N));
  const list = (name: string) => item[name]?.L?.map((value) => value.S ?? '');
  const result: StoredResult = {
    name: str('name') ?? str('sk')!.slice(FILE_PREFIX.length),
    status: str('status') as StoredStatus,
    checkedAt: str('checkedAt') ?? '',
    size: num('size') ?? 0,
    versionId: str('versionId') ?? 'null',
    sequencer: str('sequencer') ?? '0',
    countedBytes: num('countedBytes'),
    countedVersionId: str('countedVersionId'),
    reason: str('reason') as RejectReason | undefined,
    message: str('message'),
    rows: num('rows'),
    columns: num('columns'),
    header: list('header'),
    warnings: list('warnings') as CheckWarning[] | undefined,
  };
  return withoutUndefined(result);
}

/** A version record as an item: no `kind` or `checkedAt`, so never in the ByCheckedAt index. */
export function versionToItem(identityId: string, record: VersionRecord): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    ...versionKey(identityId, record.name, record.versionId),
    name: { S: record.name },
    versionId: { S: record.versionId },
    state: { S: record.state },
    size: { N: String(record.size) },
    chargedBytes: { N: String(record.chargedBytes) },
    sequencer: { S: record.sequencer },
    updatedAt: { S: record.updatedAt },
  };
  if (record.decided !== undefined) item.decided = { S: record.decided };
  if (record.reason !== undefined) item.reason = { S: record.reason };
  return item;
}

export function versionFromItem(item: Record<string, AttributeValue>): VersionRecord {
  const str = (name: string) => item[name]?.S;
  const num = (name: string) => (item[name]?.N === undefined ? undefined : Number(item[name].N));
  return withoutUndefined({
    name: str('name') ?? '',
    versionId: str('versionId') ?? 'null',
    state: str('state') as VersionState,
    decided: str('decided') as VersionRecord['decided'],
    reason: str('reason') as RejectReason | undefined,
    size: num('size') ?? 0,
    chargedBytes: num('chargedBytes') ?? 0,
    sequencer: str('sequencer') ?? '0',
    updatedAt: str('updatedAt') ?? '',
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
