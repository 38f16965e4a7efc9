/**
 * Starts the whole local run of a stage (docs/local.md): synth with bundling
 * into `.local/<stage>/cdk.out`, every service on its port, the web app, and
 * `endpoints.json`. `close()` stops everything it started.
 */
import * as fs from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as path from 'node:path';
import { loadStageConfig } from '../../lib/config/load-stage-config';
import { buildWeb } from '../../web/build';
import { createApiService } from './api/api-service';
import { createIdentityPoolService } from './cognito-identity/identity-pool-service';
import { AwsJsonError } from './cognito-idp/aws-json';
import { createUserPoolService } from './cognito-idp/user-pool-service';
import type { LocalService } from './contracts';
import { createDynamoDbService } from './dynamodb/dynamodb-service';
import type { EventSink } from './events/eventbridge-event';
import { LocalEvents } from './events/local-events';
import { LocalCredentialStore } from './iam/credential-store';
import { SigV4Error, verifySigV4 } from './iam/sigv4-verify';
import { TemplateAuthorizer } from './iam/template-authorizer';
import { LambdaRunner } from './lambda/lambda-runner';
import { LazyInvoker } from './lazy-invoker';
import { ENDPOINTS_FILE, OPERATOR_CREDENTIALS_FILE, PORT_OFFSETS, stateDirFor, writeJsonPrivate, type LocalEndpoints } from './local-endpoints';
import { LocalMailbox } from './mailbox';
import { inventory } from './not-emulated';
import { operatorPrincipal, withOperator } from './operator';
import { LocalS3 } from './s3/s3-service';
import { synthForLocal, REPO_ROOT } from './synth-stage';
import { loadLocalTemplate } from './template/load-template';
import { localAmplifyOutputs, localStackOutputs } from './web/local-amplify-outputs';
import { createWebService, MAILBOX_PATH } from './web/web-service';

export interface LocalRunOptions {
  readonly stage: string;
  /** The web port; the services take the next five. @default 5173 */
  readonly port?: number;
  /** Wipe `.local/<stage>/` first. @default false */
  readonly reset?: boolean;
  /** Stage files elsewhere. @default config/ */
  readonly configDir?: string;
  /** Where `.local/` lives. @default the repository root */
  readonly rootDir?: string;
  readonly log?: (line: string) => void;
}

export interface LocalRun {
  readonly endpoints: LocalEndpoints;
  readonly stateDir: string;
  /** Types in the template the local run does not emulate, with counts. */
  readonly notEmulated: Readonly<Record<string, number>>;
  close(): Promise<void>;
}

export async function startLocalRun(options: LocalRunOptions): Promise<LocalRun> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const port = options.port ?? 5173;
  // A bad stage file fails here, as bin/ fails, before anything is written.
  loadStageConfig(options.stage, options.configDir);
  const stateDir = stateDirFor(options.rootDir ?? REPO_ROOT, options.stage);
  if (options.reset) fs.rmSync(stateDir, { recursive: true, force: true });
  fs.mkdirSync(stateDir, { recursive: true });
  // endpoints.json means "ready": a stale one from an earlier run must not be read as this run's.
  fs.rmSync(path.join(stateDir, ENDPOINTS_FILE), { force: true });

  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
    closers.length = 0;
  };
  try {
    log(`Synthesizing ${options.stage} with bundling into ${path.relative(process.cwd(), path.join(stateDir, 'cdk.out')) || '.'} …`);
    const synth = synthForLocal({ stage: options.stage, outdir: path.join(stateDir, 'cdk.out'), configDir: options.configDir });
    const template = loadLocalTemplate({ assemblyDir: synth.assemblyDir, stackId: synth.stackId });
    const url = (offset: number) => `http://127.0.0.1:${port + offset}`;
    const webOrigin = `http://localhost:${port}`;
    const webOrigins = [webOrigin, `http://127.0.0.1:${port}`];

    const mailbox = new LocalMailbox(log);
    const credentials = new LocalCredentialStore();
    const authorizer = withOperator(new TemplateAuthorizer(template));
    const lambda = new LazyInvoker(template);
    // The S3 service names the buckets (setPhysical), so it comes before anything resolves a bucket name; its events reach the bus created later.
    const later: { bus?: EventSink } = {};
    const s3 = new LocalS3({ template, credentials, authorizer, stateDir: path.join(stateDir, 's3'), events: { put: (event) => later.bus?.put(event) } });

    const userPool = createUserPoolService({
      template,
      mailbox,
      lambda,
      stateDir,
      port: port + PORT_OFFSETS.cognitoIdp,
      webOrigin,
      allowedOrigins: webOrigins,
      authorizeAdmin: async ({ req, body, action, resource, service = 'cognito-idp' }) => {
        let verified;
        try {
          verified = await verifySigV4({ method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body }, credentials, {
            service,
            region: template.region,
          });
        } catch (error) {
          if (error instanceof SigV4Error) throw new AwsJsonError(error.code, error.message);
          throw error;
        }
        const decision = await authorizer.authorize({ principal: verified.principal, action, resource });
        if (!decision.allowed)
          throw new AwsJsonError(
            'AccessDeniedException',
            `User: ${verified.principal.roleArn} is not authorized to perform: ${action} on resource: ${resource}`,
          );
      },
    });
    // DeleteIdentities (the smoke test's clean-up) is SigV4-signed like the admin operations.
    const identityPool = createIdentityPoolService({
      template,
      verifier: userPool.verifier,
      credentials,
      stateDir,
      allowedOrigins: webOrigins,
      authorizeSigned: userPool.authorizeSigned,
    });

    const endpointsOf = {
      cognitoIdp: url(PORT_OFFSETS.cognitoIdp),
      cognitoIdentity: url(PORT_OFFSETS.cognitoIdentity),
      s3: url(PORT_OFFSETS.s3),
      dynamodb: url(PORT_OFFSETS.dynamodb),
    };
    const runner = new LambdaRunner({
      template,
      credentials,
      endpoints: {
        s3: endpointsOf.s3,
        dynamodb: endpointsOf.dynamodb,
        cognitoIdentity: endpointsOf.cognitoIdentity,
        cognitoIdentityProvider: endpointsOf.cognitoIdp,
      },
      log: (functionId, line) => log(`[${functionId}] ${line}`),
    });
    closers.push(() => runner.close());
    lambda.attach(runner);

    const events = await LocalEvents.create({ template, invoker: lambda, stateDir: path.join(stateDir, 'events'), log });
    closers.push(() => events.close());
    later.bus = events;
    const dynamodb = await createDynamoDbService({ template, credentials, authorizer, stateDir: path.join(stateDir, 'dynamodb'), log });
    closers.push(() => dynamodb.close!());
    const api = createApiService({ template, userPool: userPool.verifier, lambda, origin: url(PORT_OFFSETS.api), log });

    const webDir = path.join(stateDir, 'web');
    await buildWeb(webDir);
    const apiUrl = api?.baseUrl ?? '';
    const outputs = localStackOutputs(template, apiUrl);
    const mailboxUrl = `${webOrigin}${MAILBOX_PATH}`;
    const amplifyOutputs = localAmplifyOutputs({
      stage: options.stage,
      stackName: synth.stackName,
      config: synth.config,
      outputs,
      endpoints: { web: webOrigin, api: apiUrl, mailbox: mailboxUrl, ...endpointsOf },
    });
    const web = createWebService({ root: webDir, amplifyOutputs, mailbox, connectOrigins: [...Object.values(endpointsOf), url(PORT_OFFSETS.api)] });

    const services: Array<[LocalService, number, string[]]> = [
      [web, port, ['127.0.0.1']],
      [userPool, port + PORT_OFFSETS.cognitoIdp, ['127.0.0.1']],
      [identityPool, port + PORT_OFFSETS.cognitoIdentity, ['127.0.0.1']],
      [s3, port + PORT_OFFSETS.s3, ['127.0.0.1']],
      [dynamodb, port + PORT_OFFSETS.dynamodb, ['127.0.0.1']],
      ...(api ? [[api, port + PORT_OFFSETS.api, ['127.0.0.1']] as [LocalService, number, string[]]] : []),
    ];
    for (const [service, servicePort, hosts] of services) {
      for (const host of hosts) {
        const server = await listen(service, servicePort, host, log);
        closers.push(() => closeServer(server));
      }
    }

    const itemsTable = dynamodb.tables.find((t) => t.name === outputs.TableName);
    const endpoints: LocalEndpoints = {
      region: template.region,
      web: webOrigin,
      api: apiUrl,
      mailbox: mailboxUrl,
      userPoolId: userPool.userPoolId,
      userPoolClientId: outputs.UserPoolClientId,
      identityPoolId: identityPool.identityPoolId,
      bucket: outputs.BucketName,
      itemsTable: { name: outputs.TableName, partitionKey: itemsTable?.partitionKey ?? '' },
      endpoints: endpointsOf,
    };
    writeJsonPrivate(path.join(stateDir, ENDPOINTS_FILE), endpoints);
    const operator = credentials.issue(operatorPrincipal(template), 12 * 3600);
    writeJsonPrivate(path.join(stateDir, OPERATOR_CREDENTIALS_FILE), operator);
    closers.push(async () => {
      for (const file of [OPERATOR_CREDENTIALS_FILE, ENDPOINTS_FILE]) fs.rmSync(path.join(stateDir, file), { force: true });
    });

    const { listed, unknown, sdkCalls } = inventory(template);
    const notes = [...userPool.notes, ...identityPool.notes, ...events.notEmulated];
    for (const note of notes) log(`note: ${note}`);
    log(
      `Not emulated (listed only): ${
        Object.entries(listed)
          .map(([type, count]) => `${type} ×${count}`)
          .join(', ') || 'none'
      }`,
    );
    if (unknown.length) log(`Not emulated (unknown to the local run): ${unknown.join(', ')}`);
    if (sdkCalls.length) log(`Custom resource calls not made locally: ${sdkCalls.join(', ')}`);
    return { endpoints, stateDir, notEmulated: { ...listed, ...Object.fromEntries(unknown.map((t) => [t, 1])) }, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function listen(service: LocalService, port: number, host: string, log: (line: string) => void): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    Promise.resolve(service.handle(req, res)).catch((error: unknown) => {
      log(`${service.name}: ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: 'local service fault' }));
    });
  });
  // Keep idle connections longer than SDK clients keep them pooled, as AWS endpoints do: Node's
  // default 5 s lets the server close a socket just as a client reuses it ("socket hang up").
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new LocalRunError(`port ${port} (${service.name}) is in use; choose another --port`) : error),
    );
    server.listen(port, host, () => resolve(server));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A problem the user can fix (port in use, stale state): one line, no stack trace. */
export class LocalRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalRunError';
  }
}
