/**
 * The last steps of DELETE /me, once the caller's data is gone: the identity
 * pool identity, the identity map row, then the user. Each tolerates "already
 * gone", so a retry after a partial failure finishes the job.
 */
import { CognitoIdentityClient, DeleteIdentitiesCommand } from '@aws-sdk/client-cognito-identity';
import { AdminDeleteUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SDK_RETRY_SETTINGS } from './aws-retry';
import { lambdaCredentials } from './lambda-credentials';

const dynamodb = new DynamoDBClient({ credentials: lambdaCredentials, ...SDK_RETRY_SETTINGS });
let cognitoIdentity: CognitoIdentityClient | undefined;
let cognitoIdp: CognitoIdentityProviderClient | undefined;

/** DeleteIdentities reported the identity unprocessed (its error code only). */
export class IdentityNotDeletedError extends Error {
  constructor(code: string) {
    super(`DeleteIdentities left the identity: ${code}`);
    this.name = 'IdentityNotDeletedError';
  }
}

/** Deletes one identity of the pool; an identity already deleted is success. */
export async function deleteIdentity(identityPoolId: string, identityId: string): Promise<void> {
  cognitoIdentity ??= new CognitoIdentityClient({ region: identityPoolId.split(':')[0], credentials: lambdaCredentials, ...SDK_RETRY_SETTINGS });
  try {
    const response = await cognitoIdentity.send(new DeleteIdentitiesCommand({ IdentityIdsToDelete: [identityId] }));
    const unprocessed = response?.UnprocessedIdentityIds?.find((entry) => entry.IdentityId === identityId);
    if (unprocessed) throw new IdentityNotDeletedError(unprocessed.ErrorCode ?? 'Unknown');
  } catch (error) {
    if ((error as Error | undefined)?.name === 'ResourceNotFoundException') return;
    throw error;
  }
}

/** Deletes the caller's `sub` → identity ID row; deleting an absent row succeeds. */
export async function deleteIdentityMapping(table: string, sub: string): Promise<void> {
  await dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { sub: { S: sub } } }));
}

/** Deletes the user from the pool; a user already deleted is success. */
export async function deleteUser(userPoolId: string, username: string): Promise<void> {
  cognitoIdp ??= new CognitoIdentityProviderClient({ region: userPoolId.split('_')[0], credentials: lambdaCredentials, ...SDK_RETRY_SETTINGS });
  try {
    await cognitoIdp.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }));
  } catch (error) {
    if ((error as Error | undefined)?.name === 'UserNotFoundException') return;
    throw error;
  }
}
