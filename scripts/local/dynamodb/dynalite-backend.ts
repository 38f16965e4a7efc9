/**
 * dynalite, in process, on an ephemeral loopback port that only the
 * authorizing proxy talks to. With `stateDir` its LevelDB store persists
 * across runs (docs/local.md, State).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UntypedJson } from '../../common/untyped-json';
// dynalite ships no types (an import would need a hand-written declaration); require() keeps the untyped value to this line.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see the line above
const dynalite: (options: Record<string, unknown>) => Server = require('dynalite');

export interface DynaliteBackend {
  readonly url: string;
  /** Calls dynalite directly (no authorization): for the proxy's own table setup and transactions. */
  send<T = UntypedJson>(operation: string, body: unknown): Promise<T>;
  close(): Promise<void>;
}

/** A DynamoDB error as dynalite (and DynamoDB) report it: `__type` and `message`. */
export class DynamoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = type;
  }
}

/** A syntactically valid SigV4 header: dynalite insists on one and checks nothing else. */
const BACKEND_AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=LOCAL/20000101/local/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0';

export async function startDynalite(stateDir?: string): Promise<DynaliteBackend> {
  const server = dynalite({ path: stateDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async send(operation, body) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': `DynamoDB_20120810.${operation}`,
          'X-Amz-Date': '20000101T000000Z',
          Authorization: BACKEND_AUTHORIZATION,
        },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      const parsed = text ? JSON.parse(text) : {};
      if (!response.ok) {
        const type = String(parsed.__type ?? 'InternalServerError')
          .split('#')
          .pop()!;
        throw new DynamoError(type, String(parsed.message ?? parsed.Message ?? text), response.status);
      }
      return parsed;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
