/**
 * A small static server for `web/dist/`, used by `npm run web:dev` and the
 * browser test: the hosting's headers (CSP, nosniff, no framing), index.html
 * for `/` and the hosted sign-in's `/auth/callback`, and nothing outside the root.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Paths that are the app itself (client-side screens), answered with index.html. */
const APP_PATHS = new Set(['/', '/index.html', '/auth/callback']);

export interface StaticServerOptions {
  readonly root: string;
  /** The Content-Security-Policy header value. */
  readonly csp: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
}

export interface StaticServer {
  /** e.g. `http://127.0.0.1:5173` */
  readonly origin: string;
  close(): Promise<void>;
}

export function startStaticServer({ root, csp, port = 0, host = '127.0.0.1' }: StaticServerOptions): Promise<StaticServer> {
  const rootDir = path.resolve(root);
  const server = http.createServer((request, response) => {
    const headers = {
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'Cache-Control': 'no-store',
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = path.join(rootDir, APP_PATHS.has(pathname) ? 'index.html' : pathname);
    if (!file.startsWith(rootDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    if (request.method === 'HEAD') response.end();
    else fs.createReadStream(file).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({
        origin: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
