import { Aspects, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { HANDLER_ENV, UPLOAD_DEFAULTS, type HandlerEnvKey } from '../../contracts/handler-env';
import { API_DEFAULTS } from './api-defaults';
import { addGatewayErrorResponses } from './gateway-error-responses';
import { bundledHandlerCode } from '../handlers/handler-code';
import { RequireCognitoAuthorization } from './require-cognito-authorization';
import { HandlerFunction } from '../handlers/handler-function';
import { corsMethods, type ApiRoute } from './routes';
import { grantKeyViaS3 } from '../util/grant-key-via-s3';
import { nagArn } from '../util/nag-resource-ref';
import { dataTableSettings } from '../util/data-table';
import { ValidationError } from '../util/validation-error';

/** Where upload-check results are read from (`UploadChecks` offers this). */
export interface UploadResultsSource {
  readonly resultsTable: { readonly tableName: string };
  grantReadResults(grantee: iam.IGrantable): void;
  grantListResults(grantee: iam.IGrantable): void;
}

/**
 * The owners of everything an account holds, each offering its deletion grant,
 * for the route that deletes the caller's account (docs/design.md, "Account deletion").
 */
export interface AccountDeletionTargets {
  /** `IdentityScopedStorage`: object versions under identity prefixes and the items table. */
  readonly storage: { readonly table: { readonly tableName: string }; grantDeleteIdentityData(role: iam.IRole): void };
  /** `UploadChecks`: identity partitions of the results table (its name comes from `uploadResults`). */
  readonly uploadResults: { grantDeleteResults(grantee: iam.IGrantable): void };
  /** `FederatedIdentities`: DeleteIdentities (which IAM grants only on `*`). */
  readonly identities: { grantDeleteIdentities(role: iam.IRole): void };
  /** `UserDirectory`: AdminDeleteUser on the user pool. */
  readonly users: { grantDeleteUsers(grantee: iam.IGrantable): void };
}

export interface AuthorizedApiProps {
  /** Whose ID tokens the authorizer accepts. */
  readonly userPool: cognito.IUserPool;
  /** Handlers resolve the caller's identity ID in this pool. */
  readonly identityPoolId: string;
  readonly bucket: s3.IBucket;
  /**
   * Upload-check results, for routes that report statuses.
   * @default - no results source; routes that read results answer 500 (fail closed)
   */
  readonly uploadResults?: UploadResultsSource;
  /**
   * Whose deletion grants a route with `deletesAccount` receives.
   * @default - none; such a route answers 500 (fails closed) for want of permissions and its table name
   */
  readonly accountDeletion?: AccountDeletionTargets;
  /** The routes and their handlers (see `API_ROUTES`). */
  readonly routes: readonly ApiRoute[];
  /**
   * Turns a route's entry file into Lambda code.
   * @default bundledHandlerCode - esbuild in-process with the shared handler options
   */
  readonly handlerCode?: (entry: string) => lambda.Code;
  /** Origins allowed by CORS. @default - no CORS (same-origin or server-side callers only) */
  readonly allowedOrigins?: string[];
  /** @default ['text/csv'] */
  readonly allowedContentTypes?: readonly string[];
  /** @default 10 MiB */
  readonly maxUploadBytes?: number;
  /**
   * How handler logs name files and keys: `plain`, or `hash` (a short SHA-256) where logs
   * outlive the files they name.
   * @default 'hash'
   */
  readonly logFileNames?: 'plain' | 'hash';
  /** @default Duration.minutes(5) */
  readonly uploadUrlTtl?: Duration;
  /** @default Duration.minutes(1) */
  readonly downloadUrlTtl?: Duration;
  /** Steady-state requests per second for the stage. @default 50 */
  readonly throttlingRateLimit?: number;
  /** @default 100 */
  readonly throttlingBurstLimit?: number;
  /** How long API Gateway caches a validated token. @default Duration.minutes(5) */
  readonly authorizerCacheTtl?: Duration;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly accessLogRetention?: logs.RetentionDays;
  /**
   * Execution logging (never with request bodies). Needs the account's API
   * Gateway CloudWatch role, which this stack deliberately does not manage.
   * @default apigw.MethodLoggingLevel.ERROR
   */
  readonly executionLogLevel?: apigw.MethodLoggingLevel;
  /** X-Ray tracing of the stage and handlers. @default true */
  readonly tracing?: boolean;
  /** @default 256 */
  readonly handlerMemorySize?: number;
  /** @default Duration.seconds(10) */
  readonly handlerTimeout?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly handlerLogRetention?: logs.RetentionDays;
  /**
   * A regional WAFv2 web ACL to associate with the stage. Without one the
   * AwsSolutions-APIG3 finding stands and the caller decides whether to accept it.
   * @default - none
   */
  readonly webAclArn?: string;
  /** API stage name in the URL. @default 'v1' */
  readonly stageName?: string;
  /**
   * What happens to the access and handler log groups when the stack is deleted.
   * @default RemovalPolicy.RETAIN - the audit trail outlives the stack
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * What happens to the identity map table when the stack is deleted. It can
   * be rebuilt (handlers call GetId again), but RETAIN spares a GetId storm.
   * @default RemovalPolicy.RETAIN
   */
  readonly identityMapRemovalPolicy?: RemovalPolicy;
  /**
   * Customer managed key for the access-log and handler log groups.
   * @default - CloudWatch Logs' own encryption
   */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * A regional REST API where every route needs a user pool token (an ID token,
 * or an access token with the scopes a route names): the
 * Cognito authorizer is the default method option, so a route added later is
 * protected without anyone remembering, and an Aspect fails synth otherwise.
 */
export class AuthorizedApi extends Construct {
  public readonly api: apigw.RestApi;
  public readonly authorizer: apigw.CognitoUserPoolsAuthorizer;
  public readonly accessLogGroup: logs.LogGroup;
  /**
   * User pool `sub` → identity ID, written once per user after GetId answered
   * for that user's own token, so GetId (25 requests per second per account by
   * default) is called once per user instead of once per container. Only the
   * handlers reach it; identity-pool credentials cannot.
   */
  public readonly identityMap: dynamodb.TableV2;
  /** Route ID → its handler. */
  public readonly handlers: Record<string, HandlerFunction> = {};
  public readonly webAclAssociation?: wafv2.CfnWebACLAssociation;
  /**
   * `https://<api id>.execute-api.<region>.<suffix>`: what a page's CSP must
   * allow. Unlike `api.url` it names no stage, so it does not depend on the
   * deployment (whose CORS settings may name that page's own origin).
   */
  public readonly origin: string;

  constructor(scope: Construct, id: string, props: AuthorizedApiProps) {
    super(scope, id);
    const allowedOrigins = props.allowedOrigins ?? [];
    if (allowedOrigins.some((origin) => origin.includes('*'))) {
      throw new ValidationError('allowedOrigins must list exact origins; "*" would let any site call the API with a user\'s token.', this);
    }
    const tracing = props.tracing ?? API_DEFAULTS.tracing;

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? API_DEFAULTS.accessLogRetentionDays,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
      encryptionKey: props.logEncryptionKey,
    });

    const identityMapRemoval = props.identityMapRemovalPolicy ?? RemovalPolicy.RETAIN;
    this.identityMap = new dynamodb.TableV2(this, 'IdentityMap', {
      partitionKey: { name: 'sub', type: dynamodb.AttributeType.STRING },
      ...dataTableSettings(identityMapRemoval),
    });

    this.authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [props.userPool],
      resultsCacheTtl: props.authorizerCacheTtl ?? Duration.seconds(API_DEFAULTS.authorizerCacheSeconds),
      identitySource: apigw.IdentitySource.header('Authorization'),
    });

    const executionLogLevel = props.executionLogLevel ?? apigw.MethodLoggingLevel.ERROR;
    this.api = new apigw.RestApi(this, 'Api', {
      description: 'cognito-access: profile and per-user files behind a Cognito authorizer',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // The account-wide CloudWatch role (AWS::ApiGateway::Account) belongs to the account, not to one app's stack.
      cloudWatchRole: false,
      deployOptions: {
        stageName: props.stageName ?? API_DEFAULTS.stageName,
        throttlingRateLimit: props.throttlingRateLimit ?? API_DEFAULTS.throttlingRateLimit,
        throttlingBurstLimit: props.throttlingBurstLimit ?? API_DEFAULTS.throttlingBurstLimit,
        loggingLevel: executionLogLevel,
        dataTraceEnabled: false, // would log request and response bodies, tokens included
        metricsEnabled: true,
        tracingEnabled: tracing,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
      },
      defaultMethodOptions: {
        authorizationType: apigw.AuthorizationType.COGNITO,
        authorizer: this.authorizer,
      },
      defaultCorsPreflightOptions:
        allowedOrigins.length > 0
          ? {
              allowOrigins: allowedOrigins,
              allowMethods: corsMethods(props.routes),
              allowHeaders: ['Authorization', 'Content-Type'],
              maxAge: Duration.minutes(10),
            }
          : undefined,
    });
    // The stack publishes ApiUrl under its contract name; drop the L2's duplicate output.
    this.api.node.tryRemoveChild('Endpoint');
    addGatewayErrorResponses(this.api, allowedOrigins);
    const stack = Stack.of(this);
    this.origin = `https://${this.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`;

    // Handlers validate bodies and parameters themselves so every rejection carries the
    // documented error codes; this validator enforces any model or required parameter
    // a route declares on the method, so API Gateway never forwards what it says it rejects.
    const validator = this.api.addRequestValidator('RequestValidator', { validateRequestBody: true, validateRequestParameters: true });
    const environment = handlerEnvironment({
      identityPoolId: props.identityPoolId,
      userPoolProviderName: props.userPool.userPoolProviderName,
      identityMapTable: this.identityMap.tableName,
      uploadResultsTable: props.uploadResults?.resultsTable.tableName,
      bucketName: props.bucket.bucketName,
      allowedContentTypes: (props.allowedContentTypes ?? UPLOAD_DEFAULTS.allowedContentTypes).join(','),
      maxUploadBytes: String(props.maxUploadBytes ?? UPLOAD_DEFAULTS.maxUploadBytes),
      uploadUrlTtlSeconds: String((props.uploadUrlTtl ?? Duration.seconds(UPLOAD_DEFAULTS.uploadUrlTtlSeconds)).toSeconds()),
      downloadUrlTtlSeconds: String((props.downloadUrlTtl ?? Duration.seconds(UPLOAD_DEFAULTS.downloadUrlTtlSeconds)).toSeconds()),
      allowedOrigins: allowedOrigins.join(','),
      logFileNames: props.logFileNames ?? 'hash',
    });

    for (const route of props.routes) {
      const handler = new HandlerFunction(this, route.id, {
        purpose: `the ${route.id} API handler`,
        code: (props.handlerCode ?? bundledHandlerCode)(route.entry),
        environment:
          route.deletesAccount && props.accountDeletion
            ? { ...environment, [HANDLER_ENV.itemsTable]: props.accountDeletion.storage.table.tableName }
            : environment,
        memorySize: props.handlerMemorySize ?? API_DEFAULTS.handlerMemoryMb,
        timeout: props.handlerTimeout,
        logRetention: props.handlerLogRetention,
        logRemovalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
        logEncryptionKey: props.logEncryptionKey,
        tracing,
      });
      this.grantRouteAccess(handler, route, props.bucket);
      // Read the mapping, or write it once (conditional put); never update or delete it.
      if (route.resolvesIdentity) this.identityMap.grant(handler.role, 'dynamodb:GetItem', 'dynamodb:PutItem');
      if (route.readsUploadResults) props.uploadResults?.grantReadResults(handler.role);
      if (route.listsUploadResults) props.uploadResults?.grantListResults(handler.role);
      if (route.deletesAccount) this.grantAccountDeletion(handler, props.accountDeletion);
      const resource = this.api.root.resourceForPath(route.path);
      resource.addMethod(route.method, new apigw.LambdaIntegration(handler.function), {
        requestValidator: validator,
        ...(route.scopes && route.scopes.length > 0 ? { authorizationScopes: [...route.scopes] } : {}),
      });
      this.handlers[route.id] = handler;
    }

    if (props.webAclArn) {
      this.webAclAssociation = new wafv2.CfnWebACLAssociation(this, 'WebAcl', {
        resourceArn: this.api.deploymentStage.stageArn,
        webAclArn: props.webAclArn,
      });
    }
    this.limitInvokePermissionsToThisAccount();
    Aspects.of(this).add(new RequireCognitoAuthorization());
  }

  /**
   * Everything DELETE /me removes, each through its owner's grant; the identity map
   * is this construct's own: the caller's row may be deleted (DeleteItem returning nothing).
   */
  private grantAccountDeletion(handler: HandlerFunction, targets: AccountDeletionTargets | undefined): void {
    if (!targets) return;
    targets.storage.grantDeleteIdentityData(handler.role);
    targets.uploadResults.grantDeleteResults(handler.role);
    targets.identities.grantDeleteIdentities(handler.role);
    targets.users.grantDeleteUsers(handler.role);
    handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:DeleteItem'],
        resources: [this.identityMap.tableArn],
        conditions: { StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' } },
      }),
    );
  }

  /** Object actions on `bucket/*` and ListBucket on the bucket, only those the route declares. */
  /**
   * API Gateway's invoke permissions name the API by a joined ARN; adding the
   * account as well means no other account's API can reach a handler even if
   * the ARN condition were ever widened (confused-deputy guard).
   */
  private limitInvokePermissionsToThisAccount(): void {
    for (const child of this.api.node.findAll()) {
      if (child instanceof lambda.CfnPermission && child.principal === 'apigateway.amazonaws.com') {
        child.sourceAccount = Stack.of(this).account;
        Validations.of(child).acknowledge({
          id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
          reason:
            "Only API Gateway may invoke, with SourceArn naming this REST API's execute-api ARN and SourceAccount this account; the rule reads neither because both are CloudFormation expressions (Fn::Join, Ref AWS::AccountId).",
        });
      }
    }
  }

  private grantRouteAccess(handler: HandlerFunction, route: ApiRoute, bucket: s3.IBucket): void {
    const objectActions = route.s3Actions.filter((action) => action !== 's3:ListBucket');
    if (objectActions.length > 0) {
      handler.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: objectActions, resources: [bucket.arnForObjects('*')] }));
      Validations.of(handler.role.node.findChild('DefaultPolicy')).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagArn(this, bucket.bucketArn)}/*]`,
        reason: `The ${route.id} handler serves every user, so its role spans the bucket; each request is confined in code to <identityId>/ resolved from the caller's own ID token with GetId, never from the request.`,
      });
    }
    if (objectActions.includes('s3:PutObject')) {
      // Files are `<identityId>/<name>` with no "/" in the name (docs/design.md, "REST API"): even a
      // presigned POST whose key the code got wrong cannot write below a file name.
      handler.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: 'DenyNestedKeyWrites', effect: iam.Effect.DENY, actions: ['s3:PutObject'], resources: [bucket.arnForObjects('*/*/*')] }),
      );
    }
    if (route.s3Actions.includes('s3:ListBucket')) {
      handler.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    }
    if (bucket.encryptionKey) {
      // Presigned URLs are signed with this role, so the S3 request they make needs the key too.
      if (objectActions.includes('s3:GetObject')) grantKeyViaS3(bucket.encryptionKey, handler.role, 'read');
      if (objectActions.includes('s3:PutObject')) grantKeyViaS3(bucket.encryptionKey, handler.role, 'write');
    }
  }
}

/** Each function's environment, keyed by the names the handlers read (`contracts/handler-env.ts`). */
function handlerEnvironment(values: Partial<Record<HandlerEnvKey, string>>): Record<string, string> {
  return Object.fromEntries(
    (Object.keys(values) as HandlerEnvKey[]).filter((key) => values[key] !== undefined).map((key) => [HANDLER_ENV[key], values[key] as string]),
  );
}
