import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { IdentityEnv } from './env';
import { callerOf, resolveIdentityId } from './identity';
import { objectKey } from './s3';
import { fileNameFromPath } from './validation';

/**
 * The `{name}` path parameter as one of the caller's own objects. The name and
 * the claims are checked before GetId, the only AWS call here.
 */
export async function callerFile(event: APIGatewayProxyEvent, identity: IdentityEnv): Promise<{ identityId: string; name: string; key: string }> {
  const name = fileNameFromPath(event.pathParameters, identity.identityIdLength);
  const identityId = await resolveIdentityId(callerOf(event), identity);
  return { identityId, name, key: objectKey(identityId, name) };
}
