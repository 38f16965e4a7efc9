/**
 * The upload checker's figures: throughput (MB/s, rows/s) on a 10 MB CSV and
 * peak RSS while checking a 100 MB one, against the process's idle RSS.
 *
 * The handler is bundled with the construct's esbuild settings, with the AWS
 * SDK left external so aws-sdk-client-mock (in the child) can stand in for S3
 * and DynamoDB. Each run is a fresh `node` child: S3's GetObject body is
 * generated lazily, 64 KB at a time, so the file never exists in memory.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { handlerEsbuildOptions } from '../../lib/handlers/handler-bundling';
import { TEST_ENV } from '../fixtures/env';
import { ratioFromSamples, summarize, type Ratio, type Summary } from './stats';

const REPO = path.resolve(__dirname, '..', '..');
const ENTRY = path.join(REPO, 'lambda', 'check-upload.ts');
const MB = 1024 * 1024;

/** One child run: what the handler decided and what it cost. */
export interface CheckerRun {
  readonly status: string;
  readonly reason?: string;
  readonly rows?: number;
  readonly columns?: number;
  readonly expectedRows: number;
  readonly bytes: number;
  readonly ms: number;
  /** RSS after loading the bundle and before the check. */
  readonly idleRssBytes: number;
  /** The process's peak RSS (getrusage maxrss), covering the check. */
  readonly peakRssBytes: number;
  /** Largest heap plus Buffer memory still reachable after a forced GC (only with `sampleLive`). */
  readonly peakLiveBytes: number;
  readonly peakHeapBytes: number;
  readonly batchItemFailures: number;
}

export interface CheckerFigures {
  readonly mbPerSecond: Summary;
  /** Checker time ÷ a plain streaming read of the same body (line count only), per interleaved pair. */
  readonly plainReadRatio: Ratio;
  readonly rowsPerSecond: Summary;
  readonly throughputBytes: number;
  readonly memoryBytes: number;
  readonly idleRssMb: number;
  readonly peakRssMb: number;
  /** The budget's own bound for this run: 2 × idle RSS + 64 MB. */
  readonly peakRssLimitMb: number;
}

/**
 * The child: mocks S3 (a lazily generated CSV body) and DynamoDB (empty table,
 * writes succeed), runs the bundled handler on one Object Created event, and
 * prints one JSON line.
 */
const CHILD = `
const { Readable } = require('node:stream');
const { mockClient } = require('aws-sdk-client-mock');
const { S3Client, GetObjectCommand, DeleteObjectCommand } = require('@aws-sdk/client-s3');
const { DynamoDBClient, GetItemCommand, PutItemCommand, TransactWriteItemsCommand } = require('@aws-sdk/client-dynamodb');
const [bundle, sizeArg] = process.argv.slice(2);
const size = Number(sizeArg);
const header = Buffer.from('id,name,email,score,note\\n');
const row = (i) => i + ',"Name ' + i + '",user' + i + '@example.com,' + (i % 100) + '.5,"a note, with a comma"\\n';
let block = '';
let blockRows = 0;
while (block.length < 64 * 1024) block += row(blockRows++);
const chunk = Buffer.from(block);
const blocks = Math.max(1, Math.floor((size - header.length) / chunk.length));
const bytes = header.length + blocks * chunk.length;
// Live memory: what is still reachable after a full collection (heap plus Buffers), sampled by the
// body itself every 1 MB it hands out, so it is measured while the checker reads. Garbage does not
// count, so a loaded machine's lazy GC cannot make a streaming checker fail.
let peakLiveBytes = 0;
function sampleLive() {
  global.gc();
  const usage = process.memoryUsage();
  peakLiveBytes = Math.max(peakLiveBytes, usage.heapUsed + usage.arrayBuffers);
}
function* body() {
  yield header;
  for (let i = 0; i < blocks; i++) {
    if (process.env.SAMPLE_LIVE === '1' && i % 16 === 15) sampleLive();
    yield chunk;
  }
}
let recorded;
mockClient(S3Client)
  .on(GetObjectCommand).callsFake(() => ({ ContentType: 'text/csv', Body: Readable.from(body(), { objectMode: false }) }))
  .on(DeleteObjectCommand).resolves({});
mockClient(DynamoDBClient)
  .on(GetItemCommand).resolves({})
  .on(PutItemCommand).callsFake((input) => { recorded = input.Item; return {}; })
  // The name's result is the Put whose sort key starts with "file#" (the others are the version record and the usage).
  .on(TransactWriteItemsCommand).callsFake((input) => {
    const result = input.TransactItems.find((item) => item.Put && item.Put.Item.sk.S.startsWith('file#'));
    if (result) recorded = result.Put.Item;
    return {};
  });
for (const level of ['info', 'warn']) console[level] = () => {};
if (process.env.REFERENCE === '1') {
  // The reference: the same body streamed and its lines counted, nothing else.
  const started = process.hrtime.bigint();
  let rows = 0;
  const stream = Readable.from(body(), { objectMode: false });
  stream.on('data', (data) => { for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) rows++; });
  stream.on('end', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    process.stdout.write(JSON.stringify({ status: 'reference', rows: rows - 1, expectedRows: blocks * blockRows, bytes, ms }) + '\\n');
  });
  return;
}
const { handler } = require(bundle);
const event = { Records: [{ messageId: 'm1', body: JSON.stringify({ source: 'aws.s3', 'detail-type': 'Object Created',
  detail: { bucket: { name: process.env.BUCKET_NAME }, object: { key: 'eu-west-1:9f8e7d6c-5b4a-4321-8fed-cba987654321/big.csv', size: bytes, 'version-id': 'v1', sequencer: '01' } } }) }] };
if (global.gc) global.gc();
const idleRssBytes = process.memoryUsage().rss;
let peakHeapBytes = process.memoryUsage().heapUsed;
const sampler = setInterval(() => { peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed); }, 2);
const started = process.hrtime.bigint();
handler(event, { awsRequestId: 'bench' }).then((response) => {
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  clearInterval(sampler);
  const n = (v) => (v && v.N !== undefined ? Number(v.N) : undefined);
  process.stdout.write(JSON.stringify({
    status: recorded && recorded.status.S, reason: recorded && recorded.reason && recorded.reason.S,
    rows: n(recorded && recorded.rows), columns: n(recorded && recorded.columns), expectedRows: blocks * blockRows,
    bytes, ms, idleRssBytes, peakRssBytes: process.resourceUsage().maxRSS * 1024, peakHeapBytes, peakLiveBytes,
    batchItemFailures: response.batchItemFailures.length,
  }) + '\\n');
});
`;

/** Bundles the checker (SDK external) into `outDir`; returns the bundle and child script paths. */
export async function bundleChecker(outDir: string): Promise<{ bundle: string; child: string }> {
  fs.mkdirSync(outDir, { recursive: true });
  const bundle = path.join(outDir, 'check-upload.js');
  await build({ ...handlerEsbuildOptions(ENTRY, bundle), external: ['@aws-sdk/*', '@smithy/*'], absWorkingDir: REPO });
  const child = path.join(outDir, 'checker-child.js');
  fs.writeFileSync(child, CHILD);
  return { bundle, child };
}

/** Runs the bundled checker once, in a fresh node, over a generated CSV of about `bytes`. */
export async function runChecker(
  paths: { bundle: string; child: string },
  bytes: number,
  options: { heapLimitMb?: number; sampleLive?: boolean; reference?: boolean } = {},
): Promise<CheckerRun> {
  const env = {
    PATH: process.env.PATH ?? '',
    ...TEST_ENV,
    MAX_UPLOAD_BYTES: String(1024 * MB),
    QUOTA_BYTES_PER_USER: String(1024 * MB),
    // Nothing may leave the machine, should a call get past the mocks.
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_MAX_ATTEMPTS: '1',
    NODE_NO_WARNINGS: '1',
    SAMPLE_LIVE: options.sampleLive ? '1' : '0',
    REFERENCE: options.reference ? '1' : '0',
  };
  // A heap limit below the file's size makes a checker that buffers the object crash instead of pass.
  const heapFlags = options.heapLimitMb === undefined ? [] : [`--max-old-space-size=${options.heapLimitMb}`, '--max-semi-space-size=2'];
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', ...heapFlags, paths.child, paths.bundle, String(bytes)], {
    cwd: path.dirname(paths.child),
    env,
    timeout: 120_000,
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as CheckerRun;
}

/** Throughput over `runs` runs of a 10 MB CSV, then one 100 MB run for peak RSS. */
export async function measureChecker(outDir: string, options: { runs: number } = { runs: 5 }): Promise<CheckerFigures> {
  const paths = await bundleChecker(outDir);
  const throughput: CheckerRun[] = [];
  const plainRead: CheckerRun[] = [];
  for (let i = 0; i < options.runs; i++) {
    plainRead.push(await runChecker(paths, 10 * MB, { reference: true }));
    throughput.push(accepted(await runChecker(paths, 10 * MB)));
  }
  const memory = accepted(await runChecker(paths, 100 * MB));
  const idleRssMb = memory.idleRssBytes / MB;
  return {
    mbPerSecond: summarize(throughput.map((run) => run.bytes / MB / (run.ms / 1000))),
    plainReadRatio: ratioFromSamples(
      throughput.map((run) => run.ms),
      plainRead.map((run) => run.ms),
    ),
    rowsPerSecond: summarize(throughput.map((run) => (run.rows ?? 0) / (run.ms / 1000))),
    throughputBytes: throughput[0].bytes,
    memoryBytes: memory.bytes,
    idleRssMb,
    peakRssMb: memory.peakRssBytes / MB,
    peakRssLimitMb: 2 * idleRssMb + 64,
  };
}

function accepted(run: CheckerRun): CheckerRun {
  if (run.status !== 'accepted' || run.rows !== run.expectedRows || run.batchItemFailures !== 0) {
    throw new Error(`the checker did not accept the generated CSV: ${JSON.stringify(run)}`);
  }
  return run;
}
