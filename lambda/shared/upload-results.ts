/**
 * The upload results and the per-identity storage quota, in one DynamoDB
 * table (partition `identityId`, sort `sk`): `file#<name>` items hold the
 * latest check result of each name, the `usage` item the bytes charged.
 *
 * Rules (docs/design.md, "Upload checks"):
 * - An accepted version is charged its size; one that replaces an accepted
 *   version is charged the difference. A rejected version is charged nothing.
 * - The charge and the result are written in one transaction: the usage update
 *   is conditional on staying within the quota (else `quota_exceeded`), the
 *   result put on the item being unchanged since it was read (optimistic lock).
 * - Events come at least once and out of order. Each result keeps the S3
 *   sequencer of its event; an event not newer than the stored one changes
 *   nothing. A delete leaves a tombstone with its sequencer for the same reason.
 */
import {
  PutItemCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  type AttributeValue,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type { CheckOutcome, Rejected } from './csv-check';
import { compareSequencers, toItem, usageKey, type StoredResult } from './upload-result-item';
import { readResult } from './upload-status';

export { compareSequencers, type StoredResult } from './upload-result-item';

/** One S3 object version, as the event describes it. */
export interface ObjectVersion {
  readonly size: number;
  /** `null` (S3's name for it) when the bucket is not versioned. */
  readonly versionId: string;
  readonly sequencer: string;
}

export type RecordResult =
  | { readonly kind: 'recorded'; readonly result: StoredResult }
  /** The stored result is for a newer event, or for this very event (a repeat). */
  | { readonly kind: 'stale'; readonly stored: StoredResult };

export type DeletionKind = 'delete_marker' | 'permanent';

/** Attempts when the item changed between read and write (another event for the same name). */
const MAX_ATTEMPTS = 4;

export class UploadResults {
  /**
   * @param client the shared DynamoDB client
   * @param tableName UPLOAD_RESULTS_TABLE
   * @param quotaBytes bytes each identity may keep (QUOTA_BYTES_PER_USER)
   * @param now the clock for `checkedAt`
   */
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly quotaBytes: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The stored result for one name, tombstones included. */
  get(identityId: string, name: string, consistent = false): Promise<StoredResult | undefined> {
    return readResult(this.client, this.tableName, identityId, name, consistent);
  }

  /**
   * Records the check of `object` unless a newer (or the same) event was
   * recorded first. An accepted outcome that would pass the quota is recorded
   * as rejected with `quota_exceeded` instead. `known` is the item as the
   * caller just read it (consistently), to save a read.
   */
  async recordCheck(identityId: string, name: string, object: ObjectVersion, outcome: CheckOutcome, known?: { readonly stored: StoredResult | undefined }): Promise<RecordResult> {
    let stored = known === undefined ? await this.get(identityId, name, true) : known.stored;
    for (let attempt = 1; ; attempt++) {
      if (stored !== undefined && compareSequencers(stored.sequencer, object.sequencer) >= 0) return { kind: 'stale', stored };
      try {
        return { kind: 'recorded', result: await this.writeCheck(identityId, name, object, outcome, stored) };
      } catch (error) {
        if (!(error instanceof ItemChanged) || attempt >= MAX_ATTEMPTS) throw error;
        stored = await this.get(identityId, name, true);
      }
    }
  }

  /**
   * Records a deletion. A delete marker newer than the stored result ends the
   * name's charge and leaves a tombstone. Permanently deleting the charged
   * version ends the charge; the result becomes a tombstone only if it was
   * that version's acceptance (a rejection stays, as the design requires).
   * Returns false when nothing changed.
   */
  async recordDeletion(identityId: string, name: string, deletion: { readonly kind: DeletionKind; readonly versionId: string; readonly sequencer: string }): Promise<boolean> {
    let stored = await this.get(identityId, name, true);
    for (let attempt = 1; ; attempt++) {
      const next = nextAfterDeletion(stored, name, deletion, this.now().toISOString());
      if (next === undefined) return false;
      try {
        await this.write(identityId, next, stored, -(stored?.countedBytes ?? 0) + next.countedBytes, false);
        return true;
      } catch (error) {
        if (!(error instanceof ItemChanged) || attempt >= MAX_ATTEMPTS) throw error;
        stored = await this.get(identityId, name, true);
      }
    }
  }

  private async writeCheck(identityId: string, name: string, object: ObjectVersion, outcome: CheckOutcome, stored: StoredResult | undefined): Promise<StoredResult> {
    const base = { name, checkedAt: this.now().toISOString(), size: object.size, versionId: object.versionId, sequencer: object.sequencer };
    if (outcome.status === 'rejected') {
      // Deleting the rejected version makes the earlier one current again: it stays charged.
      const result: StoredResult = { ...base, status: 'rejected', reason: outcome.reason, message: outcome.message, countedBytes: stored?.countedBytes ?? 0, countedVersionId: stored?.countedVersionId };
      await this.write(identityId, result, stored, 0, false);
      return result;
    }
    const accepted: StoredResult = {
      ...base,
      status: 'accepted',
      rows: outcome.rows,
      columns: outcome.columns,
      header: outcome.header,
      warnings: outcome.warnings,
      countedBytes: object.size,
      countedVersionId: object.versionId,
    };
    const delta = object.size - (stored?.countedBytes ?? 0);
    try {
      if (delta > this.quotaBytes) throw new QuotaExceeded(undefined);
      await this.write(identityId, accepted, stored, delta, true);
      return accepted;
    } catch (error) {
      if (!(error instanceof QuotaExceeded)) throw error;
      return this.writeCheck(identityId, name, object, quotaExceeded(object.size, error.usedBytes, this.quotaBytes), stored);
    }
  }

  /**
   * Puts `result` if the item is still `expected`, and moves the usage by
   * `delta` bytes in the same transaction (only a growth is held to the quota).
   */
  private async write(identityId: string, result: StoredResult, expected: StoredResult | undefined, delta: number, enforceQuota: boolean): Promise<void> {
    const put = {
      TableName: this.tableName,
      Item: toItem(identityId, result),
      ...(expected === undefined
        ? { ConditionExpression: 'attribute_not_exists(sk)' }
        : { ConditionExpression: 'sequencer = :seen', ExpressionAttributeValues: { ':seen': { S: expected.sequencer } } }),
    };
    if (delta === 0) {
      try {
        await this.client.send(new PutItemCommand(put));
      } catch (error) {
        if ((error as Error | undefined)?.name === 'ConditionalCheckFailedException') throw new ItemChanged();
        throw error;
      }
      return;
    }
    const guard = enforceQuota && delta > 0;
    const usage: TransactWriteItem = {
      Update: {
        TableName: this.tableName,
        Key: usageKey(identityId),
        UpdateExpression: 'SET #bytes = if_not_exists(#bytes, :zero) + :delta',
        ExpressionAttributeNames: { '#bytes': 'bytes' },
        ExpressionAttributeValues: {
          ':zero': { N: '0' },
          ':delta': { N: String(delta) },
          ...(guard ? { ':max': { N: String(this.quotaBytes - delta) } } : {}),
        },
        ...(guard ? { ConditionExpression: 'attribute_not_exists(#bytes) OR #bytes <= :max', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
      },
    };
    try {
      await this.client.send(new TransactWriteItemsCommand({ TransactItems: [usage, { Put: put }] }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException) && (error as Error | undefined)?.name !== 'TransactionCanceledException') throw error;
      const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
      if (reasons[1]?.Code === 'ConditionalCheckFailed') throw new ItemChanged();
      if (reasons[0]?.Code === 'ConditionalCheckFailed') throw new QuotaExceeded(numberOf(reasons[0].Item?.bytes));
      throw error;
    }
  }
}

/** What a deletion leaves, or undefined when it changes nothing. */
function nextAfterDeletion(stored: StoredResult | undefined, name: string, deletion: { kind: DeletionKind; versionId: string; sequencer: string }, now: string): StoredResult | undefined {
  const tombstone = (sequencer: string): StoredResult => ({ name, status: 'deleted', checkedAt: now, size: 0, versionId: deletion.versionId, sequencer, countedBytes: 0 });
  if (deletion.kind === 'delete_marker') {
    if (stored !== undefined && compareSequencers(stored.sequencer, deletion.sequencer) >= 0) return undefined;
    return tombstone(deletion.sequencer);
  }
  if (stored === undefined) return undefined;
  const newest = compareSequencers(stored.sequencer, deletion.sequencer) >= 0 ? stored.sequencer : deletion.sequencer;
  if (stored.status === 'accepted' && stored.versionId === deletion.versionId) return tombstone(newest);
  if (stored.countedBytes > 0 && stored.countedVersionId === deletion.versionId) {
    const { countedVersionId: _released, ...rest } = stored;
    return { ...rest, countedBytes: 0 };
  }
  return undefined;
}

function quotaExceeded(size: number, usedBytes: number | undefined, quota: number): Rejected {
  const used = usedBytes === undefined ? '' : ` You are using ${usedBytes} bytes.`;
  return {
    status: 'rejected',
    reason: 'quota_exceeded',
    message: `Accepting this file (${size} bytes) would exceed your storage quota of ${quota} bytes.${used} Delete files to make room.`,
  };
}

function numberOf(value: AttributeValue | undefined): number | undefined {
  return value?.N === undefined ? undefined : Number(value.N);
}

class ItemChanged extends Error {
  constructor() {
    super('The result item changed since it was read');
    this.name = 'ItemChanged';
  }
}

class QuotaExceeded extends Error {
  constructor(public readonly usedBytes: number | undefined) {
    super('The storage quota would be exceeded');
    this.name = 'QuotaExceeded';
  }
}
