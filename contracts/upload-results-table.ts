/**
 * The names the stack and the handlers share about the upload results table
 * (docs/design.md, "Upload checks"): the stack creates the index and scopes
 * the grants with them, the handlers query and write with them.
 */

/** The results table's index over `kind` and `checkedAt`: every identity's results, newest first. */
export const RESULTS_BY_CHECKED_AT = 'ByCheckedAt';

/** Partition of the ByCheckedAt index; tombstones and version records leave it out so the index lists results only. */
export const RESULT_KIND = 'upload';

/** The sort key of the account-deleted marker (docs/design.md, "Account deletion"). */
export const ACCOUNT_DELETED_SK = 'account#deleted';

/** Every attribute the marker has: the account-deletion role may put items with these attributes only. */
export const ACCOUNT_DELETED_ATTRIBUTES = ['identityId', 'sk', 'deletedAt'] as const;
