/**
 * Per-handler figures: bundle size (raw and gzipped), module init in a fresh
 * Node process against a fresh Node loading nothing, and in-process latency
 * with the SDK mocked against a reference handler that only shapes a JSON
 * response, both measured in the same run.
 */
import '../fixtures/env'; // handlers read their environment when they load
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CognitoIdentityClient, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { BatchGetItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { buildSync } from 'esbuild';
import { handlerEsbuildOptions } from '../../lib/handlers/handler-bundling';
import { API_ROUTES } from '../../lib/api/routes';
import { TEST_ENV } from '../fixtures/env';
import { IDENTITY_ID } from '../fixtures/events';
import { BAD_REQUESTS, VALID_REQUESTS, type SampleRequest } from '../fixtures/sample-requests';
import { percentile, ratioFromSamples, summarize, type Ratio, type Summary } from './stats';

export interface HandlerFigures {
  readonly id: string;
  /** The shipped bundle: our code plus the tree-shaken AWS SDK. */
  readonly bundleBytes: number;
  readonly gzipBytes: number;
  /** Our own code inside it, the SDK aside. */
  readonly ownCodeBytes: number;
  /** Fresh process loading the bundle, minus a fresh process loading nothing (ms). */
  readonly initMs: Summary;
  /** Fresh process loading the bundle ÷ fresh process loading nothing. */
  readonly initRatio: Ratio;
  /** p99 of valid requests ÷ p99 of the reference handler, per round. */
  readonly validP99Ratio: Ratio;
  /** p99 of rejected requests ÷ p99 of the reference handler, per round. */
  readonly rejectedP99Ratio: Ratio;
  readonly validP50Ms: Summary;
  readonly validP99Ms: Summary;
  readonly rejectedP50Ms: Summary;
  readonly rejectedP99Ms: Summary;
}

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const LOADER = `const file = process.argv[2]; if (file) require(file);`;

interface Bundle {
  /** As shipped. */
  readonly file: string;
  readonly ownCodeBytes: number;
  /**
   * The same handler with the SDK left external, so aws-sdk-client-mock (which
   * patches node_modules' clients) intercepts its calls in the latency runs.
   */
  readonly mockableFile: string;
}

export function bundleHandlers(outDir: string): Record<string, Bundle> {
  fs.rmSync(outDir, { recursive: true, force: true });
  const bundles: Record<string, Bundle> = {};
  for (const route of API_ROUTES) {
    const file = path.join(outDir, route.id, 'index.js');
    const mockableFile = path.join(outDir, route.id, 'mockable.js');
    const { metafile } = buildSync({ ...handlerEsbuildOptions(route.entry, file), metafile: true });
    buildSync({ ...handlerEsbuildOptions(route.entry, mockableFile), external: ['@aws-sdk/*', '@smithy/*'] });
    const inputs = Object.values(metafile.outputs)[0].inputs;
    const ownCodeBytes = Object.entries(inputs)
      .filter(([input]) => input.startsWith('lambda/') || input.startsWith('contracts/'))
      .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
    bundles[route.id] = { file, ownCodeBytes, mockableFile };
  }
  fs.writeFileSync(path.join(outDir, 'loader.js'), LOADER);
  return bundles;
}

/** Wall time (ms) of `node loader.js [bundle]` with the handler environment set. */
function processMs(outDir: string, bundle?: string): number {
  const env = { PATH: process.env.PATH ?? '', ...TEST_ENV, NODE_NO_WARNINGS: '1' };
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [path.join(outDir, 'loader.js'), ...(bundle ? [bundle] : [])], { cwd: outDir, env });
  if (result.status !== 0) throw new Error(`loading ${bundle} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export function measureInit(outDir: string, bundle: string, runs: number): { initMs: Summary; initRatio: Ratio } {
  const loaded: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Interleaved so drift in machine load hits both sides alike.
    bare.push(processMs(outDir));
    loaded.push(processMs(outDir, bundle));
  }
  return { initMs: summarize(loaded.map((ms, i) => Math.max(0, ms - bare[i]))), initRatio: ratioFromSamples(loaded, bare) };
}

/** The latency reference: what any handler does at least (read the event, answer JSON). */
const referenceHandler: Handler = async (event) => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ path: event.path, ok: true }),
});

/** Mocks every SDK call the handlers make with an immediate success. */
function mockSdk(): () => void {
  const cognito = mockClient(CognitoIdentityClient);
  const s3 = mockClient(S3Client);
  cognito.on(GetIdCommand).resolves({ IdentityId: IDENTITY_ID });
  s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: `${IDENTITY_ID}/report.csv`, Size: 1024, LastModified: new Date(0) }], KeyCount: 1 });
  s3.on(HeadObjectCommand).resolves({ ContentLength: 1024 });
  s3.on(DeleteObjectCommand).resolves({});
  const dynamodb = mockClient(DynamoDBClient);
  dynamodb.on(BatchGetItemCommand).resolves({ Responses: {} });
  // The identity map (miss, then the conditional put) and the results (no result yet: pending).
  dynamodb.on(GetItemCommand).resolves({});
  dynamodb.on(PutItemCommand).resolves({});
  dynamodb.on(QueryCommand).resolves({ Items: [] });
  // DELETE /me: nothing listed, so only the identity, its map row and the user (AdminDeleteUser) are deleted.
  const cognitoIdp = mockClient(CognitoIdentityProviderClient);
  cognitoIdp.onAnyCommand().resolves({});
  return () => {
    cognitoIdp.restore();
    cognito.restore();
    s3.restore();
    dynamodb.restore();
  };
}

async function latencies(handler: Handler, sample: SampleRequest, calls: number): Promise<{ p50: number; p99: number }> {
  const context = { awsRequestId: 'bench' } as Context;
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = process.hrtime.bigint();
    const response = await handler(sample.event, context);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (response.statusCode !== sample.status) throw new Error(`expected ${sample.status}, got ${response.statusCode}: ${response.body}`);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

export async function measureHandlers(outDir: string, options: { initRuns: number; rounds: number; calls: number }): Promise<HandlerFigures[]> {
  const bundles = bundleHandlers(outDir);
  const restore = mockSdk();
  // The handlers' one-line-per-request logs would dominate the timing; the bench measures the handler, not the console.
  const consoleMethods = { info: console.info, warn: console.warn, error: console.error };
  console.info = console.warn = console.error = () => undefined;
  try {
    const figures: HandlerFigures[] = [];
    for (const route of API_ROUTES) {
      const bundle = bundles[route.id];
      const bytes = fs.readFileSync(bundle.file);
      const { initMs, initRatio } = measureInit(outDir, bundle.file, options.initRuns);
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle built at run time, loaded by its path
      const handler = require(bundle.mockableFile).handler as Handler;
      await latencies(handler, VALID_REQUESTS[route.id], 200); // warm-up: JIT and the identity cache
      const valid = { p50: [] as number[], p99: [] as number[] };
      const rejected = { p50: [] as number[], p99: [] as number[] };
      const reference: number[] = [];
      await latencies(referenceHandler, { ...VALID_REQUESTS[route.id], status: 200 }, 200);
      for (let round = 0; round < options.rounds; round++) {
        reference.push((await latencies(referenceHandler, { ...VALID_REQUESTS[route.id], status: 200 }, options.calls)).p99);
        const v = await latencies(handler, VALID_REQUESTS[route.id], options.calls);
        const r = await latencies(handler, BAD_REQUESTS[route.id], options.calls);
        valid.p50.push(v.p50);
        valid.p99.push(v.p99);
        rejected.p50.push(r.p50);
        rejected.p99.push(r.p99);
      }
      figures.push({
        id: route.id,
        bundleBytes: bytes.length,
        gzipBytes: gzipSync(bytes, { level: 9 }).length,
        ownCodeBytes: bundle.ownCodeBytes,
        initMs,
        initRatio,
        validP99Ratio: ratioFromSamples(valid.p99, reference),
        rejectedP99Ratio: ratioFromSamples(rejected.p99, reference),
        validP50Ms: summarize(valid.p50),
        validP99Ms: summarize(valid.p99),
        rejectedP50Ms: summarize(rejected.p50),
        rejectedP99Ms: summarize(rejected.p99),
      });
    }
    return figures;
  } finally {
    Object.assign(console, consoleMethods);
    restore();
  }
}
