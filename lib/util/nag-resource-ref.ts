import { Stack, type CfnElement } from 'aws-cdk-lib';

/**
 * How cdk-nag names a resource's ARN inside a finding ID, e.g.
 * `<IdentityStorageBucket53A901BD.Arn>`, so an acknowledgement can name the
 * exact IAM5 finding instead of silencing the rule for the whole policy.
 */
export function nagArnRef(resource: CfnElement): string {
  return `<${Stack.of(resource).resolve(resource.logicalId)}.Arn>`;
}
