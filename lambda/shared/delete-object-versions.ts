/**
 * Permanently deletes every object version and delete marker under a prefix,
 * a listed page (up to 1,000) per DeleteObjects call, each entry naming its
 * version: deleting by key alone would only add a delete marker in a
 * versioned bucket and keep the data.
 */
import { DeleteObjectsCommand, ListObjectVersionsCommand, type ObjectIdentifier } from '@aws-sdk/client-s3';
import { s3 } from './s3';
import type { TimeBudget } from './time-budget';

/** S3 allows at most 1,000 keys per DeleteObjects. */
export const MAX_KEYS_PER_DELETE = 1000;

/** Per-key failures DeleteObjects reports in its body (the call itself succeeded). */
export class DeleteObjectsFailedError extends Error {
  constructor(codes: readonly string[]) {
    super(`DeleteObjects left ${codes.length} version(s) undeleted: ${[...new Set(codes)].join(', ')}`);
    this.name = 'DeleteObjectsFailedError';
  }
}

/** True when nothing is left under `prefix`; false when the budget ran out first (call again). */
export async function deleteObjectVersions(bucket: string, prefix: string, budget: TimeBudget): Promise<boolean> {
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    if (!budget.hasTime()) return false;
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: prefix,
        MaxKeys: MAX_KEYS_PER_DELETE,
        KeyMarker: keyMarker,
        VersionIdMarker: versionIdMarker,
      }),
    );
    const targets: ObjectIdentifier[] = [...(page?.Versions ?? []), ...(page?.DeleteMarkers ?? [])]
      // The prefix is ours, so S3 lists nothing else; the check keeps a wrong answer from deleting outside it.
      .filter((entry) => typeof entry.Key === 'string' && entry.Key.startsWith(prefix) && typeof entry.VersionId === 'string')
      .map((entry) => ({ Key: entry.Key, VersionId: entry.VersionId }));
    for (let start = 0; start < targets.length; start += MAX_KEYS_PER_DELETE) {
      const result = await s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: targets.slice(start, start + MAX_KEYS_PER_DELETE), Quiet: true },
        }),
      );
      // A version already gone is what a retry wants; anything else is a fault.
      const failures = (result?.Errors ?? []).map((error) => error.Code ?? 'Unknown').filter((code) => code !== 'NoSuchVersion' && code !== 'NoSuchKey');
      if (failures.length > 0) throw new DeleteObjectsFailedError(failures);
    }
    if (!page?.IsTruncated) return true;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}
