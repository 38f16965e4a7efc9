import { Aws, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeAwsCustomResourceProvider } from '../util/aws-custom-resource-provider';
import { nagArn } from '../util/nag-resource-ref';
import { ValidationError } from '../util/validation-error';

/**
 * CloudFront's standard-log fields, less the two that can carry secrets of a
 * visitor: `cs-uri-query` (the hosted sign-in returns to `/auth/callback?code=…&state=…`)
 * and `cs(Cookie)`. The path (`cs-uri-stem`), status, timing and client fields stay.
 */
export const CLOUDFRONT_LOG_FIELDS = [
  'date',
  'time',
  'x-edge-location',
  'sc-bytes',
  'c-ip',
  'cs-method',
  'cs(Host)',
  'cs-uri-stem',
  'sc-status',
  'cs(Referer)',
  'cs(User-Agent)',
  'x-edge-result-type',
  'x-edge-request-id',
  'x-host-header',
  'cs-protocol',
  'cs-bytes',
  'time-taken',
  'x-forwarded-for',
  'ssl-protocol',
  'ssl-cipher',
  'x-edge-response-result-type',
  'cs-protocol-version',
  'fle-status',
  'fle-encrypted-fields',
  'c-port',
  'time-to-first-byte',
  'x-edge-detailed-result-type',
  'sc-content-type',
  'sc-content-len',
  'sc-range-start',
  'sc-range-end',
] as const;

/** CloudFront's log delivery (standard logging v2) is configured only through CloudWatch Logs in this Region. */
const CLOUDFRONT_LOGS_REGION = 'us-east-1';

export interface CloudFrontAccessLogsProps {
  readonly distribution: cloudfront.IDistribution;
  /** Where the logs land: an SSE-S3 bucket (log delivery cannot use a KMS key it has no grant on). */
  readonly bucket: s3.IBucket;
  /** Key prefix of the log files in `bucket`, without slashes. */
  readonly prefix: string;
  /** @default CLOUDFRONT_LOG_FIELDS - every standard field but the query string and cookies */
  readonly recordFields?: readonly string[];
  /** Retention of the delivery handler's own log group. @default logs.RetentionDays.ONE_MONTH */
  readonly handlerLogRetention?: logs.RetentionDays;
  /** @default - CloudWatch Logs' own encryption */
  readonly handlerLogEncryptionKey?: kms.IKey;
  /** @default RemovalPolicy.RETAIN */
  readonly handlerLogRemovalPolicy?: RemovalPolicy;
}

/**
 * A distribution's access logs through CloudFront standard logging v2, which,
 * unlike the legacy S3 logging, lets the log leave out fields: here the query
 * string, so OAuth codes returned to the page never reach a log.
 *
 * CloudFront accepts its delivery source, destination and delivery only in
 * us-east-1, whatever the stack's Region, so three CDK `AwsCustomResource`s
 * create them there (PutDeliverySource, PutDeliveryDestination,
 * CreateDelivery) and delete them with the stack. The log files themselves go
 * to `bucket`, in the stack's Region.
 */
export class CloudFrontAccessLogs extends Construct {
  /** The record fields each log line carries, in order. */
  public readonly recordFields: readonly string[];
  /** The delivery as the custom resource created it (its ID is the physical resource ID). */
  public readonly delivery: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: CloudFrontAccessLogsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.recordFields = [...(props.recordFields ?? CLOUDFRONT_LOG_FIELDS)];
    if (this.recordFields.includes('cs-uri-query') || this.recordFields.includes('cs(Cookie)')) {
      throw new ValidationError('CloudFront access logs must not record cs-uri-query or cs(Cookie): they carry OAuth codes and session cookies.', this);
    }
    // Names are account-wide in us-east-1: the stack's Region keeps two Regions' stacks apart.
    const name = `${Names.uniqueResourceName(this, { maxLength: 40 })}-${Aws.REGION}`;
    const logsArn = (resource: string) => `arn:${stack.partition}:logs:${CLOUDFRONT_LOGS_REGION}:${stack.account}:${resource}`;
    const sourceArn = logsArn(`delivery-source:${name}`);
    const destinationArn = logsArn(`delivery-destination:${name}`);

    // Log delivery writes as the service, only for deliveries of this account in us-east-1, in the
    // form CloudWatch Logs documents for S3 destinations (confused-deputy guard).
    const fromThisAccountsDeliveries = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': logsArn('*') },
    };
    props.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudFrontLogDeliveryWrite',
        principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [props.bucket.arnForObjects(`${props.prefix}/*`)],
        conditions: {
          ...fromThisAccountsDeliveries,
          StringEquals: { ...fromThisAccountsDeliveries.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' },
        },
      }),
    );
    props.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudFrontLogDeliveryAclCheck',
        principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['s3:GetBucketAcl', 's3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: fromThisAccountsDeliveries,
      }),
    );

    const logGroup = new logs.LogGroup(this, 'HandlerLogs', {
      retention: props.handlerLogRetention ?? logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.handlerLogEncryptionKey,
      removalPolicy: props.handlerLogRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    const call = (action: string, parameters: Record<string, unknown>, physicalResourceId?: cr.PhysicalResourceId): cr.AwsSdkCall => ({
      service: 'CloudWatchLogs',
      action,
      parameters,
      region: CLOUDFRONT_LOGS_REGION,
      physicalResourceId,
    });
    const common = { installLatestAwsSdk: false, logGroup, memorySize: 256 };

    const source = new cr.AwsCustomResource(this, 'Source', {
      ...common,
      onCreate: call('PutDeliverySource', { name, resourceArn: props.distribution.distributionArn, logType: 'ACCESS_LOGS' }, cr.PhysicalResourceId.of(name)),
      onUpdate: call('PutDeliverySource', { name, resourceArn: props.distribution.distributionArn, logType: 'ACCESS_LOGS' }, cr.PhysicalResourceId.of(name)),
      onDelete: call('DeleteDeliverySource', { name }),
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['logs:PutDeliverySource', 'logs:GetDeliverySource', 'logs:DeleteDeliverySource'], resources: [sourceArn] }),
        // CloudWatch Logs asks CloudFront whether the caller may have this distribution's logs delivered.
        new iam.PolicyStatement({ actions: ['cloudfront:AllowVendedLogDeliveryForResource'], resources: [props.distribution.distributionArn] }),
      ]),
    });

    const destinationParameters = {
      name,
      outputFormat: 'w3c',
      deliveryDestinationConfiguration: { destinationResourceArn: props.bucket.arnForObjects(props.prefix) },
    };
    const destination = new cr.AwsCustomResource(this, 'Destination', {
      ...common,
      onCreate: call('PutDeliveryDestination', destinationParameters, cr.PhysicalResourceId.of(name)),
      onUpdate: call('PutDeliveryDestination', destinationParameters, cr.PhysicalResourceId.of(name)),
      onDelete: call('DeleteDeliveryDestination', { name }),
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['logs:PutDeliveryDestination', 'logs:GetDeliveryDestination', 'logs:DeleteDeliveryDestination'],
          resources: [destinationArn],
        }),
      ]),
    });

    const configuration = {
      recordFields: this.recordFields,
      fieldDelimiter: '\t',
      s3DeliveryConfiguration: { suffixPath: '{DistributionId}/{yyyy}/{MM}/{dd}/{HH}', enableHiveCompatiblePath: false },
    };
    this.delivery = new cr.AwsCustomResource(this, 'Delivery', {
      ...common,
      onCreate: call(
        'CreateDelivery',
        { deliverySourceName: name, deliveryDestinationArn: destinationArn, ...configuration },
        cr.PhysicalResourceId.fromResponse('delivery.id'),
      ),
      onUpdate: call('UpdateDeliveryConfiguration', { id: new cr.PhysicalResourceIdReference(), ...configuration }),
      onDelete: call('DeleteDelivery', { id: new cr.PhysicalResourceIdReference() }),
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['logs:CreateDelivery', 'logs:GetDelivery', 'logs:UpdateDeliveryConfiguration', 'logs:DeleteDelivery'],
          resources: [logsArn('delivery:*'), sourceArn, destinationArn],
        }),
        // The bucket policy above already admits the delivery; it is read, never rewritten.
        new iam.PolicyStatement({ actions: ['s3:GetBucketPolicy'], resources: [props.bucket.bucketArn] }),
      ]),
    });
    this.delivery.node.addDependency(source, destination);
    if (props.bucket.policy) this.delivery.node.addDependency(props.bucket.policy);

    Validations.of(this.delivery).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(this, logsArn('delivery:*'))}]`,
      reason:
        "CloudWatch Logs names a delivery by an ID it assigns at creation; the grant is limited to deliveries in us-east-1 of this account, and CreateDelivery also needs this construct's own source and destination.",
    });
    acknowledgeAwsCustomResourceProvider(this, "the web app's CloudFront log delivery in us-east-1");
  }
}
