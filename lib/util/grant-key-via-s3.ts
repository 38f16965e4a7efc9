import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Lets `grantee` use `key` only for S3 requests in this region, not call KMS
 * directly: S3 reads need Decrypt, writes need GenerateDataKey.
 */
export function grantKeyViaS3(key: kms.IKey, grantee: iam.IGrantable, access: 'read' | 'write' | 'readWrite'): void {
  const actions = [...(access !== 'write' ? ['kms:Decrypt'] : []), ...(access !== 'read' ? ['kms:GenerateDataKey'] : [])];
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions,
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(key).region}.amazonaws.com` } },
    }),
  );
}
