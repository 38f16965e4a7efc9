/**
 * DELETE /me: deletes the caller's account and everything of it
 * (docs/design.md, "Account deletion"): first it marks the account deleted in
 * the results table (the checker then writes nothing more for the identity),
 * then every object version and delete marker under `<identityId>/`, the items
 * and the upload results and usage of that identity (the marker stays), the
 * identity, its identity map row, and last the user, so a retry
 * after a partial failure can still authenticate and finish. 204 when all is
 * gone; 202 `{status: "in_progress"}` when the time budget ran out first (the
 * client calls again).
 */
import { isThrottledOrTransient } from './shared/aws-retry';
import { deleteIdentity, deleteIdentityMapping, deleteUser } from './shared/delete-account-identity';
import { markAccountDeleted } from './shared/delete-account-marker';
import { deleteObjectVersions } from './shared/delete-object-versions';
import { deletePartition } from './shared/delete-partition';
import { loadOnce, readAccountDeletionEnv, readIdentityEnv, readStorageEnv } from './shared/env';
import { apiHandler } from './shared/handler';
import { HttpError, noContent, unauthorized, unavailable, type RouteResult } from './shared/http';
import { callerOf, claimsOf, resolveIdentityId } from './shared/identity';
import { timeBudget } from './shared/time-budget';
import { ACCOUNT_DELETED_SK } from '../contracts/upload-results-table';

const config = loadOnce(() => ({
  identity: readIdentityEnv(process.env),
  storage: readStorageEnv(process.env),
  deletion: readAccountDeletionEnv(process.env),
}));

/**
 * Left for the identity, the map row and the user (each with the SDK's bounded
 * retries) and the response once the last batch is done.
 */
export const FINAL_STEPS_RESERVE_MS = 4000;
/** The budget when the context cannot tell the time left (outside Lambda): the default handler timeout. */
const FALLBACK_BUDGET_MS = 10_000;
/** Cognito user names are 1–128 characters, none of them control characters. */
const USERNAME = /^[^\p{Cc}]{1,128}$/u;

export const IN_PROGRESS: RouteResult = { status: 202, body: { status: 'in_progress' } };

export const handler = apiHandler('DELETE /me', async ({ event, context }) => {
  const { identity, storage, deletion } = config.get();
  const caller = callerOf(event);
  const username = claimsOf(event)['cognito:username'];
  if (typeof username !== 'string' || !USERNAME.test(username)) throw unauthorized('Missing or invalid cognito:username claim');
  const budget = timeBudget(context, FINAL_STEPS_RESERVE_MS, FALLBACK_BUDGET_MS);

  const identityId = await resolveIdentityId(caller, identity);
  try {
    // Before the purge: its deletion events must find the marker (docs/design.md, "Account deletion").
    await markAccountDeleted(deletion.uploadResultsTable, identityId);
    const dataGone =
      (await deleteObjectVersions(storage.bucketName, `${identityId}/`, budget)) &&
      (await deletePartition({ table: deletion.itemsTable, partitionKey: 'identityId', sortKey: 'itemId', partition: identityId }, budget)) &&
      (await deletePartition(
        { table: deletion.uploadResultsTable, partitionKey: 'identityId', sortKey: 'sk', partition: identityId, keepSortKeys: [ACCOUNT_DELETED_SK] },
        budget,
      ));
    if (!dataGone || !budget.hasTime()) return IN_PROGRESS;
    await deleteIdentity(identity.identityPoolId, identityId);
    // After the identity: until then a retry finds the same identity here instead of GetId minting a new one.
    await deleteIdentityMapping(identity.identityMapTable, caller.sub);
    await deleteUser(deletion.userPoolId, username);
  } catch (error) {
    if (!(error instanceof HttpError) && isThrottledOrTransient(error)) throw unavailable(error);
    throw error;
  }
  return noContent();
});
