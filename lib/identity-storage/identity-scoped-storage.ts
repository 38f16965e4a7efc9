import { Duration, Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeAwsCustomResourceProvider } from '../util/aws-custom-resource-provider';
import { limitGrantsToAwsServices } from '../util/limit-grants-to-aws-services';
import { identityScopedStatements, OBJECT_WRITE_ACTIONS, readAllFilesStatements } from './identity-scoped-policy';
import { ANY_IDENTITY_PREFIX, identityObjectDeletionStatements } from './identity-data-deletion-policy';
import { partitionDeletionStatements } from '../util/partition-deletion-statements';
import { STORAGE_DEFAULTS } from './storage-defaults';
import { grantKeyViaS3 } from '../util/grant-key-via-s3';
import { nagArnRef } from '../util/nag-resource-ref';
import { dataTableSettings } from '../util/data-table';
import { ValidationError } from '../util/validation-error';

export interface IdentityScopedStorageProps {
  /**
   * Browser origins allowed by the bucket's CORS rules. `*` is refused.
   * @default - no CORS rule (browsers cannot upload directly)
   */
  readonly corsOrigins?: string[];
  /**
   * Encrypt the bucket with a customer managed KMS key instead of S3-managed keys.
   * @default false
   */
  readonly kmsEncryption?: boolean;
  /** @default Duration.days(30) */
  readonly noncurrentVersionExpiration?: Duration;
  /** @default Duration.days(1) */
  readonly abortIncompleteUploadAfter?: Duration;
  /**
   * Write S3 server access logs to a separate bucket.
   * @default true
   */
  readonly accessLogs?: boolean;
  /** @default Duration.days(90) */
  readonly accessLogRetention?: Duration;
  /**
   * RETAIN keeps the buckets, key and table and protects the table from deletion.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The construct ID CDK gives its singleton bucket-notifications handler. */
const BUCKET_NOTIFICATIONS_HANDLER = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

/**
 * Data keyed by identity-pool identity: a bucket where each identity owns
 * `<identityId>/…`, and a table where it owns the items keyed by its identity
 * ID. It creates no role; the roles that may reach the data are granted it
 * (`grantOwnData`, `grantReadAll`), the way Amplify's storage access model does.
 */
export class IdentityScopedStorage extends Construct {
  public readonly bucket: s3.Bucket;
  /** Undefined when access logging is off. */
  public readonly accessLogBucket?: s3.Bucket;
  public readonly table: dynamodb.TableV2;
  /** Undefined unless `kmsEncryption` is on. */
  public readonly encryptionKey?: kms.Key;
  /**
   * `https://<bucket>.s3.<region>.<suffix>`: the bucket's virtual-hosted endpoint, which
   * browsers call (Amplify Storage builds exactly this host), for a page's CSP.
   */
  public readonly browserOrigin: string;
  private ownDataPolicy?: iam.Policy;
  private readAllPolicy?: iam.Policy;
  private dataDeletionPolicy?: iam.Policy;
  private readonly corsOrigins: string[];
  private corsRules?: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: IdentityScopedStorageProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const corsOrigins = props.corsOrigins ?? [];
    for (const origin of corsOrigins) this.checkCorsOrigin(origin);
    this.corsOrigins = [...corsOrigins];

    if (props.accessLogs ?? STORAGE_DEFAULTS.accessLogs) {
      this.accessLogBucket = new s3.Bucket(this, 'AccessLogBucket', {
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        // Server access log delivery supports SSE-S3 only.
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        // Versioned, so a deleted or overwritten log stays recoverable for a while.
        versioned: true,
        lifecycleRules: [
          {
            expiration: props.accessLogRetention ?? Duration.days(STORAGE_DEFAULTS.accessLogRetentionDays),
            noncurrentVersionExpiration: Duration.days(STORAGE_DEFAULTS.accessLogNoncurrentVersionDays),
          },
        ],
        removalPolicy,
        autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
      });
      const selfLogging =
        "This bucket is the destination of the user-files bucket's server access logs; logging it into another bucket would only move the problem.";
      Validations.of(this.accessLogBucket).acknowledge(
        { id: 'AwsSolutions-S1', reason: selfLogging },
        { id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check', reason: selfLogging },
        {
          id: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
          reason: 'S3 server access log delivery writes only to buckets encrypted with S3-managed keys (SSE-S3); a KMS default would stop the logs.',
        },
      );
    }

    if (props.kmsEncryption) {
      this.encryptionKey = new kms.Key(this, 'EncryptionKey', {
        description: 'Encrypts the per-identity user files',
        enableKeyRotation: true,
        removalPolicy,
      });
      limitGrantsToAwsServices(this.encryptionKey);
    }

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: this.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: this.encryptionKey ? true : undefined,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      // Uploads are checked on the server after they land (docs/design.md, "Upload checks").
      eventBridgeEnabled: true,
      lifecycleRules: [
        {
          id: 'ExpireNoncurrentVersions',
          noncurrentVersionExpiration: props.noncurrentVersionExpiration ?? Duration.days(STORAGE_DEFAULTS.noncurrentVersionDays),
        },
        {
          id: 'AbortIncompleteUploads',
          abortIncompleteMultipartUploadAfter: props.abortIncompleteUploadAfter ?? Duration.days(STORAGE_DEFAULTS.abortIncompleteUploadDays),
        },
      ],
      cors: corsOrigins.length > 0 ? [browserUploadCorsRule(corsOrigins)] : undefined,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: this.accessLogBucket ? 'user-files/' : undefined,
      removalPolicy,
      // A throwaway stage must be able to `cdk destroy`: CloudFormation cannot delete a non-empty bucket.
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
    });
    this.browserOrigin = `https://${this.bucket.bucketName}.s3.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`;
    // eventBridgeEnabled is applied by CDK's stack-wide bucket-notifications custom resource.
    const notifications = Stack.of(this).node.tryFindChild(BUCKET_NOTIFICATIONS_HANDLER);
    if (notifications) {
      Validations.of(notifications).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's bucket-notifications custom resource, which turns on EventBridge delivery for the user-files bucket, runs only during deployments and uses the basic execution policy for its own logs.",
      });
    }

    // A customer-provided key (SSE-C) would lock the upload checker and operators out of an object.
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenySseCUploads',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } },
      }),
    );
    // Archive classes cannot be read back at once (the checker and downloads would fail) and
    // bill minimum durations; without the header S3 stores STANDARD, so only a present, other value is denied.
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyNonStandardStorageClass',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: OBJECT_WRITE_ACTIONS,
        resources: [this.bucket.arnForObjects('*')],
        conditions: {
          StringNotEquals: { 's3:x-amz-storage-class': 'STANDARD' },
          Null: { 's3:x-amz-storage-class': 'false' },
        },
      }),
    );

    this.table = new dynamodb.TableV2(this, 'Table', {
      // The partition key holds ${cognito-identity.amazonaws.com:sub}, so IAM can pin each identity to its own items.
      partitionKey: { name: 'identityId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'itemId', type: dynamodb.AttributeType.STRING },
      ...dataTableSettings(removalPolicy),
    });
  }

  /**
   * Lets `role` reach its caller's own data only: objects under
   * `<identityId>/`, a list of that prefix, and items keyed by the identity ID,
   * where IAM substitutes the identity ID at request time. For identity-pool roles.
   */
  public grantOwnData(role: iam.IRole): void {
    if (!this.ownDataPolicy) {
      this.ownDataPolicy = new iam.Policy(this, 'IdentityScopedPolicy', {
        statements: identityScopedStatements({ bucketArn: this.bucket.bucketArn, tableArn: this.table.tableArn }),
      });
      Validations.of(this.ownDataPolicy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagArnRef(this.bucket.node.defaultChild as s3.CfnBucket)}/<cognito-identity.amazonaws.com:sub>/*]`,
        reason:
          "The wildcard is below the caller's own identity-ID prefix: IAM substitutes ${cognito-identity.amazonaws.com:sub}, so each user reaches only <identityId>/… (proven by the IAM evaluator tests).",
      });
    }
    this.ownDataPolicy.attachToRole(role);
    if (this.encryptionKey) grantKeyViaS3(this.encryptionKey, role, 'readWrite');
  }

  /**
   * Adds a browser origin that depends on a resource which itself names this bucket,
   * e.g. a CloudFront site whose CSP lists the bucket's host: a CORS rule in the bucket's
   * own properties would make a dependency cycle. From the first call on, the bucket's
   * CORS rule (every origin) is written by a custom resource (PutBucketCors) after both
   * exist, instead of by the bucket's properties.
   */
  public addCorsOrigin(origin: string): void {
    this.checkCorsOrigin(origin);
    if (!this.corsOrigins.includes(origin)) this.corsOrigins.push(origin);
    if (this.corsRules) return;
    (this.bucket.node.defaultChild as s3.CfnBucket).addPropertyDeletionOverride('CorsConfiguration');
    const putCors: cr.AwsSdkCall = {
      service: 'S3',
      action: 'PutBucketCors',
      parameters: {
        Bucket: this.bucket.bucketName,
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: Lazy.list({ produce: () => this.corsOrigins }),
              AllowedMethods: BROWSER_UPLOAD_CORS.allowedMethods,
              AllowedHeaders: BROWSER_UPLOAD_CORS.allowedHeaders,
              ExposeHeaders: BROWSER_UPLOAD_CORS.exposedHeaders,
              MaxAgeSeconds: BROWSER_UPLOAD_CORS.maxAge,
            },
          ],
        },
      },
      physicalResourceId: cr.PhysicalResourceId.of(`${this.node.path}/CorsRules`),
    };
    // No onDelete: removing this resource hands CORS back to the bucket's properties, which CloudFormation writes first.
    this.corsRules = new cr.AwsCustomResource(this, 'CorsRules', {
      onCreate: putCors,
      onUpdate: putCors,
      installLatestAwsSdk: false,
      memorySize: 256,
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['s3:PutBucketCORS'], resources: [this.bucket.bucketArn] })]),
    });
    acknowledgeAwsCustomResourceProvider(this, "the user-files bucket's CORS rule, written after the web app that names the bucket");
  }

  private checkCorsOrigin(origin: string): void {
    if (origin.includes('*')) {
      throw new ValidationError('corsOrigins must list exact origins; "*" would let any site use a signed-in user\'s credentials.', this);
    }
  }

  /**
   * Lets `role` delete any identity's data: every object version and delete marker
   * under an identity prefix, and whole partitions of the items table (keys-only
   * Query, DeleteItem). For the API's account-deletion handler, which serves every
   * caller and confines each request to the caller's own identity ID in code
   * (docs/design.md, "Account deletion").
   */
  public grantDeleteIdentityData(role: iam.IRole): void {
    if (!this.dataDeletionPolicy) {
      this.dataDeletionPolicy = new iam.Policy(this, 'IdentityDataDeletionPolicy', {
        statements: [...identityObjectDeletionStatements(this.bucket.bucketArn), ...partitionDeletionStatements(this.table.tableArn, ['identityId', 'itemId'])],
      });
      Validations.of(this.dataDeletionPolicy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagArnRef(this.bucket.node.defaultChild as s3.CfnBucket)}/${ANY_IDENTITY_PREFIX}*]`,
        reason:
          "The account-deletion handler serves every user, so it may delete versions under any identity prefix (never outside one, never read or write); each request is confined in code to the identity ID resolved from the caller's own ID token.",
      });
    }
    this.dataDeletionPolicy.attachToRole(role);
  }

  /** Lets `role` read (get and list) every identity's files, for operators. */
  public grantReadAll(role: iam.IRole): void {
    if (!this.readAllPolicy) {
      this.readAllPolicy = new iam.Policy(this, 'ReadAllFilesPolicy', { statements: readAllFilesStatements(this.bucket.bucketArn) });
      Validations.of(this.readAllPolicy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagArnRef(this.bucket.node.defaultChild as s3.CfnBucket)}/*]`,
        reason:
          "This grant exists to read every user's files (an operator role); it is read-only (s3:GetObject and s3:ListBucket) and limited to this one bucket.",
      });
    }
    this.readAllPolicy.attachToRole(role);
    if (this.encryptionKey) grantKeyViaS3(this.encryptionKey, role, 'read');
  }
}

/** What a browser needs for SDK uploads (SigV4 headers) and presigned POSTs, nothing more. */
const BROWSER_UPLOAD_CORS = {
  allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD, s3.HttpMethods.PUT, s3.HttpMethods.POST, s3.HttpMethods.DELETE],
  allowedHeaders: ['authorization', 'content-type', 'content-md5', 'x-amz-*', 'amz-sdk-*'],
  exposedHeaders: ['ETag', 'x-amz-version-id', 'x-amz-request-id', 'x-amz-id-2', 'x-amz-server-side-encryption'],
  maxAge: 3000,
};

function browserUploadCorsRule(origins: string[]): s3.CorsRule {
  return { allowedOrigins: origins, ...BROWSER_UPLOAD_CORS };
}
