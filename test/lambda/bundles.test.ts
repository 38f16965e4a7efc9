/**
 * Bundles every handler for real, with the construct's own esbuild settings,
 * and runs each bundle in a fresh `node` process: it must load on its own (the
 * AWS SDK is inside it) and answer a bad request with the documented 4xx JSON
 * error without opening any network connection.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { handlerEsbuildOptions } from '../../lib/handlers/handler-bundling';
import { API_ROUTES } from '../../lib/api/routes';
import { TEST_ENV } from '../../scripts/fixtures/env';
import { apiEvent } from '../../scripts/fixtures/events';
import { BAD_REQUESTS } from '../../scripts/fixtures/sample-requests';

const REPO = path.resolve(__dirname, '..', '..');
const ROOT = path.join(REPO, '.bundle-test');
const DIR = path.join(ROOT, randomUUID());
/** Our own code per bundle, the AWS SDK aside (the SDK's share is budgeted by the benchmark). */
const MAX_OWN_CODE_BYTES = 50 * 1024;

/** Loaded before the bundle: any attempt to open a socket or resolve a name is recorded and fails. */
const NO_NETWORK = `
const attempts = [];
globalThis.__networkAttempts = attempts;
const refuse = (what) => function () { attempts.push(what); throw new Error('network disabled in bundle test: ' + what); };
for (const mod of ['http', 'https']) { const m = require(mod); m.request = refuse(mod + '.request'); m.get = refuse(mod + '.get'); }
const net = require('net'); net.connect = net.createConnection = refuse('net.connect');
require('tls').connect = refuse('tls.connect');
const dns = require('dns'); dns.lookup = refuse('dns.lookup');
if (typeof globalThis.fetch === 'function') globalThis.fetch = refuse('fetch');
`;

/** Requires the bundle, invokes `handler` with the event from argv, prints the response and the attempts. */
const RUNNER = `
const started = Date.now();
const { handler } = require(process.argv[2]);
if (typeof handler !== 'function') throw new Error('bundle has no handler export');
const event = JSON.parse(process.argv[3]);
handler(event, { awsRequestId: 'bundle-test' }).then((response) => {
  process.stdout.write('\\n@@RESULT@@' + JSON.stringify({ response, networkAttempts: globalThis.__networkAttempts, ms: Date.now() - started }));
});
`;

const CHILD_ENV = {
  PATH: process.env.PATH ?? '',
  ...TEST_ENV,
  // Belt and braces: should anything get past the socket guard, it goes nowhere.
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_MAX_ATTEMPTS: '1',
};

const execFileAsync = promisify(execFile);

/** Runs a bundle in a fresh node with the network guard; returns what its handler answered. */
async function runBundle(bundle: string, event: unknown) {
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--require', path.join(DIR, 'no-network.js'), path.join(DIR, 'runner.js'), bundle, JSON.stringify(event)],
    { cwd: DIR, env: CHILD_ENV, timeout: 20_000 },
  );
  return JSON.parse(stdout.slice(stdout.indexOf('@@RESULT@@') + '@@RESULT@@'.length)) as {
    response: { statusCode: number; headers: Record<string, string>; body: string };
    networkAttempts: string[];
    ms: number;
  };
}

beforeAll(() => {
  fs.mkdirSync(DIR, { recursive: true });
  fs.writeFileSync(path.join(DIR, 'no-network.js'), NO_NETWORK);
  fs.writeFileSync(path.join(DIR, 'runner.js'), RUNNER);
});

afterAll(() => {
  fs.rmSync(DIR, { recursive: true, force: true });
  if (fs.existsSync(ROOT) && fs.readdirSync(ROOT).length === 0) fs.rmdirSync(ROOT);
});

describe('handler bundles', () => {
  test('GIVEN the route list WHEN read THEN every documented route has a handler file', () => {
    expect(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'DELETE /files/{name}',
      'DELETE /me',
      'GET /admin/uploads',
      'GET /files',
      'GET /files/{name}',
      'GET /files/{name}/status',
      'GET /me',
      'POST /files/upload-url',
    ]);
    for (const route of API_ROUTES) expect(fs.existsSync(route.entry)).toBe(true);
    expect(Object.keys(BAD_REQUESTS).sort()).toEqual(API_ROUTES.map((r) => r.id).sort());
  });

  test.each(API_ROUTES.map((route) => [route.id, route] as const))(
    'GIVEN the %s handler bundled with the construct settings WHEN a fresh node runs it with a bad request THEN the documented 4xx and no network',
    async (id, route) => {
      const outfile = path.join(DIR, id, 'index.js');
      const result = await build({ ...handlerEsbuildOptions(route.entry, outfile), metafile: true, absWorkingDir: REPO });

      // Our handler code and the contracts it shares plus the AWS SDK (the DynamoDB client brings its
      // endpoint cache, mnemonist/obliterator), never CDK or anything else from the repo.
      const inputs = result.metafile.outputs[path.relative(REPO, outfile)].inputs;
      const ownCode = (input: string) => input.startsWith('lambda/') || input.startsWith('contracts/');
      const foreign = Object.keys(inputs).filter(
        (input) =>
          !ownCode(input) && !/node_modules\/(@aws-sdk|@smithy|@aws-crypto|@aws|tslib|fast-xml-parser|strnum|bowser|uuid|mnemonist|obliterator)\//.test(input),
      );
      expect(foreign).toEqual([]);
      const ownBytes = Object.entries(inputs)
        .filter(([input]) => ownCode(input))
        .reduce((sum, [, v]) => sum + v.bytesInOutput, 0);
      expect(ownBytes).toBeLessThan(MAX_OWN_CODE_BYTES);

      const { event, status, code } = BAD_REQUESTS[id];
      const { response, networkAttempts } = await runBundle(outfile, event);
      expect(networkAttempts).toEqual([]);
      expect(response.statusCode).toBe(status);
      expect(response.headers['Content-Type']).toBe('application/json');
      expect(JSON.parse(response.body)).toEqual({ error: { code, message: expect.any(String) } });
    },
    30_000,
  );

  test('GIVEN a valid request to a bundle that must call AWS WHEN run under the guard THEN the attempt is caught and answered as a generic 500', async () => {
    const route = API_ROUTES.find((r) => r.id === 'DeleteFile')!;
    const outfile = path.join(DIR, 'control', 'index.js');
    await build({ ...handlerEsbuildOptions(route.entry, outfile), absWorkingDir: REPO });
    const { response, networkAttempts } = await runBundle(outfile, apiEvent({ method: 'DELETE', pathParameters: { name: 'a.csv' } }));
    // Proves the guard above is not vacuous: GetId really tried to reach the network.
    expect(networkAttempts.length).toBeGreaterThan(0);
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ error: { code: 'internal_error', message: 'Internal error' } });
  }, 30_000);
});
