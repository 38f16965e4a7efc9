/**
 * How an upload result is stored in the results table (one item per file,
 * key `identityId` + `sk = "file#<name>"`), and how S3 event sequencers order.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { CheckWarning, RejectReason } from './csv-check';

export type StoredStatus = 'accepted' | 'rejected' | 'deleted';

/** What the table holds for one file name. */
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
   * Bytes of this name charged to the identity's usage, and the version they
   * belong to. Usually the accepted version above; after a rejected
   * replacement, the earlier accepted version (it is current again once the
   * rejected version is deleted).
   */
  readonly countedBytes: number;
  readonly countedVersionId?: string;
}

export const FILE_PREFIX = 'file#';
export const USAGE_SK = 'usage';
/** Partition of the ByCheckedAt index; tombstones leave it out so the index lists results only. */
export const RESULT_KIND = 'upload';
/** The results table's index over `kind` and `checkedAt`: every identity's results, newest first. */
export const RESULTS_BY_CHECKED_AT = 'ByCheckedAt';

export const fileKey = (identityId: string, name: string): Record<string, AttributeValue> => ({
  identityId: { S: identityId },
  sk: { S: `${FILE_PREFIX}${name}` },
});

export const usageKey = (identityId: string): Record<string, AttributeValue> => ({
  identityId: { S: identityId },
  sk: { S: USAGE_SK },
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
    countedBytes: { N: String(result.countedBytes) },
  };
  if (result.status !== 'deleted') item.kind = { S: RESULT_KIND };
  if (result.countedVersionId !== undefined) item.countedVersionId = { S: result.countedVersionId };
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
    countedBytes: num('countedBytes') ?? 0,
    countedVersionId: str('countedVersionId'),
    reason: str('reason') as RejectReason | undefined,
    message: str('message'),
    rows: num('rows'),
    columns: num('columns'),
    header: list('header'),
    warnings: list('warnings') as CheckWarning[] | undefined,
  };
  return Object.fromEntries(Object.entries(result).filter(([, value]) => value !== undefined)) as unknown as StoredResult;
}
