/** `identityPool`: the Cognito identity pool, and the FederatedIdentities props it becomes. */
import { z } from 'zod';
import type { FederatedIdentitiesProps } from '../../federated-identities/federated-identities';
import { removalPolicyOf } from '../removal';
import type { StageConfig } from '../stage-config';

export const identityPool = z
  .strictObject({
    allowGuests: z.boolean().default(false).describe('Unauthenticated identities; their role reaches no files or items.'),
  })
  .prefault({})
  .describe('The identity pool.');

/** The identity pool; the stack adds the user pool and client. */
export function federatedIdentitiesProps(config: StageConfig): Omit<FederatedIdentitiesProps, 'userPool' | 'userPoolClient'> {
  return {
    allowGuests: config.identityPool.allowGuests,
    // Only groups that reach more than their own data need a role of their own.
    groupNames: config.userPool.groups.filter((group) => group.fileAccess === 'read-all').map((group) => group.name),
    removalPolicy: removalPolicyOf(config),
  };
}
