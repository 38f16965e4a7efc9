import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * An identity prefix as IAM wildcards can say it: `<region>:<36-character UUID>/`
 * (docs/design.md, "What it is"). Keys outside every identity prefix stay out of reach.
 */
export const ANY_IDENTITY_PREFIX = '*:????????-????-????-????-????????????/';

/**
 * S3 side of account deletion, for a role that serves every caller: list the
 * versions under an identity prefix and permanently delete a version (or delete
 * marker) under one. No s3:DeleteObject (deleting by key alone keeps the data
 * as a noncurrent version), no reads, no writes.
 */
export function identityObjectDeletionStatements(bucketArn: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ListIdentityVersions',
      actions: ['s3:ListBucketVersions'],
      resources: [bucketArn],
      // Without s3:prefix (or with another one) the condition fails, so a bare list of every version is denied.
      conditions: { StringLike: { 's3:prefix': [ANY_IDENTITY_PREFIX] } },
    }),
    new iam.PolicyStatement({
      sid: 'DeleteIdentityVersions',
      actions: ['s3:DeleteObjectVersion'],
      resources: [`${bucketArn}/${ANY_IDENTITY_PREFIX}*`],
    }),
  ];
}
