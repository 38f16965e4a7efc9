/**
 * The local Lambda service (docs/local.md): runs the template's real bundled
 * handlers from the cloud assembly, one long-lived child process per function,
 * with the function's resolved environment, credentials issued for its role
 * and the local endpoints (the JS SDK v3 reads AWS_ENDPOINT_URL_*). Only
 * Node.js runtimes run; any other runtime is refused when invoked.
 */
import type { CredentialStore, LambdaInvoker, LocalTemplate } from '../contracts';
import { functionConfig, type FunctionConfig } from './function-config';
import { FunctionWorker, LambdaInvokeError } from './function-worker';

/** Credentials a function's sandbox gets; the worker is replaced before they run out. */
const CREDENTIAL_LIFETIME_SECONDS = 12 * 3600;
const RENEW_BEFORE_MS = 5 * 60 * 1000;

export interface LocalEndpoints {
  readonly s3?: string;
  readonly dynamodb?: string;
  readonly cognitoIdentity?: string;
  readonly cognitoIdentityProvider?: string;
}

export interface LambdaRunnerOptions {
  readonly template: LocalTemplate;
  readonly credentials: CredentialStore;
  readonly endpoints: LocalEndpoints;
  /** Where handler output goes. @default a line on stdout prefixed with the function's logical ID */
  readonly log?: (functionLogicalId: string, line: string) => void;
}

export class LambdaRunner implements LambdaInvoker {
  private readonly workers = new Map<string, FunctionWorker>();
  private readonly configs = new Map<string, FunctionConfig>();
  private readonly exitHandler = () => {
    for (const worker of this.workers.values()) worker.kill();
  };
  private closed = false;

  constructor(private readonly options: LambdaRunnerOptions) {
    // Children never outlive the runner, even on an abrupt exit of the parent.
    process.on('exit', this.exitHandler);
  }

  functionFor(arnOrRef: unknown): string | undefined {
    const { template } = this.options;
    const ids = template.resourcesOfType('AWS::Lambda::Function');
    if (arnOrRef && typeof arnOrRef === 'object') {
      const ref = (arnOrRef as { Ref?: unknown }).Ref;
      if (typeof ref === 'string' && ids.includes(ref)) return ref;
      const getAtt = (arnOrRef as { 'Fn::GetAtt'?: unknown[] })['Fn::GetAtt'];
      if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && ids.includes(getAtt[0])) return getAtt[0];
      return this.functionFor(template.resolve(arnOrRef));
    }
    if (typeof arnOrRef !== 'string') return undefined;
    // A function name, an ARN, or an ARN with a version or alias qualifier.
    const unqualified = arnOrRef.replace(/^(arn:[^:]+:lambda:[^:]+:\d{12}:function:[^:]+):[^:]+$/, '$1');
    return ids.find((id) => {
      const config = this.config(id);
      return config.functionName === unqualified || config.arn === unqualified;
    });
  }

  async invoke(logicalId: string, event: unknown): Promise<unknown> {
    if (this.closed) throw new Error('The Lambda runner is closed');
    const config = this.config(logicalId);
    if (!config.runtime.startsWith('nodejs')) {
      throw new LambdaInvokeError(logicalId, 'Runtime.Unsupported', `the local run only runs Node.js functions, not ${config.runtime}`);
    }
    return this.worker(config).invoke(event);
  }

  /** The environment of a function's sandbox (also for tests and the start-up summary). */
  environmentFor(config: FunctionConfig): { env: Record<string, string>; expiresAt: number } {
    const { template, credentials, endpoints } = this.options;
    const issued = credentials.issue({ roleLogicalId: config.roleLogicalId, roleArn: config.roleArn }, CREDENTIAL_LIFETIME_SECONDS);
    const endpointEnv: Record<string, string | undefined> = {
      AWS_ENDPOINT_URL_S3: endpoints.s3,
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY: endpoints.cognitoIdentity,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoints.cognitoIdentityProvider,
    };
    const env: Record<string, string> = {
      ...config.environment,
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      LAMBDA_TASK_ROOT: config.codeDir ?? '',
      AWS_REGION: template.region,
      AWS_DEFAULT_REGION: template.region,
      AWS_LAMBDA_FUNCTION_NAME: config.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memoryMb),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${config.functionName}`,
      AWS_LAMBDA_LOG_STREAM_NAME: 'local',
      AWS_EXECUTION_ENV: `AWS_Lambda_${config.runtime}`,
      AWS_ACCESS_KEY_ID: issued.accessKeyId,
      AWS_SECRET_ACCESS_KEY: issued.secretAccessKey,
      AWS_SESSION_TOKEN: issued.sessionToken,
      // The caller's own AWS profile and config files must not leak into a sandbox.
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
      ...Object.fromEntries(Object.entries(endpointEnv).filter((e): e is [string, string] => e[1] !== undefined)),
    };
    return { env, expiresAt: issued.expiration.getTime() };
  }

  /** Stops every worker (SIGTERM, then SIGKILL after 2 s). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
    this.workers.clear();
    process.off('exit', this.exitHandler);
  }

  /** PIDs of the running workers (tests check nothing is left behind). */
  pids(): number[] {
    return [...this.workers.values()].filter((w) => w.alive && w.pid !== undefined).map((w) => w.pid!);
  }

  private config(logicalId: string): FunctionConfig {
    let config = this.configs.get(logicalId);
    if (!config) {
      config = functionConfig(this.options.template, logicalId);
      this.configs.set(logicalId, config);
    }
    return config;
  }

  private worker(config: FunctionConfig): FunctionWorker {
    const existing = this.workers.get(config.logicalId);
    if (existing && existing.alive && existing.credentialsExpireAt - Date.now() > RENEW_BEFORE_MS) return existing;
    if (existing) void existing.stop();
    const { env, expiresAt } = this.environmentFor(config);
    const log = this.options.log ?? ((id: string, line: string) => process.stdout.write(`[${id}] ${line}\n`));
    const worker = new FunctionWorker(config, env, (line) => log(config.logicalId, line), expiresAt);
    this.workers.set(config.logicalId, worker);
    return worker;
  }
}
