/**
 * The DynamoDB endpoint of the local run (port+4): verifies each request's
 * SigV4 signature against the local credential store, authorizes every check
 * of ./authorization-checks.ts against the template's policies (B's
 * TemplateAuthorizer), then forwards to dynalite. Writes are serialized so the
 * emulated TransactWriteItems never interleaves with another write.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CredentialStore, LocalService, LocalTemplate } from '../contracts';
import { SigV4Error, verifySigV4 } from '../iam/sigv4-verify';
import type { TemplateAuthorizer } from '../iam/template-authorizer';
import { AuthorizationPlanner, UnknownTableError, UnsupportedOperationError } from './authorization-checks';
import { createTemplateTables, templateTables } from './create-tables';
import { DynamoError, startDynalite } from './dynalite-backend';
import { DynamoErrorWithBody, transactWriteItems } from './transactions';
import type { UntypedJson } from '../../common/untyped-json';

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
/** Parameters dynalite rejects or ignores wrongly; they change nothing on success. */
const STRIPPED = ['ReturnValuesOnConditionCheckFailure'];

export interface DynamoDbServiceOptions {
  readonly template: LocalTemplate;
  readonly credentials: CredentialStore;
  readonly authorizer: Pick<TemplateAuthorizer, 'authorize'>;
  /** dynalite's LevelDB directory; in memory when absent. */
  readonly stateDir?: string;
  /** Logs one line per refused request. @default nothing */
  readonly log?: (line: string) => void;
}

export interface DynamoDbService extends LocalService {
  readonly tables: ReturnType<typeof templateTables>;
}

export async function createDynamoDbService(options: DynamoDbServiceOptions): Promise<DynamoDbService> {
  const { template } = options;
  const tables = templateTables(template);
  const backend = await startDynalite(options.stateDir);
  try {
    await createTemplateTables(backend, tables);
  } catch (error) {
    await backend.close();
    throw error;
  }
  const planner = new AuthorizationPlanner(tables, template.region, template.accountId);
  let writeLock: Promise<unknown> = Promise.resolve();
  const serialized = <T>(run: () => Promise<T>): Promise<T> => {
    const next = writeLock.then(run, run);
    writeLock = next.catch(() => undefined);
    return next;
  };

  return {
    name: 'dynamodb',
    tables,
    async handle(req: IncomingMessage, res: ServerResponse) {
      try {
        const body = await readBody(req);
        const target = String(req.headers['x-amz-target'] ?? '');
        const operation = target.startsWith('DynamoDB_20120810.') ? target.slice('DynamoDB_20120810.'.length) : '';
        if (req.method !== 'POST' || !operation)
          throw new DynamoError('UnknownOperationException', 'expected a POST with X-Amz-Target: DynamoDB_20120810.<Operation>', 400);
        const verified = await verifySigV4({ method: req.method, url: req.url ?? '/', headers: req.headers, body }, options.credentials, {
          service: 'dynamodb',
          region: template.region,
        });
        let request: Record<string, UntypedJson>;
        try {
          request = JSON.parse(body.toString('utf8') || '{}');
        } catch {
          throw new DynamoError('SerializationException', 'the request body is not JSON', 400);
        }
        for (const check of planner.checksFor(operation, request)) {
          const decision = await options.authorizer.authorize({ principal: verified.principal, ...check });
          if (!decision.allowed) {
            options.log?.(
              `dynamodb: denied ${check.action} on ${check.resource} for ${verified.principal.roleLogicalId}${verified.principal.identityId ? ` (${verified.principal.identityId})` : ''}`,
            );
            throw new DynamoError(
              'AccessDeniedException',
              `User: ${verified.principal.roleArn} is not authorized to perform: ${check.action} on resource: ${check.resource} because no identity-based policy allows the ${check.action} action`,
              400,
            );
          }
        }
        const forward = Object.fromEntries(Object.entries(request).filter(([key]) => !STRIPPED.includes(key)));
        const run = () => (operation === 'TransactWriteItems' ? transactWriteItems(backend, planner, request) : backend.send(operation, forward));
        const answer = WRITES.has(operation) ? await serialized(run) : await run();
        send(res, 200, answer);
      } catch (error) {
        sendError(res, error);
      }
    },
    close: () => backend.close(),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, error: unknown): void {
  if (error instanceof DynamoErrorWithBody) {
    send(res, error.status, { __type: `com.amazonaws.dynamodb.v20120810#${error.type}`, message: error.message, ...error.extra });
  } else if (error instanceof DynamoError) {
    const prefix =
      error.type === 'AccessDeniedException' || error.type === 'UnknownOperationException' ? 'com.amazon.coral.service' : 'com.amazonaws.dynamodb.v20120810';
    send(res, error.status, { __type: `${prefix}#${error.type}`, message: error.message });
  } else if (error instanceof SigV4Error) {
    // DynamoDB reports signature problems as 400s with the coral error type.
    send(res, 400, { __type: `com.amazon.coral.service#${error.code}`, message: error.message });
  } else if (error instanceof UnsupportedOperationError) {
    send(res, 400, { __type: 'com.amazon.coral.service#UnknownOperationException', message: error.message });
  } else if (error instanceof UnknownTableError) {
    send(res, 400, { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: error.message });
  } else {
    send(res, 500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: `local DynamoDB: ${(error as Error).message}` });
  }
}
