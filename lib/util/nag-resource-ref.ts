import { Stack, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * How cdk-nag names a resource's ARN inside a finding ID, e.g.
 * `<IdentityStorageBucket53A901BD.Arn>`, so an acknowledgement can name the
 * exact IAM5 finding instead of silencing the rule for the whole policy.
 */
export function nagArnRef(resource: CfnElement): string {
  return `<${Stack.of(resource).resolve(resource.logicalId)}.Arn>`;
}

/**
 * The same for any ARN, including one of an imported resource that has no
 * CloudFormation resource here (`Bucket.fromBucketName`): the ARN as cdk-nag
 * flattens it, with `Ref`s written `<Name>` and `GetAtt`s `<Name.Attr>`.
 */
export function nagArn(scope: IConstruct, arn: string): string {
  return flatten(Stack.of(scope).resolve(arn));
}

function flatten(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const object = (value ?? {}) as Record<string, unknown>;
  if (Array.isArray(object['Fn::Join'])) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map(flatten).join(separator);
  }
  if (Array.isArray(object['Fn::GetAtt'])) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
  if (typeof object.Ref === 'string') return `<${object.Ref}>`;
  return JSON.stringify(value);
}
