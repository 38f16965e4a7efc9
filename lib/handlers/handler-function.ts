import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HANDLER_DEFAULTS } from './handler-defaults';

/** Who calls the function decides where a failed invocation goes. */
export type HandlerInvocation = 'api-gateway' | 'sqs' | 'cognito';

export interface HandlerFunctionProps {
  /** The bundled handler; its file is `index.js` and exports `handler`. */
  readonly code: lambda.Code;
  readonly environment: Record<string, string>;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default true */
  readonly tracing?: boolean;
  /** @default RemovalPolicy.RETAIN - the audit trail outlives the stack */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** What the function does, for its role's description, e.g. `the ListFiles API handler`. */
  readonly purpose: string;
  /** @default 'api-gateway' */
  readonly invokedBy?: HandlerInvocation;
  /** @default - no reserved concurrency */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Customer managed key for the log group (its policy must let CloudWatch Logs use it).
   * @default - CloudWatch Logs' own encryption
   */
  readonly logEncryptionKey?: kms.IKey;
}

/** Why neither a DLQ nor an async failure destination applies, by caller. */
const NO_ASYNC_FAILURE: Record<HandlerInvocation, { dlq: string; destination: string }> = {
  'api-gateway': {
    dlq: 'API Gateway invokes this handler synchronously and returns its error to the caller; there is no async event to dead-letter.',
    destination: 'Invoked synchronously by API Gateway only; failures go back to the HTTP caller, so an async failure destination would never fire.',
  },
  cognito: {
    dlq: 'Cognito invokes this trigger synchronously and returns its error to the user signing up; there is no async event to dead-letter.',
    destination: 'Invoked synchronously by Cognito only; failures go back to the sign-up call, so an async failure destination would never fire.',
  },
  sqs: {
    dlq: "An SQS event source mapping polls this function synchronously; a message that keeps failing goes to the queue's own dead-letter queue after its maximum receive count.",
    destination:
      "Invoked only by an SQS event source mapping, never asynchronously, so an async failure destination would never fire; the queue's dead-letter queue keeps failed messages.",
  },
};

/**
 * One bundled handler: an ARM64 function on a current Node runtime with its
 * own log group (set retention) and its own role that can write only to that
 * log group. Callers add exactly the data grants the handler needs.
 */
export class HandlerFunction extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? HANDLER_DEFAULTS.logRetentionDays,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
      encryptionKey: props.logEncryptionKey,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole, which may write to every log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.purpose}`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      code: props.code,
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? HANDLER_DEFAULTS.memoryMb,
      timeout: props.timeout ?? Duration.seconds(HANDLER_DEFAULTS.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: props.tracing === false ? lambda.Tracing.DISABLED : lambda.Tracing.ACTIVE,
      environment: props.environment,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
    });

    if (props.tracing !== false) {
      const policy = this.role.node.tryFindChild('DefaultPolicy');
      if (policy) {
        Validations.of(policy).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions; CDK adds them for active tracing of this handler.',
        });
      }
    }
    const why = NO_ASYNC_FAILURE[props.invokedBy ?? 'api-gateway'];
    Validations.of(this.function).acknowledge(
      { id: 'Serverless-LambdaDLQ', reason: why.dlq },
      { id: 'Serverless-LambdaAsyncFailureDestination', reason: why.destination },
    );
  }
}
