import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as identitypool from 'aws-cdk-lib/aws-cognito-identitypool';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { identityScopedStatements, readAllFilesStatements } from './identity-scoped-policy';
import { constructIdPart } from '../util/construct-id';
import { grantKeyViaS3 } from '../util/grant-key-via-s3';
import { nagArnRef } from '../util/nag-resource-ref';
import { ValidationError } from '../util/validation-error';

/** Extra access for members of one user pool group. */
export interface GroupAccessProps {
  readonly group: cognito.UserPoolGroup;
  /** The group's name, used for the role's construct ID. */
  readonly groupName: string;
  /** Read (get and list) every identity's files, on top of their own data. */
  readonly readAllFiles: boolean;
}

export interface IdentityScopedStorageProps {
  readonly userPool: cognito.IUserPool;
  /** The client whose ID tokens the identity pool accepts. */
  readonly userPoolClient: cognito.IUserPoolClient;
  /**
   * Allow unauthenticated (guest) identities. Their role has no access to files or items.
   * @default false
   */
  readonly allowGuests?: boolean;
  /**
   * Groups that get their own role, chosen through `cognito:preferred_role`.
   * @default - every signed-in user gets the authenticated role
   */
  readonly groupAccess?: GroupAccessProps[];
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
   * RETAIN keeps the identity pool, bucket and table and protects the table from deletion.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The identity pool and the data it guards: a bucket where each identity owns
 * `<identityId>/…`, and a table where it owns the items keyed by its identity ID.
 *
 * The identity pool is stateful too: a new pool gives every user a new
 * identity ID and orphans their files and items, so it is retained like the data.
 */
export class IdentityScopedStorage extends Construct {
  public readonly identityPool: identitypool.IdentityPool;
  public readonly authenticatedRole: iam.IRole;
  public readonly unauthenticatedRole: iam.IRole;
  public readonly bucket: s3.Bucket;
  /** Undefined when access logging is off. */
  public readonly accessLogBucket?: s3.Bucket;
  public readonly table: dynamodb.TableV2;
  /** Undefined unless `kmsEncryption` is on. */
  public readonly encryptionKey?: kms.Key;
  /** Group name → the role its members receive. */
  public readonly groupRoles: Record<string, iam.Role> = {};

  constructor(scope: Construct, id: string, props: IdentityScopedStorageProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const corsOrigins = props.corsOrigins ?? [];
    if (corsOrigins.some((origin) => origin.includes('*'))) {
      throw new ValidationError('corsOrigins must list exact origins; "*" would let any site use a signed-in user\'s credentials.', this);
    }

    if (props.accessLogs ?? true) {
      this.accessLogBucket = new s3.Bucket(this, 'AccessLogBucket', {
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        // Server access log delivery supports SSE-S3 only.
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        lifecycleRules: [{ expiration: props.accessLogRetention ?? Duration.days(90) }],
        removalPolicy,
        autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
      });
      Validations.of(this.accessLogBucket).acknowledge({
        id: 'AwsSolutions-S1',
        reason: 'This bucket is the destination of the user-files bucket\'s server access logs; logging it into another bucket would only move the problem.',
      });
    }

    if (props.kmsEncryption) {
      this.encryptionKey = new kms.Key(this, 'EncryptionKey', {
        description: 'Encrypts the per-identity user files',
        enableKeyRotation: true,
        removalPolicy,
      });
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
      lifecycleRules: [
        {
          id: 'ExpireNoncurrentVersions',
          noncurrentVersionExpiration: props.noncurrentVersionExpiration ?? Duration.days(30),
        },
        {
          id: 'AbortIncompleteUploads',
          abortIncompleteMultipartUploadAfter: props.abortIncompleteUploadAfter ?? Duration.days(1),
        },
      ],
      cors: corsOrigins.length > 0 ? [browserUploadCorsRule(corsOrigins)] : undefined,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: this.accessLogBucket ? 'user-files/' : undefined,
      removalPolicy,
      // A throwaway stage must be able to `cdk destroy`: CloudFormation cannot delete a non-empty bucket.
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
    });
    if (!this.accessLogBucket) {
      Validations.of(this.bucket).acknowledge({
        id: 'AwsSolutions-S1',
        reason: 'Server access logging is switched off for this stage by config (storage.accessLogs: false), for throwaway stages; any audit trail there (e.g. CloudTrail S3 data events) is the account owner\'s to provide.',
      });
    }

    this.table = new dynamodb.TableV2(this, 'Table', {
      // The partition key holds ${cognito-identity.amazonaws.com:sub}, so IAM can pin each identity to its own items.
      partitionKey: { name: 'identityId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'itemId', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });

    this.identityPool = new identitypool.IdentityPool(this, 'IdentityPool', {
      allowUnauthenticatedIdentities: props.allowGuests ?? false,
      allowClassicFlow: false,
      authenticationProviders: {
        // Passing the client keeps the L2 from creating a second one; the server-side
        // token check rejects tokens of users who were signed out globally or deleted.
        userPools: [new identitypool.UserPoolAuthenticationProvider({ userPool: props.userPool, userPoolClient: props.userPoolClient })],
      },
      roleMappings:
        (props.groupAccess ?? []).length > 0
          ? [
              {
                mappingKey: 'userpool',
                providerUrl: identitypool.IdentityPoolProviderUrl.userPool(props.userPool, props.userPoolClient),
                useToken: true,
                // A user in no role-bearing group (or an ambiguous mix) gets the authenticated role.
                resolveAmbiguousRoles: true,
              },
            ]
          : undefined,
    });
    this.identityPool.applyRemovalPolicy(removalPolicy);
    if (props.allowGuests) {
      Validations.of(this.identityPool).acknowledge({
        id: 'AwsSolutions-COG7',
        reason: 'Guest identities are switched on by config (identityPool.allowGuests); the guest role carries no policy at all, so a guest reaches no file and no item (covered by the IAM evaluator tests).',
      });
    }
    this.authenticatedRole = this.identityPool.authenticatedRole;
    this.unauthenticatedRole = this.identityPool.unauthenticatedRole;

    const ownData = new iam.Policy(this, 'IdentityScopedPolicy', {
      statements: identityScopedStatements({ bucketArn: this.bucket.bucketArn, tableArn: this.table.tableArn }),
    });
    ownData.attachToRole(this.authenticatedRole);
    const bucketArnRef = nagArnRef(this.bucket.node.defaultChild as s3.CfnBucket);
    Validations.of(ownData).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${bucketArnRef}/<cognito-identity.amazonaws.com:sub>/*]`,
      reason: 'The wildcard is below the caller\'s own identity-ID prefix: IAM substitutes ${cognito-identity.amazonaws.com:sub}, so each user reaches only <identityId>/… (proven by the IAM evaluator tests).',
    });
    if (this.encryptionKey) grantKeyViaS3(this.encryptionKey, this.authenticatedRole, 'readWrite');

    for (const access of props.groupAccess ?? []) {
      const role = new iam.Role(this, `GroupRole${constructIdPart(access.groupName)}`, {
        description: `Identity pool role for members of the ${access.groupName} user pool group`,
        assumedBy: authenticatedIdentityPrincipal(this.identityPool.identityPoolId),
      });
      ownData.attachToRole(role);
      if (access.readAllFiles) {
        const readAll = new iam.Policy(this, `GroupReadAllFiles${constructIdPart(access.groupName)}`, { statements: readAllFilesStatements(this.bucket.bucketArn) });
        role.attachInlinePolicy(readAll);
        Validations.of(readAll).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${bucketArnRef}/*]`,
          reason: `Members of the "${access.groupName}" group are configured (fileAccess "read-all") to read every user's files; the grant is read-only (s3:GetObject) and limited to this one bucket.`,
        });
      }
      if (this.encryptionKey) grantKeyViaS3(this.encryptionKey, role, 'readWrite');
      (access.group.node.defaultChild as cognito.CfnUserPoolGroup).roleArn = role.roleArn;
      this.groupRoles[access.groupName] = role;
    }
  }
}

/** The identity pool may hand this role only to its own authenticated identities. */
function authenticatedIdentityPrincipal(identityPoolId: string): iam.IPrincipal {
  return new iam.FederatedPrincipal(
    'cognito-identity.amazonaws.com',
    {
      StringEquals: { 'cognito-identity.amazonaws.com:aud': identityPoolId },
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
    },
    'sts:AssumeRoleWithWebIdentity',
  );
}

/** What a browser needs for SDK uploads (SigV4 headers) and presigned POSTs, nothing more. */
function browserUploadCorsRule(origins: string[]): s3.CorsRule {
  return {
    allowedOrigins: origins,
    allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD, s3.HttpMethods.PUT, s3.HttpMethods.POST, s3.HttpMethods.DELETE],
    allowedHeaders: ['authorization', 'content-type', 'content-md5', 'x-amz-*', 'amz-sdk-*'],
    exposedHeaders: ['ETag', 'x-amz-version-id', 'x-amz-request-id', 'x-amz-id-2', 'x-amz-server-side-encryption'],
    maxAge: 3000,
  };
}
