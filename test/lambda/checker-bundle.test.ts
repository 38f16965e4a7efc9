/**
 * The bundled upload checker over a 50 MB CSV, in a fresh node: S3's body is
 * generated 64 KB at a time, so a checker that held the file would show it in
 * the memory still reachable while it runs (heap plus Buffers, sampled after
 * forced collections). The child's heap is also capped below the file's size.
 * Peak RSS is left to the benchmark: on a loaded machine it counts garbage.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleChecker, runChecker } from '../../scripts/bench/measure-checker';

const ROOT = path.resolve(__dirname, '..', '..', '.bundle-test');
const DIR = path.join(ROOT, `checker-${randomUUID()}`);
const MB = 1024 * 1024;

afterAll(() => {
  fs.rmSync(DIR, { recursive: true, force: true });
  if (fs.existsSync(ROOT) && fs.readdirSync(ROOT).length === 0) fs.rmdirSync(ROOT);
});

test('GIVEN a 50 MB CSV streamed from S3 WHEN the bundled checker handles its event THEN accepted with every row counted, and peak RSS grows far less than the file', async () => {
  const run = await runChecker(await bundleChecker(DIR), 50 * MB, { heapLimitMb: 32, sampleLive: true });
  expect(run.bytes).toBeGreaterThan(49 * MB);
  expect(run).toMatchObject({ status: 'accepted', rows: run.expectedRows, columns: 5, batchItemFailures: 0 });
  // A checker that kept the file (as chunks, a string or one Buffer) would hold 50 MB here.
  expect(run.peakLiveBytes).toBeGreaterThan(0);
  expect(run.peakLiveBytes).toBeLessThan(24 * MB);
  expect(run.peakHeapBytes).toBeLessThan(40 * MB);
}, 120_000);
