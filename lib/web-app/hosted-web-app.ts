import { Aws, DefaultStackSynthesizer, Duration, Lazy, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { contentSecurityPolicy } from '../../web/csp';
import { nagArn, nagArnRef } from '../util/nag-resource-ref';
import { ValidationError } from '../util/validation-error';
import { CloudFrontAccessLogs } from './cloudfront-access-logs';
import { WEB_APP_DEFAULTS } from './web-app-defaults';

export interface HostedWebAppProps {
  /**
   * The exact origins the page may call besides its own (CSP `connect-src`):
   * the Cognito endpoints of its Region, its bucket, its API, its sign-in
   * domain. No wildcard is allowed. More can be added later with `addConnectOrigin`.
   * @default - none: the page may call only its own origin
   */
  readonly connectOrigins?: string[];
  /**
   * What happens to the site and log buckets when the stack is deleted.
   * With DESTROY their objects are emptied first so the delete succeeds.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /** Customer managed key for the content-deployment log group. @default - CloudWatch Logs' own encryption */
  readonly logEncryptionKey?: kms.IKey;
  /** Keep previous versions of the site's files for a short while (a redeploy can be rolled back by hand). @default true */
  readonly versioned?: boolean;
  /** How long CloudFront and S3 access logs are kept. @default 90 days */
  readonly accessLogRetention?: Duration;
  /** How long the content-deployment handler's logs are kept. @default logs.RetentionDays.ONE_MONTH */
  readonly deploymentLogRetention?: logs.RetentionDays;
  /** HSTS max-age. @default 730 days */
  readonly hstsMaxAge?: Duration;
}

/**
 * A static single-page app behind CloudFront: a private S3 bucket reached only
 * through origin access control, HTTPS only, and every response with a strict
 * header set (CSP, HSTS, no framing, nosniff, referrer policy). Paths S3 does
 * not hold (the hosted sign-in's `/auth/callback`, deep links) answer with
 * `/index.html`, so the page's own router decides.
 *
 * Content arrives through `deployContent`, which may carry deploy-time values
 * (`Source.jsonData` with tokens), so a client config can name resources of
 * the same stack that themselves depend on `url` (callback URLs, CORS).
 */
export class HostedWebApp extends Construct {
  /** The private origin bucket. */
  public readonly bucket: s3.Bucket;
  /** CloudFront's standard logs and the origin bucket's server access logs, under separate prefixes. */
  public readonly accessLogBucket: s3.Bucket;
  public readonly distribution: cloudfront.Distribution;
  /** The distribution's access logs (standard logging v2, without query strings or cookies). */
  public readonly accessLogs: CloudFrontAccessLogs;
  public readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  /** `https://<distribution domain>`, no trailing slash: the page's origin. */
  public readonly url: string;
  private readonly connectOrigins: string[];
  private readonly removalPolicy: RemovalPolicy;
  private readonly logEncryptionKey?: kms.IKey;
  private readonly deploymentLogRetention: logs.RetentionDays;
  private deployment?: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: HostedWebAppProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.removalPolicy = removalPolicy;
    this.logEncryptionKey = props.logEncryptionKey;
    this.deploymentLogRetention = props.deploymentLogRetention ?? logs.RetentionDays.ONE_MONTH;
    const autoDeleteObjects = removalPolicy === RemovalPolicy.DESTROY;
    this.connectOrigins = [];
    for (const origin of props.connectOrigins ?? []) this.addConnectOrigin(origin);

    this.accessLogBucket = new s3.Bucket(this, 'AccessLogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // Both writers (CloudFront logging v2 and S3 server access logs) are admitted by the bucket
      // policy, so ACLs stay off; log delivery supports SSE-S3 only.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [
        {
          expiration: props.accessLogRetention ?? Duration.days(WEB_APP_DEFAULTS.accessLogRetentionDays),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
      removalPolicy,
      autoDeleteObjects,
    });
    Validations.of(this.accessLogBucket).acknowledge(
      {
        id: 'AwsSolutions-S1',
        reason:
          "This bucket is the destination of the web app's CloudFront and origin-bucket access logs; logging it into another bucket would only move the problem.",
      },
      {
        id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
        reason:
          "This bucket is the destination of the web app's CloudFront and origin-bucket access logs; logging it into another bucket would only move the problem.",
      },
      {
        id: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
        reason: 'CloudFront standard logging and S3 server access logging deliver only to buckets encrypted with S3-managed keys.',
      },
    );

    this.bucket = new s3.Bucket(this, 'Bucket', {
      // Public static files only (HTML, JS, CSS and the app's client config, which names no secret).
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: props.versioned ?? true,
      // Each deploy replaces the site; old versions are a short rollback window, not an archive.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(WEB_APP_DEFAULTS.previousSiteVersionDays) }],
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'origin/',
      removalPolicy,
      autoDeleteObjects,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
      reason:
        "The bucket holds only the web app's public static files (HTML, JS, CSS and a client config that names no secret); S3-managed keys spare CloudFront a key grant for content every visitor downloads anyway.",
    });

    const hstsMaxAge = props.hstsMaxAge ?? Duration.days(WEB_APP_DEFAULTS.hstsMaxAgeDays);
    this.responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      // Policy names are account-wide: the region keeps two regions' stacks of one stage apart.
      responseHeadersPolicyName: `${Names.uniqueResourceName(this, { maxLength: 100 })}-${Aws.REGION}`,
      comment: 'Security headers of the cognito-access web app',
      securityHeadersBehavior: {
        // Rendered at synth, after every origin the page calls is known (see addConnectOrigin).
        contentSecurityPolicy: {
          contentSecurityPolicy: Lazy.string({ produce: () => contentSecurityPolicy(this.connectOrigins) }),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: hstsMaxAge, includeSubdomains: true, override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'cognito-access web app',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
      },
      // A private bucket answers 403 (not 404) for a missing key: both mean "a path of the
      // app" (/auth/callback, a deep link), so the page loads and routes itself.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(10),
      })),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      // Legacy logging would record every query string, OAuth codes on /auth/callback included;
      // logging v2 below leaves the query out.
      enableLogging: false,
    });
    this.accessLogs = new CloudFrontAccessLogs(this, 'AccessLogs', {
      distribution: this.distribution,
      bucket: this.accessLogBucket,
      prefix: 'cloudfront',
      handlerLogRetention: this.deploymentLogRetention,
      handlerLogEncryptionKey: this.logEncryptionKey,
      handlerLogRemovalPolicy: removalPolicy,
    });
    const logsV2 =
      "Access logs are delivered by CloudFront standard logging v2 (AccessLogs: a CloudWatch Logs delivery set up in us-east-1 into this stack's access-log bucket), which this rule does not see: it reads only the legacy DistributionConfig.Logging, which would also record OAuth codes in query strings.";
    const defaultCertificate =
      "The site is served on its *.cloudfront.net name with CloudFront's default certificate (no custom domain is configured for it), which has no custom certificate, no SNI setting and a viewer policy fixed by CloudFront.";
    Validations.of(this.distribution).acknowledge(
      { id: 'cdk-validator-cfnguard::cloudfront_custom_ssl_certificate_check', reason: defaultCertificate },
      { id: 'cdk-validator-cfnguard::cloudfront_sni_enabled_check', reason: defaultCertificate },
      { id: 'cdk-validator-cfnguard::cloudfront_security_policy_check', reason: defaultCertificate },
      {
        id: 'cdk-validator-cfnguard::cloudfront_origin_failover_enabled_check',
        reason:
          'The site has one origin, a bucket in this Region; failover would need a replica bucket in a second Region, which this single-Region stack does not create. The files are rebuilt by any deploy.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          "The site is served on its *.cloudfront.net name with CloudFront's default certificate, which fixes the viewer security policy at TLSv1; TLSv1.2_2021 applies only with a custom certificate and domain.",
      },
      {
        id: 'AwsSolutions-CFR1',
        reason: 'The web app is meant for users wherever they are; access is decided by Cognito sign-in, not by country.',
      },
      { id: 'AwsSolutions-CFR3', reason: logsV2 },
      { id: 'cdk-validator-cfnguard::cloudfront_access_logs_enabled_check', reason: logsV2 },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The distribution serves only static files from a private bucket (GET/HEAD, no forms handled at the edge); every data call goes to Cognito, S3 or the API, each with its own protection. A WAFv2 web ACL for CloudFront must live in us-east-1, outside this stack.',
      },
    );
    this.url = `https://${this.distribution.distributionDomainName}`;
  }

  /** Lets the page call `origin` (CSP connect-src), e.g. the REST API's origin; one exact origin, which may be a token. */
  public addConnectOrigin(origin: string): void {
    if (origin.includes('*') || origin.includes(';') || /\s/.test(origin)) {
      throw new ValidationError(`connect origin ${origin} must be one exact origin (no "*", ";" or spaces).`, this);
    }
    if (!this.connectOrigins.includes(origin)) this.connectOrigins.push(origin);
  }

  /**
   * Puts the site's files into the bucket at deploy time and invalidates the
   * distribution, so a redeploy shows at once. Call once, with every source
   * (e.g. the built bundle and a `Source.jsonData` config file).
   */
  public deployContent(sources: s3deploy.ISource[]): s3deploy.BucketDeployment {
    if (this.deployment) throw new ValidationError('deployContent was already called; pass every source in one call.', this);
    this.deployment = new s3deploy.BucketDeployment(this, 'Content', {
      sources,
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      // The file names carry no content hash, so browsers revalidate instead of keeping an old app.js.
      cacheControl: [s3deploy.CacheControl.noCache()],
      prune: true,
      memoryLimit: 512,
      // Without a log group of its own the handler's logs would outlive a throwaway stage.
      logGroup: new logs.LogGroup(this, 'ContentDeploymentLogs', {
        retention: this.deploymentLogRetention,
        encryptionKey: this.logEncryptionKey,
        removalPolicy: this.removalPolicy,
      }),
    });
    this.acknowledgeDeploymentHandler();
    return this.deployment;
  }

  /**
   * BucketDeployment's handler is CDK's own singleton Lambda, created at stack
   * level (not below this construct): its findings follow from CDK's design,
   * so they are acknowledged on it, one by one.
   */
  private acknowledgeDeploymentHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new ValidationError('BucketDeployment created no handler at stack level; CDK changed its layout.', this);
    // The bootstrap asset bucket as CDK's default synthesizer names it (account and region concrete when pinned).
    const assetBucket = `cdk-${stack.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${stack.account}-${stack.region}`;
    const asset = nagArn(this, `arn:${stack.partition}:s3:::${assetBucket}/*`);
    const wildcardActions = ['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'];
    Validations.of(handler).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "CDK's BucketDeployment handler uses AWSLambdaBasicExecutionRole only to write its own logs.",
      },
      ...wildcardActions.map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `CDK's BucketDeployment grant (${action}) copies the site: read on the CDK asset bucket, read/write/prune on this site bucket only.`,
      })),
      {
        id: `AwsSolutions-IAM5[Resource::${asset}]`,
        reason: "CDK's BucketDeployment handler reads the site bundle from the CDK asset bucket; asset keys are content hashes unknown until synth.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagArnRef(this.bucket.node.defaultChild as s3.CfnBucket)}/*]`,
        reason: "CDK's BucketDeployment handler writes and prunes every object of the site bucket: the bucket holds the site and nothing else.",
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'CDK pins the runtime of its BucketDeployment handler (a Python custom resource); it moves with aws-cdk-lib upgrades, not with this app.',
      },
      {
        id: 'Serverless-LambdaLatestVersion',
        reason: 'CDK pins the runtime of its BucketDeployment handler (a Python custom resource); it moves with aws-cdk-lib upgrades, not with this app.',
      },
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          "CloudFormation invokes CDK's BucketDeployment handler as a custom resource and waits for its answer; a failure fails the deployment, there is no event to dead-letter.",
      },
      {
        id: 'Serverless-LambdaTracing',
        reason: "CDK's BucketDeployment handler runs once per deployment; CloudFormation events and its own log record the outcome.",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'CDK\'s BucketDeployment grants cloudfront:CreateInvalidation and GetInvalidation on "*" to invalidate this site\'s distribution after a copy; it can neither read nor change content.',
      },
    );
  }
}
