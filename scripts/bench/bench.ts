/**
 * `npm run bench`: synth and test-command wall time, and per-handler bundle
 * size, module init and latency. Prints a table, writes the same figures to
 * bench/results/latest.json, and exits 1 when a budget in bench/budgets.json
 * is exceeded. Not part of CI: timings on shared machines are noisy.
 *
 * Options: --runs N (command runs, default 5 for synth, 3 for tests), --skip-tests,
 * --only checker (just the upload checker's throughput and memory).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measureColdSynth, measureTestCommand } from './measure-commands';
import { measureChecker } from './measure-checker';
import { measureHandlers, type HandlerFigures } from './measure-handlers';
import { round, type Summary } from './stats';

const REPO = path.resolve(__dirname, '..', '..');

interface Budgets {
  synthSeconds: number;
  testCommandSeconds: number;
  ownCodeKilobytes: number;
  bundleKilobytes: number;
  bundleGzipKilobytes: number;
  moduleInitMs: number;
  /** Per-handler init budgets that differ from moduleInitMs, with the reason. */
  moduleInitMsByHandler?: Record<string, { ms: number; reason: string }>;
  validRequestP99Ms: number;
  rejectedRequestP99Ms: number;
  /** Upload checker throughput on a 10 MB CSV (a floor, not a ceiling). */
  checkerMinMbPerSecond: number;
  /** Upload checker peak RSS on a 100 MB CSV: at most factor × idle RSS + headroom. */
  checkerPeakRssIdleFactor: number;
  checkerPeakRssHeadroomMb: number;
}

interface Check {
  readonly what: string;
  readonly value: number;
  readonly budget: number;
  readonly unit: string;
  /** The budget is a floor: fail when the value is below it. */
  readonly atLeast?: boolean;
}

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const fmt = (s: Summary, digits = 2) => `${round(s.median, digits)} ± ${round(s.spread, digits)}`;

async function main(): Promise<number> {
  const budgets = JSON.parse(fs.readFileSync(path.join(REPO, 'bench', 'budgets.json'), 'utf8')) as Budgets;
  const runs = argValue('--runs') ? Number(argValue('--runs')) : undefined;
  const skipTests = process.argv.includes('--skip-tests');
  const only = argValue('--only');
  if (only !== undefined && only !== 'checker') throw new Error(`--only takes "checker", not "${only}"`);

  process.stdout.write('measuring the upload checker…\n');
  const checker = await measureChecker(path.join(REPO, '.bench', 'checker'));
  const checkerChecks: Check[] = [
    { what: 'upload checker throughput', value: checker.mbPerSecond.median, budget: budgets.checkerMinMbPerSecond, unit: 'MB/s', atLeast: true },
    { what: 'upload checker peak RSS (100 MB CSV)', value: checker.peakRssMb, budget: budgets.checkerPeakRssIdleFactor * checker.idleRssMb + budgets.checkerPeakRssHeadroomMb, unit: 'MB' },
  ];
  const checkerLines = [
    `Upload checker, ${round(checker.throughputBytes / 2 ** 20, 1)} MB CSV: ${fmt(checker.mbPerSecond, 1)} MB/s, ${fmt(checker.rowsPerSecond, 0)} rows/s over ${checker.mbPerSecond.runs} runs (budget ≥ ${budgets.checkerMinMbPerSecond} MB/s)`,
    `Upload checker, ${round(checker.memoryBytes / 2 ** 20, 1)} MB CSV: peak RSS ${round(checker.peakRssMb, 1)} MB, idle ${round(checker.idleRssMb, 1)} MB (budget ${budgets.checkerPeakRssIdleFactor} × idle + ${budgets.checkerPeakRssHeadroomMb} MB = ${round(checkerChecks[1].budget, 1)} MB)`,
  ];
  if (only === 'checker') return report(checkerChecks, ['', machineLine(), ...checkerLines], { checker, budgets }, 'checker.json');

  process.stdout.write('measuring handlers…\n');
  const handlers = await measureHandlers(path.join(REPO, '.bench', 'handlers'), { initRuns: 15, rounds: 5, calls: 2000 });
  process.stdout.write('measuring cdk synth (cold, with bundling)…\n');
  const synth = measureColdSynth(REPO, runs ?? 5);
  let tests: Summary | undefined;
  if (!skipTests) {
    process.stdout.write('measuring the test command…\n');
    tests = measureTestCommand(REPO, runs ?? 3);
  }

  const checks: Check[] = [
    ...checkerChecks,
    { what: 'cdk synth (default stage)', value: synth.median, budget: budgets.synthSeconds, unit: 's' },
    ...(tests ? [{ what: 'npm test', value: tests.median, budget: budgets.testCommandSeconds, unit: 's' }] : []),
    ...handlers.flatMap((h: HandlerFigures) => [
      { what: `${h.id} own code`, value: h.ownCodeBytes / 1024, budget: budgets.ownCodeKilobytes, unit: 'KB' },
      { what: `${h.id} bundle`, value: h.bundleBytes / 1024, budget: budgets.bundleKilobytes, unit: 'KB' },
      { what: `${h.id} bundle gzip`, value: h.gzipBytes / 1024, budget: budgets.bundleGzipKilobytes, unit: 'KB' },
      { what: `${h.id} module init`, value: h.initMs.median, budget: budgets.moduleInitMsByHandler?.[h.id]?.ms ?? budgets.moduleInitMs, unit: 'ms' },
      { what: `${h.id} valid p99`, value: h.validP99Ms.median, budget: budgets.validRequestP99Ms, unit: 'ms' },
      { what: `${h.id} rejected p99`, value: h.rejectedP99Ms.median, budget: budgets.rejectedRequestP99Ms, unit: 'ms' },
    ]),
  ];
  const lines = [
    '',
    machineLine(),
    'Figures are median ± half the min–max spread.',
    '',
    `cdk synth, default stage, cold with bundling: ${fmt(synth)} s over ${synth.runs} runs (budget ${budgets.synthSeconds} s)`,
    tests ? `npm test (tsc --noEmit + jest):            ${fmt(tests, 1)} s over ${tests.runs} runs (budget ${budgets.testCommandSeconds} s)` : 'npm test: skipped (--skip-tests)',
    ...checkerLines,
    '',
    '| handler | own code KB | bundle KB (with SDK) | gzip KB | init ms | valid p50 ms | valid p99 ms | rejected p50 ms | rejected p99 ms |',
    '|---|---|---|---|---|---|---|---|---|',
    ...handlers.map(
      (h) =>
        `| ${h.id} | ${round(h.ownCodeBytes / 1024, 1)} | ${round(h.bundleBytes / 1024, 1)} | ${round(h.gzipBytes / 1024, 1)} | ${fmt(h.initMs, 1)} | ${fmt(h.validP50Ms, 3)} | ${fmt(h.validP99Ms, 3)} | ${fmt(h.rejectedP50Ms, 3)} | ${fmt(h.rejectedP99Ms, 3)} |`,
    ),
  ];
  return report(checks, lines, { synthSeconds: synth, testCommandSeconds: tests ?? null, handlers, checker, budgets }, 'latest.json');
}

/** Prints the lines and the budget verdict, writes bench/results/<file>; 0 when every budget is met. */
function report(checks: readonly Check[], lines: readonly string[], figures: Record<string, unknown>, file: string): number {
  const failed = checks.filter((c) => (c.atLeast ? c.value < c.budget : c.value > c.budget));
  const verdict = failed.length === 0
    ? `All ${checks.length} budgets met.`
    : `Over budget:\n${failed.map((c) => `  ${c.what}: ${round(c.value)} ${c.unit} ${c.atLeast ? '<' : '>'} ${round(c.budget)} ${c.unit}`).join('\n')}`;
  process.stdout.write(`${[...lines, '', verdict].join('\n')}\n`);
  const results = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    ...figures,
    overBudget: failed,
  };
  const outFile = path.join(REPO, 'bench', 'results', file);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`Wrote ${path.relative(REPO, outFile)}\n`);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

function machineLine(): string {
  return `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}
