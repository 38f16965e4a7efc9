/**
 * Undoes whatever the steps created, whatever state they stopped in: the
 * objects, the identity, then the user. Each action gets its own line; one
 * failing does not stop the others.
 */
import { DeleteIdentitiesCommand } from '@aws-sdk/client-cognito-identity';
import { AdminDeleteUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
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

/** Known keys plus anything left under the identity's prefix, deleted with the deployer's credentials. */
async function deleteObjects(ctx: SmokeContext): Promise<string> {
  const { adminS3 } = ctx.deps;
  const bucket = ctx.target.bucketName;
  const keys = new Set(ctx.createdKeys);
  const problems: string[] = [];
  if (ctx.identityId) {
    try {
      const listed = await adminS3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${ctx.identityId}/` }));
      for (const object of listed.Contents ?? []) if (object.Key) keys.add(object.Key);
    } catch (error) {
      problems.push(`listing ${ctx.identityId}/: ${(error as Error).name}: ${(error as Error).message}`);
    }
  }
  for (const key of keys) {
    try {
      await adminS3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      ctx.createdKeys.delete(key);
    } catch (error) {
      problems.push(`${key}: ${(error as Error).name}: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new StepFailure(`left behind in s3://${bucket}: ${problems.join('; ')}`);
  return keys.size === 0 ? 'none left' : `${keys.size} deleted`;
}
