/**
 * Which resource types of the template the local run emulates, and which it
 * only lists on start (docs/local.md). Types in neither list are listed too,
 * as unknown, so a new kind of resource is visible rather than silently ignored.
 */
import type { LocalTemplate } from './contracts';

/** Served or honoured locally. */
export const EMULATED_TYPES = new Set([
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolGroup',
  'AWS::Cognito::UserPoolResourceServer',
  'AWS::Cognito::IdentityPool',
  'AWS::Cognito::IdentityPoolRoleAttachment',
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::Lambda::Function',
  'AWS::Lambda::Permission',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Events::Rule',
  'AWS::SQS::Queue',
  'AWS::SQS::QueuePolicy',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Stage',
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::Authorizer',
  'AWS::ApiGateway::GatewayResponse',
  'AWS::ApiGateway::RequestValidator',
]);

/**
 * Present in the template but without local effect: protection, operations
 * and delivery that need a real account. Listed on start, never emulated.
 */
export const LISTED_TYPES = new Set([
  'AWS::WAFv2::WebACL',
  'AWS::WAFv2::WebACLAssociation',
  'AWS::WAFv2::LoggingConfiguration',
  'AWS::CloudFront::Distribution',
  'AWS::CloudFront::OriginAccessControl',
  'AWS::CloudFront::ResponseHeadersPolicy',
  'AWS::CloudFront::Function',
  'AWS::KMS::Key',
  'AWS::KMS::Alias',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::CompositeAlarm',
  'AWS::CloudWatch::Dashboard',
  'AWS::SNS::Topic',
  'AWS::SNS::TopicPolicy',
  'AWS::SNS::Subscription',
  'AWS::SSM::Parameter',
  'AWS::Logs::LogGroup',
  'AWS::Logs::MetricFilter',
  'AWS::Logs::ResourcePolicy',
  'AWS::Lambda::LayerVersion',
  'AWS::Cognito::LogDeliveryConfiguration',
  'AWS::Cognito::UserPoolDomain',
  'AWS::Cognito::UserPoolRiskConfigurationAttachment',
  'AWS::Cognito::UserPoolUICustomizationAttachment',
  'AWS::Cognito::ManagedLoginBranding',
  'AWS::Cognito::UserPoolIdentityProvider',
  'AWS::Route53::RecordSet',
  'AWS::CertificateManager::Certificate',
  'AWS::ApiGateway::Account',
  'Custom::CDKBucketDeployment',
  'Custom::S3AutoDeleteObjects',
  'Custom::S3BucketNotifications',
  'Custom::AWS',
  'AWS::CDK::Metadata',
]);

export interface TypeInventory {
  /** Type → count, for types listed but not emulated. */
  readonly listed: Record<string, number>;
  /** Types the local run knows nothing about. */
  readonly unknown: string[];
  /** AwsCustomResource calls (`Custom::AWS`) the local run does not make, as `<logicalId>: <service>.<action>`. */
  readonly sdkCalls: string[];
}

export function inventory(template: LocalTemplate): TypeInventory {
  const listed: Record<string, number> = {};
  const unknown = new Set<string>();
  for (const resource of Object.values(template.resources)) {
    if (EMULATED_TYPES.has(resource.Type)) continue;
    if (LISTED_TYPES.has(resource.Type)) listed[resource.Type] = (listed[resource.Type] ?? 0) + 1;
    else unknown.add(resource.Type);
  }
  const sdkCalls = customSdkCalls(template);
  return { listed, unknown: [...unknown].sort(), sdkCalls };
}

/**
 * What each `Custom::AWS` (AwsCustomResource) would call on create. Such a call
 * may change behaviour (e.g. S3.PutBucketCors), so each is named on start.
 */
function customSdkCalls(template: LocalTemplate): string[] {
  return template.resourcesOfType('Custom::AWS').map((id) => {
    try {
      const create = JSON.parse(template.resolve<string>(template.resources[id].Properties?.Create)) as { service?: string; action?: string };
      return `${id}: ${create.service}.${create.action}`;
    } catch {
      return `${id}: (call not readable)`;
    }
  });
}
