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

  // Only after the identity step: without the identity ID there is no prefix the run may touch.
  await record('Delete test objects', ctx.identityId !== undefined, () => deleteObjects(ctx, ctx.identityId!));
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
 * Every version and delete marker under the throwaway identity's own
 * `<identityId>/` prefix, deleted with the deployer's credentials. Nothing
 * outside it is touched, whatever a step or the server reported: a key from
 * an answer could name another user's files, and the deployer may delete
 * them. A key the run wrote elsewhere (a policy that wrongly allowed it) is
 * reported for removal by hand. The bucket is versioned: a plain DeleteObject
 * would only hide the test data behind a delete marker.
 */
async function deleteObjects(ctx: SmokeContext, identityId: string): Promise<string> {
  const { adminS3 } = ctx.deps;
  const bucket = ctx.target.bucketName;
  const prefix = `${identityId}/`;
  const problems: string[] = [];

  const versions = new Map<string, { Key: string; VersionId?: string }>();
  try {
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      const page = await adminS3.send(
        new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
      );
      for (const entry of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
        // Checked again here: only what S3 lists under the prefix may go.
        if (!entry.Key?.startsWith(prefix)) continue;
        versions.set(`${entry.Key}\u0000${entry.VersionId ?? ''}`, { Key: entry.Key, VersionId: entry.VersionId });
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
  } catch (error) {
    problems.push(`listing ${prefix}: ${(error as Error).name}: ${(error as Error).message}`);
  }
  for (const { Key, VersionId } of versions.values()) {
    try {
      await adminS3.send(new DeleteObjectCommand({ Bucket: bucket, Key, VersionId }));
      ctx.createdKeys.delete(Key);
    } catch (error) {
      problems.push(`${Key}@${VersionId ?? 'null'}: ${(error as Error).name}: ${(error as Error).message}`);
    }
  }
  const outside = [...ctx.createdKeys].filter((key) => !key.startsWith(prefix));
  if (outside.length > 0) problems.push(`outside ${prefix}, not deleted (remove by hand): ${outside.join(', ')}`);
  if (problems.length > 0) throw new StepFailure(`left behind in s3://${bucket}: ${problems.join('; ')}`);
  const keys = new Set([...versions.values()].map((v) => v.Key));
  return versions.size === 0 ? 'none left' : `${keys.size} objects, ${versions.size} versions deleted`;
}
