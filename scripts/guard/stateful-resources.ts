/**
 * Resource types that hold data a replacement or removal would lose
 * (docs/design.md, "Data that must survive"), and what exactly is lost. Which
 * property changes replace a resource is not listed here: the CloudFormation
 * spec inside @aws-cdk/cloudformation-diff decides that.
 */
export interface StatefulKind {
  /** What a person calls it in a report line. */
  readonly noun: string;
  /** What is gone once the physical resource is. */
  readonly loses: string;
}

export const STATEFUL_TYPES: Readonly<Record<string, StatefulKind>> = {
  'AWS::Cognito::UserPool': { noun: 'user pool', loses: 'every user and password (users must sign up again; their identity IDs change too)' },
  'AWS::Cognito::IdentityPool': { noun: 'identity pool', loses: "all identity IDs: users' S3 prefixes and items become unreachable" },
  'AWS::S3::Bucket': { noun: 'bucket', loses: 'every object' },
  'AWS::DynamoDB::Table': { noun: 'table', loses: 'every item' },
  'AWS::DynamoDB::GlobalTable': { noun: 'table', loses: 'every item' },
  'AWS::KMS::Key': { noun: 'KMS key', loses: 'the key: everything encrypted with it can no longer be decrypted' },
};

/** Log groups count only when kept on purpose (DeletionPolicy Retain): those hold audit history. */
const RETAINED_LOG_GROUP: StatefulKind = { noun: 'retained log group', loses: 'every log event it keeps' };

interface ResourceJson {
  readonly Type?: string;
  readonly DeletionPolicy?: unknown;
}

/** The kind of data a template resource holds, or undefined when it holds none worth guarding. */
export function statefulKind(resource: ResourceJson | undefined): StatefulKind | undefined {
  if (!resource?.Type) return undefined;
  if (resource.Type === 'AWS::Logs::LogGroup') return resource.DeletionPolicy === 'Retain' ? RETAINED_LOG_GROUP : undefined;
  return STATEFUL_TYPES[resource.Type];
}
