/**
 * Undoes whatever the steps created, whatever state they stopped in: the
 * objects, the identity, then the user. Each action gets its own line; one
 * failing does not stop the others.
 */
import { DeleteIdentitiesCommand } from '@aws-sdk/client-cognito-identity';
import { AdminDeleteUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DeleteObjectCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import type { SmokeContext } from './smoke-context';
import { formatResult, runOne, StepFailure, type StepResult } from './step-runner';

export async function cleanUp(ctx: SmokeContext): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const record = async (title: string, applies: boolean, run: () => Promise<string>) => {
    const result: StepResult = applies
      ? await runOne('cleanup', { title, run }, ctx)
      : { label: 'cleanup', title, status: 'SKIP', detail: 'nothing was created' };
    ctx.deps.log(formatResult(result));
    results.push(result);
  };

  await record('Delete test objects', ctx.createdKeys.size > 0 || ctx.identityId !== undefined, () => deleteObjects(ctx));
  await record('Delete the identity', ctx.identityId !== undefined, async () => {
    const answer = await ctx.deps.cognitoIdentity.send(new DeleteIdentitiesCommand({ IdentityIdsToDelete: [ctx.identityId!] }));
    const left = answer.UnprocessedIdentityIds ?? [];
    if (left.length > 0) throw new StepFailure(`not deleted: ${left.map((u) => `${u.IdentityId} (${u.ErrorCode})`).join(', ')}`);
    return ctx.identityId!;
  });
  await record('Delete the throwaway user', ctx.username !== undefined, async () => {
    await ctx.deps.cognitoIdp.send(new AdminDeleteUserCommand({ UserPoolId: ctx.target.userPoolId, Username: ctx.username! }));
    return ctx.newUser.email;
  });
  return results;
}

/**
 * Every version and delete marker of the known keys and of anything under the
 * identity's prefix, deleted with the deployer's credentials. The bucket is
 * versioned: a plain DeleteObject would only hide the test data behind a
 * delete marker until the noncurrent-version lifecycle rule expires it.
 */
async function deleteObjects(ctx: SmokeContext): Promise<string> {
  const { adminS3 } = ctx.deps;
  const bucket = ctx.target.bucketName;
  const problems: string[] = [];
  const targets = [...ctx.createdKeys].map((key) => ({ prefix: key, exact: true }));
  if (ctx.identityId) targets.push({ prefix: `${ctx.identityId}/`, exact: false });

  const versions = new Map<string, { Key: string; VersionId?: string }>();
  for (const { prefix, exact } of targets) {
    try {
      let keyMarker: string | undefined;
      let versionIdMarker: string | undefined;
      do {
        const page = await adminS3.send(
          new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
        );
        for (const entry of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
          // An exact key never sweeps up its neighbours (e.g. other objects under not-permissions/).
          if (!entry.Key || (exact && entry.Key !== prefix)) continue;
          versions.set(`${entry.Key}\u0000${entry.VersionId ?? ''}`, { Key: entry.Key, VersionId: entry.VersionId });
        }
        keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
      } while (keyMarker);
    } catch (error) {
      problems.push(`listing ${prefix}: ${(error as Error).name}: ${(error as Error).message}`);
    }
  }
  for (const { Key, VersionId } of versions.values()) {
    try {
      await adminS3.send(new DeleteObjectCommand({ Bucket: bucket, Key, VersionId }));
      ctx.createdKeys.delete(Key);
    } catch (error) {
      problems.push(`${Key}@${VersionId ?? 'null'}: ${(error as Error).name}: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new StepFailure(`left behind in s3://${bucket}: ${problems.join('; ')}`);
  const keys = new Set([...versions.values()].map((v) => v.Key));
  return versions.size === 0 ? 'none left' : `${keys.size} objects, ${versions.size} versions deleted`;
}
