/**
 * The checker's records in the results table (docs/design.md, "Upload checks";
 * item shapes in upload-result-item.ts): one record per object version, the
 * newest version's result per name, and each identity's usage.
 *
 * Rules:
 * - Every stored version counts against the quota. An accepted version is
 *   charged its full size and stays charged until that exact version is
 *   permanently deleted; a delete marker releases nothing (the version is
 *   still stored). A rejected version is charged nothing (the checker deletes it).
 * - A version's record, the usage change and (when the version is the newest
 *   seen) the name's result are written in one transaction: the record only if
 *   absent (or unchanged since read), the usage only within the quota (else
 *   `quota_exceeded`), the result only if unchanged since read.
 * - Events come at least once and out of order. A version is decided once; a
 *   permanent deletion seen first leaves a tombstone so the version is never
 *   charged; a charge is released once, by the transition accepted → deleted.
 *   The name's result follows S3 event sequencers: only a newer event replaces it.
 * - Nothing is written into the partition of a deleted account: every
 *   transaction requires the account-deleted marker absent, and its failure
 *   is AccountDeletedError (docs/design.md, "Account deletion").
 */
import {
  GetItemCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  type AttributeValue,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type { CheckOutcome, Rejected } from './csv-check';
import {
  accountDeletedKey,
  compareSequencers,
  toItem,
  usageKey,
  versionFromItem,
  versionKey,
  versionToItem,
  type StoredResult,
  type VersionRecord,
} from './upload-result-item';
import { readResult } from './upload-status';

export { compareSequencers, type StoredResult, type VersionRecord } from './upload-result-item';

/** One S3 object version, as the event describes it. */
export interface ObjectVersion {
  readonly size: number;
  /** `null` (S3's name for it) when the bucket is not versioned. */
  readonly versionId: string;
  readonly sequencer: string;
}

export type CheckRecord =
  /** `outcome` is what was recorded (an acceptance past the quota becomes `quota_exceeded`). */
  | { readonly kind: 'recorded'; readonly outcome: CheckOutcome; readonly newest: boolean }
  /** Another event decided or deleted this version first; nothing was written. */
  | { readonly kind: 'decided'; readonly version: VersionRecord };

/** Attempts when an item changed between read and write (another event for the same name or version). */
const MAX_ATTEMPTS = 5;

type Part = 'version' | 'usage' | 'result' | 'account';

/**
 * The identity's account was deleted (its marker is in the table): the event
 * is dropped, nothing was written. Its objects are being purged, so a rejected
 * version needs no deleting either.
 */
export class AccountDeletedError extends Error {
  constructor() {
    super('The account of this identity was deleted; nothing is recorded for it');
    this.name = 'AccountDeletedError';
  }
}

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

  /** One version's record (strongly consistent), tombstones included. */
  async getVersion(identityId: string, name: string, versionId: string): Promise<VersionRecord | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: versionKey(identityId, name, versionId), ConsistentRead: true }),
    );
    return Item ? versionFromItem(Item) : undefined;
  }

  /**
   * Records the decision on a version no event has decided yet: its record,
   * its charge when accepted, and the name's result when it is the newest
   * version seen. An acceptance that would pass the quota is recorded as
   * `quota_exceeded` instead.
   */
  async recordCheck(identityId: string, name: string, object: ObjectVersion, outcome: CheckOutcome): Promise<CheckRecord> {
    let stored = await this.get(identityId, name, true);
    let decision = outcome;
    for (let attempt = 1; ; attempt++) {
      // Decided before version records existed: the name's result is this very event's.
      if (stored !== undefined && stored.versionId === object.versionId && compareSequencers(stored.sequencer, object.sequencer) === 0) {
        return { kind: 'decided', version: legacyVersion(stored) };
      }
      const now = this.now().toISOString();
      const newest = stored === undefined || compareSequencers(stored.sequencer, object.sequencer) < 0;
      if (decision.status === 'accepted' && object.size > this.quotaBytes) decision = quotaExceeded(object.size, undefined, this.quotaBytes);
      const accepted = decision.status === 'accepted';
      const record: VersionRecord = {
        name,
        versionId: object.versionId,
        state: decision.status,
        ...(decision.status === 'rejected' ? { reason: decision.reason } : {}),
        size: object.size,
        chargedBytes: accepted ? object.size : 0,
        sequencer: object.sequencer,
        updatedAt: now,
      };
      const parts: [Part, TransactWriteItem][] = [['version', { Put: this.putVersion(identityId, record, undefined) }]];
      if (accepted) parts.push(['usage', { Update: this.usageUpdate(identityId, object.size, true) }]);
      if (newest) parts.push(['result', { Put: this.putResult(identityId, { ...resultOf(name, object, decision, now), ...legacyCharge(stored) }, stored) }]);

      const failed = await this.transact(identityId, parts);
      if (failed === undefined) return { kind: 'recorded', outcome: decision, newest };
      if (attempt >= MAX_ATTEMPTS) throw new Error('The results table kept changing while recording a check');
      if (failed.parts.has('version') || failed.conflict) {
        const version = await this.getVersion(identityId, name, object.versionId);
        if (version !== undefined) return { kind: 'decided', version };
      }
      if (failed.parts.has('usage')) decision = quotaExceeded(object.size, failed.usedBytes, this.quotaBytes);
      if (failed.parts.has('result') || failed.conflict) stored = await this.get(identityId, name, true);
    }
  }

  /**
   * Records that a version is gone for good (`Permanently Deleted`, also sent
   * when lifecycle expires a noncurrent version): its charge, if any, is
   * released, once; a version not decided yet gets a tombstone so it is never
   * charged. The name's result becomes a tombstone only if it was this
   * version's acceptance (a rejection stays, to be read). Returns the bytes
   * released, or undefined when the version was already known deleted.
   */
  async recordPermanentDeletion(
    identityId: string,
    name: string,
    deletion: { readonly versionId: string; readonly sequencer: string },
  ): Promise<number | undefined> {
    let version = await this.getVersion(identityId, name, deletion.versionId);
    let stored = await this.get(identityId, name, true);
    for (let attempt = 1; ; attempt++) {
      if (version?.state === 'deleted') return undefined;
      const now = this.now().toISOString();
      // A version charged before version records existed is charged on the name instead.
      const legacy = version === undefined && stored?.countedVersionId === deletion.versionId ? (stored.countedBytes ?? 0) : 0;
      const released = (version?.chargedBytes ?? 0) + legacy;
      const tombstone: VersionRecord = {
        name,
        versionId: deletion.versionId,
        state: 'deleted',
        ...(version === undefined ? {} : { decided: version.state }),
        ...(version?.reason === undefined ? {} : { reason: version.reason }),
        size: version?.size ?? 0,
        chargedBytes: 0,
        sequencer: version === undefined ? deletion.sequencer : newer(version.sequencer, deletion.sequencer),
        updatedAt: now,
      };
      const parts: [Part, TransactWriteItem][] = [['version', { Put: this.putVersion(identityId, tombstone, version) }]];
      if (released > 0) parts.push(['usage', { Update: this.usageUpdate(identityId, -released, false) }]);
      if (stored !== undefined && stored.status === 'accepted' && stored.versionId === deletion.versionId) {
        const gone: StoredResult = {
          name,
          status: 'deleted',
          checkedAt: now,
          size: 0,
          versionId: deletion.versionId,
          sequencer: newer(stored.sequencer, deletion.sequencer),
        };
        parts.push(['result', { Put: this.putResult(identityId, legacy > 0 ? gone : { ...gone, ...legacyCharge(stored) }, stored) }]);
      } else if (stored !== undefined && legacy > 0) {
        const { countedBytes: _bytes, countedVersionId: _version, ...withoutCharge } = stored;
        parts.push(['result', { Put: this.putResult(identityId, withoutCharge, stored) }]);
      }

      const failed = await this.transact(identityId, parts);
      if (failed === undefined) return released;
      if (attempt >= MAX_ATTEMPTS) throw new Error('The results table kept changing while recording a deletion');
      if (failed.parts.has('version') || failed.conflict) version = await this.getVersion(identityId, name, deletion.versionId);
      if (failed.parts.has('result') || failed.conflict) stored = await this.get(identityId, name, true);
    }
  }

  /**
   * Records a delete marker: the name's result becomes a tombstone if the
   * marker is newer than it. No bytes are released: every version is still
   * stored. Returns false when nothing changed.
   */
  async recordDeleteMarker(identityId: string, name: string, marker: { readonly versionId: string; readonly sequencer: string }): Promise<boolean> {
    let stored = await this.get(identityId, name, true);
    for (let attempt = 1; ; attempt++) {
      if (stored !== undefined && compareSequencers(stored.sequencer, marker.sequencer) >= 0) return false;
      const tombstone: StoredResult = {
        name,
        status: 'deleted',
        checkedAt: this.now().toISOString(),
        size: 0,
        versionId: marker.versionId,
        sequencer: marker.sequencer,
        ...legacyCharge(stored),
      };
      // A transaction rather than a conditional put: the marker check must hold in the same write.
      const failed = await this.transact(identityId, [['result', { Put: this.putResult(identityId, tombstone, stored) }]]);
      if (failed === undefined) return true;
      if (attempt >= MAX_ATTEMPTS) throw new Error('The results table kept changing while recording a delete marker');
      stored = await this.get(identityId, name, true);
    }
  }

  /** A version record, put only if absent, or only if its state is still the one read. */
  private putVersion(identityId: string, record: VersionRecord, expected: VersionRecord | undefined) {
    return {
      TableName: this.tableName,
      Item: versionToItem(identityId, record),
      ...(expected === undefined
        ? { ConditionExpression: 'attribute_not_exists(sk)' }
        : {
            ConditionExpression: '#state = :state',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':state': { S: expected.state } },
          }),
    };
  }

  /** A name's result, put only if absent, or only if unchanged since read (same sequencer). */
  private putResult(identityId: string, result: StoredResult, expected: StoredResult | undefined) {
    return {
      TableName: this.tableName,
      Item: toItem(identityId, result),
      ...(expected === undefined
        ? { ConditionExpression: 'attribute_not_exists(sk)' }
        : { ConditionExpression: 'sequencer = :seen', ExpressionAttributeValues: { ':seen': { S: expected.sequencer } } }),
    };
  }

  /** Moves the usage by `delta` bytes; a charge (`guard`) only while the total stays within the quota. */
  private usageUpdate(identityId: string, delta: number, guard: boolean): NonNullable<TransactWriteItem['Update']> {
    return {
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
    };
  }

  /**
   * Writes all parts or none, and only while the identity's account-deleted
   * marker is absent (checked in the same transaction, so no read-then-write
   * race with DELETE /me). Returns undefined on success, else which parts'
   * conditions failed (with the usage seen, for the quota message) or that
   * another transaction conflicted; a present marker is AccountDeletedError;
   * other errors are thrown (the event is retried).
   */
  private async transact(
    identityId: string,
    own: [Part, TransactWriteItem][],
  ): Promise<{ parts: Set<Part>; usedBytes?: number; conflict: boolean } | undefined> {
    const parts: [Part, TransactWriteItem][] = [
      ['account', { ConditionCheck: { TableName: this.tableName, Key: accountDeletedKey(identityId), ConditionExpression: 'attribute_not_exists(sk)' } }],
      ...own,
    ];
    try {
      await this.client.send(new TransactWriteItemsCommand({ TransactItems: parts.map(([, write]) => write) }));
      return undefined;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException) && (error as Error | undefined)?.name !== 'TransactionCanceledException') throw error;
      const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
      const failed = new Set<Part>();
      let usedBytes: number | undefined;
      let conflict = false;
      reasons.forEach((reason, index) => {
        if (reason.Code === 'TransactionConflict') conflict = true;
        if (reason.Code !== 'ConditionalCheckFailed' || parts[index] === undefined) return;
        failed.add(parts[index][0]);
        if (parts[index][0] === 'usage') usedBytes = numberOf(reason.Item?.bytes);
      });
      if (failed.has('account')) throw new AccountDeletedError();
      if (failed.size === 0 && !conflict) throw error;
      return { parts: failed, usedBytes, conflict };
    }
  }
}

function resultOf(name: string, object: ObjectVersion, decision: CheckOutcome, checkedAt: string): StoredResult {
  const base = { name, checkedAt, size: object.size, versionId: object.versionId, sequencer: object.sequencer };
  if (decision.status === 'rejected') return { ...base, status: 'rejected', reason: decision.reason, message: decision.message };
  return { ...base, status: 'accepted', rows: decision.rows, columns: decision.columns, header: decision.header, warnings: decision.warnings };
}

function legacyVersion(stored: StoredResult): VersionRecord {
  const { name, versionId, sequencer, size, reason, checkedAt } = stored;
  const charged = stored.countedVersionId === versionId ? (stored.countedBytes ?? 0) : 0;
  return { name, versionId, sequencer, size, ...(reason === undefined ? {} : { reason }), state: stored.status, chargedBytes: charged, updatedAt: checkedAt };
}

/** The name's charge from before version records, kept until its version is permanently deleted. */
function legacyCharge(stored: StoredResult | undefined): Pick<StoredResult, 'countedBytes' | 'countedVersionId'> {
  if (stored?.countedBytes === undefined || stored.countedBytes <= 0 || stored.countedVersionId === undefined) return {};
  return { countedBytes: stored.countedBytes, countedVersionId: stored.countedVersionId };
}

const newer = (a: string, b: string) => (compareSequencers(a, b) >= 0 ? a : b);

function quotaExceeded(size: number, usedBytes: number | undefined, quota: number): Rejected {
  const used = usedBytes === undefined ? '' : ` You are using ${usedBytes} bytes.`;
  return {
    status: 'rejected',
    reason: 'quota_exceeded',
    message: `Accepting this file (${size} bytes) would exceed your storage quota of ${quota} bytes.${used} Every stored version counts: replaced and deleted files keep counting until their old versions expire.`,
  };
}

function numberOf(value: AttributeValue | undefined): number | undefined {
  return value?.N === undefined ? undefined : Number(value.N);
}
