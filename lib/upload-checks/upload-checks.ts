import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
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
import { HANDLER_ENV, UPLOAD_DEFAULTS } from '../../lambda/shared/handler-env';
import { RESULTS_BY_CHECKED_AT } from '../../lambda/shared/upload-result-item';
import { bundledHandlerCode } from '../api/handler-code';
import { handlerEntry } from '../api/routes';
import { HandlerFunction } from '../util/handler-function';
import { grantKeyViaS3 } from '../util/grant-key-via-s3';
import { dataTableSettings } from '../util/data-table';
import { nagArn } from '../util/nag-resource-ref';

export interface UploadChecksProps {
  /** The bucket whose `<identityId>/…` objects are checked. It must send EventBridge events. */
  readonly bucket: s3.IBucket;
  /** @default 10 MiB */
  readonly maxUploadBytes?: number;
  /** @default 100 MiB */
  readonly quotaBytesPerUser?: number;
  /** @default 1000 */
  readonly csvMaxColumns?: number;
  /** @default 128 KiB */
  readonly csvMaxFieldBytes?: number;
  /**
   * Checks that may run at once; the queue absorbs bursts beyond it.
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

/** Failed deliveries go to the dead-letter queue after this many receives. */
const MAX_RECEIVES = 5;

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
    const maxConcurrency = props.maxConcurrency ?? 5;

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
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's guidance for Lambda event sources: at least six times the function timeout.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVES },
    });
    Validations.of(this.deadLetterQueue).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: 'This is the dead-letter queue of the upload-check queue and of its EventBridge target; a dead-letter queue of its own would only move the problem.' },
      { id: 'Serverless-SQSRedrivePolicy', reason: 'This is the dead-letter queue itself: messages end here to be inspected and redriven by an operator, not redriven automatically.' },
      { id: 'cdk-validator-cfnguard::sqs_dlq_check', reason: 'This is the dead-letter queue itself; a dead-letter queue of its own would only move the problem.' },
    );

    this.rule = new events.Rule(this, 'ObjectEvents', {
      description: 'Uploads and deletes under <identityId>/ in the user-files bucket, for the upload checker',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created', 'Object Deleted'],
        detail: {
          bucket: { name: [props.bucket.bucketName] },
          // Identity IDs are "<region>:<uuid>": no other key of the bucket is processed.
          object: { key: events.Match.prefix(`${Stack.of(this).region}:`) },
        },
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
      reason: 'The checker checks every identity\'s uploads, so its role spans the bucket\'s objects; it may read a version and delete a version, nothing else (no list, no put).',
    });
  }

  /** Lets `grantee` read results by key: one item or a batch (an owner's statuses, through the API). */
  public grantReadResults(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iamPolicy.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'], resources: [this.resultsTable.tableArn] }),
    );
  }

  /** Lets `grantee` list every identity's results, newest first (operators). */
  public grantListResults(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iamPolicy.PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${this.resultsTable.tableArn}/index/${RESULTS_BY_CHECKED_AT}`] }),
    );
  }
}
