/** The one S3 client of a handler bundle (region from AWS_REGION); each handler imports only its commands. */
import { S3Client } from '@aws-sdk/client-s3';
import { lambdaCredentials } from './lambda-credentials';

export const s3 = new S3Client({ credentials: lambdaCredentials });

/** S3 "object absent": HeadObject answers a bare 404 (`NotFound`), GetObject `NoSuchKey`. */
export function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

/** The caller's object key. Callers validate `name` first (validateFileName). */
export const objectKey = (identityId: string, name: string) => `${identityId}/${name}`;
