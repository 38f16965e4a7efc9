import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as iamPolicy from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { HANDLER_ENV, UPLOAD_DEFAULTS } from '../../contracts/handler-env';
import { UPLOAD_CHECK_METRICS } from '../../contracts/upload-check-metrics';
import { ACCOUNT_DELETED_ATTRIBUTES, RESULTS_BY_CHECKED_AT } from '../../contracts/upload-results-table';
import { bundledHandlerCode } from '../handlers/handler-code';
import { handlerEntry } from '../handlers/handler-entry';
import { HandlerFunction } from '../handlers/handler-function';
import { grantKeyViaS3 } from '../util/grant-key-via-s3';
import { dataTableSettings } from '../util/data-table';
import { nagArn } from '../util/nag-resource-ref';
import { partitionDeletionStatements } from '../util/partition-deletion-statements';
import { ValidationError } from '../util/validation-error';
import { UPLOAD_CHECK_DEFAULTS } from './upload-check-defaults';

export interface UploadChecksProps {
  /** The bucket whose `<identityId>/…` objects are checked. It must send EventBridge events. */
  readonly bucket: s3.IBucket;
  /** @default 10 MiB */
  readonly maxUploadBytes?: number;
  /**
   * Content types an upload may declare, the same list the API's upload URLs accept.
   * @default ['text/csv']
   */
  readonly allowedContentTypes?: readonly string[];
  /**
   * How the checker's logs name files and keys: `plain`, or `hash` (a short SHA-256) where
   * logs outlive the files they name.
   * @default 'hash'
   */
  readonly logFileNames?: LogFileNames;
  /** @default 100 MiB */
  readonly quotaBytesPerUser?: number;
  /** @default 1000 */
  readonly csvMaxColumns?: number;
  /** @default 128 KiB */
  readonly csvMaxFieldBytes?: number;
  /**
   * Checks that may run at once (the checker's reserved concurrency), an integer from 2 to 1000
   * (`UPLOAD_CHECK_DEFAULTS.reservedConcurrencyRange`): the SQS event source polls with at least 2, so fewer
   * would throttle it. The queue absorbs bursts beyond it.
   * @default 5
   */
  readonly maxConcurrency?: number;
  /** @default Duration.seconds(60) */
  readonly checkerTimeout?: Duration;
  /** @default true */
  readonly tracing?: boolean;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** Customer managed key for the checker's log group. @default - CloudWatch Logs' own encryption */
  readonly logEncryptionKey?: kms.IKey;
  /** @default - esbuild in-process, as for the API handlers */
  readonly handlerCode?: (entry: string) => lambda.Code;
  /**
   * RETAIN keeps the results table (deletion-protected) and the log group.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** How logs name files and keys (`LOG_FILE_NAMES`). */
export type LogFileNames = 'plain' | 'hash';

/** Failed deliveries go to the dead-letter queue after this many receives. */
const MAX_RECEIVES = 5;

/** SQS's longest retention, for the queue and its dead-letter queue (which must keep a message at least as long). */
const RETENTION = Duration.days(14);

/**
 * The server-side check of every upload (docs/design.md, "Upload checks"):
 * S3 `Object Created`/`Object Deleted` events for `<identityId>/` keys →
 * EventBridge rule → SQS queue (bursts, retries, dead-letter queue) → the
 * checker, which streams the object, records one result per file and a
 * per-identity byte count, and deletes a rejected version.
 *
 * Results live in a table of their own that no identity-pool role can reach:
 * owners read them only through the API (`grantReadResults`).
 */
export class UploadChecks extends Construct {
  public readonly resultsTable: dynamodb.TableV2;
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly rule: events.Rule;
  public readonly checker: HandlerFunction;

  constructor(scope: Construct, id: string, props: UploadChecksProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const timeout = props.checkerTimeout ?? Duration.seconds(60);
    const maxConcurrency = props.maxConcurrency ?? UPLOAD_CHECK_DEFAULTS.reservedConcurrency;
    const { min, max } = UPLOAD_CHECK_DEFAULTS.reservedConcurrencyRange;
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < min || maxConcurrency > max) {
      throw new ValidationError(`maxConcurrency must be an integer from ${min} to ${max}; got ${maxConcurrency}.`, this);
    }

    this.resultsTable = new dynamodb.TableV2(this, 'ResultsTable', {
      partitionKey: { name: 'identityId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      // Newest first across identities, for operators (GET /admin/uploads).
      globalSecondaryIndexes: [
        {
          indexName: RESULTS_BY_CHECKED_AT,
          partitionKey: { name: 'kind', type: dynamodb.AttributeType.STRING },
          sortKey: { name: 'checkedAt', type: dynamodb.AttributeType.STRING },
        },
      ],
      ...dataTableSettings(removalPolicy),
    });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: RETENTION,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's guidance for Lambda event sources: at least six times the function timeout.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      // A backlog the checker cannot drain (throttled, failing) must not expire unseen within SQS's default 4 days.
      retentionPeriod: RETENTION,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVES },
    });
    Validations.of(this.deadLetterQueue).acknowledge(
      {
        id: 'AwsSolutions-SQS3',
        reason:
          'This is the dead-letter queue of the upload-check queue and of its EventBridge target; a dead-letter queue of its own would only move the problem.',
      },
      {
        id: 'Serverless-SQSRedrivePolicy',
        reason: 'This is the dead-letter queue itself: messages end here to be inspected and redriven by an operator, not redriven automatically.',
      },
      {
        id: 'cdk-validator-cfnguard::sqs_dlq_check',
        reason: 'This is the dead-letter queue itself; a dead-letter queue of its own would only move the problem.',
      },
    );

    this.rule = new events.Rule(this, 'ObjectEvents', {
      description: 'Every upload and delete in the user-files bucket, for the upload checker',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created', 'Object Deleted'],
        // Every key, not only "<region>:" ones: the checker decides each key under an identity
        // prefix whatever its spelling (raw or URL-encoded) and counts the keys outside any
        // (docs/design.md, "Upload checks"); a key filter here would hide both from it.
        detail: { bucket: { name: [props.bucket.bucketName] } },
      },
      // Events EventBridge cannot deliver (e.g. the queue is unavailable for a day) land in the same dead-letter queue.
      targets: [new targets.SqsQueue(this.queue, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });

    this.checker = new HandlerFunction(this, 'Checker', {
      purpose: 'the upload checker',
      invokedBy: 'sqs',
      code: (props.handlerCode ?? bundledHandlerCode)(handlerEntry('check-upload')),
      timeout,
      memorySize: 256,
      tracing: props.tracing,
      logRetention: props.logRetention,
      logRemovalPolicy: removalPolicy,
      logEncryptionKey: props.logEncryptionKey,
      reservedConcurrentExecutions: maxConcurrency,
      environment: {
        [HANDLER_ENV.bucketName]: props.bucket.bucketName,
        [HANDLER_ENV.uploadResultsTable]: this.resultsTable.tableName,
        [HANDLER_ENV.maxUploadBytes]: String(props.maxUploadBytes ?? UPLOAD_DEFAULTS.maxUploadBytes),
        [HANDLER_ENV.allowedContentTypes]: (props.allowedContentTypes ?? UPLOAD_DEFAULTS.allowedContentTypes).join(','),
        [HANDLER_ENV.logFileNames]: props.logFileNames ?? UPLOAD_CHECK_DEFAULTS.logFileNames,
        [HANDLER_ENV.quotaBytesPerUser]: String(props.quotaBytesPerUser ?? UPLOAD_DEFAULTS.quotaBytesPerUser),
        [HANDLER_ENV.csvMaxColumns]: String(props.csvMaxColumns ?? UPLOAD_DEFAULTS.csvMaxColumns),
        [HANDLER_ENV.csvMaxFieldBytes]: String(props.csvMaxFieldBytes ?? UPLOAD_DEFAULTS.csvMaxFieldBytes),
      },
    });
    const eventSource = new sources.SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: Math.max(2, maxConcurrency) });
    this.checker.function.addEventSource(eventSource);
    Validations.of(this.checker.function).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason: `SQS event source mappings support no on-failure destination; the queue's redrive policy moves a message that fails ${MAX_RECEIVES} times to the dead-letter queue instead.`,
    });

    // Read the exact version it checks; delete only a rejected version.
    this.checker.role.addToPrincipalPolicy(
      new iamPolicy.PolicyStatement({
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:DeleteObjectVersion'],
        resources: [props.bucket.arnForObjects('*')],
      }),
    );
    if (props.bucket.encryptionKey) grantKeyViaS3(props.bucket.encryptionKey, this.checker.role, 'read');
    // Results and usage: conditional puts and updates inside one transaction; the table only, not its index.
    this.checker.role.addToPrincipalPolicy(
      new iamPolicy.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
        resources: [this.resultsTable.tableArn],
      }),
    );
    Validations.of(this.checker.role.node.findChild('DefaultPolicy')).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(this, props.bucket.bucketArn)}/*]`,
      reason:
        "The checker checks every identity's uploads, so its role spans the bucket's objects; it may read a version and delete a version, nothing else (no list, no put).",
    });
  }

  /**
   * Objects the checker was handed whose key is not under an identity-ID prefix (its own
   * metric, no dimensions), summed over `period`. Identity roles and the API cannot write
   * such a key, so any count means another writer did.
   * @param period @default Duration.minutes(5)
   */
  public metricKeysOutsideIdentityPrefix(period: Duration = Duration.minutes(5)): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: UPLOAD_CHECK_METRICS.namespace,
      metricName: UPLOAD_CHECK_METRICS.keysOutsideIdentityPrefix,
      statistic: 'Sum',
      period,
    });
  }

  /** Lets `grantee` read results by key: one item or a batch (an owner's statuses, through the API). */
  public grantReadResults(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iamPolicy.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'], resources: [this.resultsTable.tableArn] }),
    );
  }

  /**
   * Lets `grantee` delete whole identity partitions of the results table (results,
   * version records and usage): a keys-only Query and DeleteItem, for account deletion;
   * and put the account-deleted marker first, which stops the checker writing for
   * that identity (docs/design.md, "Account deletion").
   */
  public grantDeleteResults(grantee: iam.IGrantable): void {
    for (const statement of partitionDeletionStatements(this.resultsTable.tableArn, ['identityId', 'sk']))
      grantee.grantPrincipal.addToPrincipalPolicy(statement);
    // IAM cannot condition on a sort key's value, and dynamodb:LeadingKeys cannot name one partition
    // for a role serving every caller: the put is held to the marker's attribute names (no file
    // name, result or charge can be written) and no return values (no read by another name). Any
    // item it could overwrite, this role may delete anyway.
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iamPolicy.PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [this.resultsTable.tableArn],
        conditions: {
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...ACCOUNT_DELETED_ATTRIBUTES] },
          // ForAllValues is vacuously true when the key is absent; require it.
          Null: { 'dynamodb:Attributes': 'false' },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
        },
      }),
    );
  }

  /** Lets `grantee` list every identity's results, newest first (operators). */
  public grantListResults(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iamPolicy.PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${this.resultsTable.tableArn}/index/${RESULTS_BY_CHECKED_AT}`] }),
    );
  }
}
