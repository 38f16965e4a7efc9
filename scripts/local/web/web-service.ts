/**
 * The web app of the local run on http://localhost:<port>: the built site
 * (web/build.ts output), `/amplify_outputs.json` for the local endpoints, and
 * the mailbox at `/_local/mailbox?to=<address>`. Same headers as the hosted
 * site (web/static-server.ts), with a CSP that names the local endpoints.
 */
import * as fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import { contentSecurityPolicy } from '../../../web/csp';
import type { LocalService, Mailbox } from '../contracts';

export const MAILBOX_PATH = '/_local/mailbox';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
};
const APP_PATHS = new Set(['/', '/index.html', '/auth/callback']);

export interface WebServiceOptions {
  /** The built site. */
  readonly root: string;
  readonly amplifyOutputs: unknown;
  readonly mailbox: Mailbox;
  /** Origins the page may call (the local services). */
  readonly connectOrigins: readonly string[];
}

export function createWebService(options: WebServiceOptions): LocalService {
  const root = path.resolve(options.root);
  const csp = contentSecurityPolicy(options.connectOrigins);
  const outputs = `${JSON.stringify(options.amplifyOutputs, null, 2)}\n`;
  return {
    name: 'web',
    handle(req: IncomingMessage, res: ServerResponse) {
      const headers: Record<string, string> = {
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'X-Frame-Options': 'DENY',
        'Referrer-Policy': 'strict-origin-when-cross-origin',
        'Cache-Control': 'no-store',
      };
      const send = (status: number, type: string, body: string | Buffer) => {
        res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
        res.end(req.method === 'HEAD' ? undefined : body);
      };
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
        return;
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === MAILBOX_PATH) {
        const to = url.searchParams.get('to') ?? undefined;
        return send(200, TYPES['.json'], JSON.stringify(options.mailbox.list(to)));
      }
      if (url.pathname === '/amplify_outputs.json') return send(200, TYPES['.json'], outputs);
      let pathname: string;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        return send(400, TYPES['.txt'], 'Bad request\n');
      }
      const file = path.join(root, APP_PATHS.has(pathname) ? 'index.html' : pathname);
      if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return send(404, TYPES['.txt'], 'Not found\n');
      send(200, TYPES[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file));
    },
  };
}
