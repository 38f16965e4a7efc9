/**
 * `npm run bench`: synth and test-command wall time, and per-handler bundle
 * size, module init and latency. Prints a table, writes the same figures to
 * bench/results/latest.json, and exits 1 when a budget in bench/budgets.json
 * is exceeded. Not part of CI: timings on shared machines are noisy.
 *
 * Options: --runs N (command runs, default 5 for synth, 3 for tests), --skip-tests,
 * --only web (just the web app: bundle size and sign-in screen load in headless Chromium).
 * --only checker (just the upload checker's throughput and memory).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { measureColdSynth, measureTestCommand } from './measure-commands';
import { measureChecker } from './measure-checker';
import { measureHandlers, type HandlerFigures } from './measure-handlers';
import { measureWeb } from './measure-web';
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
  webJsKilobytes: number;
  webJsGzipKilobytes: number;
  webSignInVisibleMs: number;
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

const USAGE = 'bench [--runs N] [--skip-tests] [--only web|checker]';

interface BenchOptions {
  readonly runs?: number;
  readonly skipTests: boolean;
  readonly only?: 'web' | 'checker';
}

/** The flags, parsed with node:util; undefined after printing the usage for --help. */
function parseOptions(argv: readonly string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: { runs: { type: 'string' }, 'skip-tests': { type: 'boolean' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`Usage: ${USAGE}\n`);
    return undefined;
  }
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  if (runs !== undefined && !(Number.isInteger(runs) && runs >= 1)) throw new Error(`--runs takes a whole number of at least 1. Usage: ${USAGE}`);
  if (values.only !== undefined && values.only !== 'web' && values.only !== 'checker') throw new Error(`--only takes "web" or "checker". Usage: ${USAGE}`);
  return { runs, skipTests: values['skip-tests'] === true, only: values.only };
}

const fmt = (s: Summary, digits = 2) => `${round(s.median, digits)} ± ${round(s.spread, digits)}`;

/** `--only web`: the web app's bundle and first screen, printed and checked on their own. */
async function mainWeb(budgets: Budgets, runs: number): Promise<number> {
  process.stdout.write('measuring the web app (headless Chromium)…\n');
  const web = await measureWeb(path.join(REPO, '.bench', 'web'), { runs });
  const checks: Check[] = [
    { what: 'web app.js', value: web.jsBytes / 1024, budget: budgets.webJsKilobytes, unit: 'KB' },
    { what: 'web app.js gzip', value: web.jsGzipBytes / 1024, budget: budgets.webJsGzipKilobytes, unit: 'KB' },
    { what: 'web sign-in form visible', value: web.signInVisibleMs.median, budget: budgets.webSignInVisibleMs, unit: 'ms' },
  ];
  const failed = checks.filter((c) => c.value > c.budget);
  process.stdout.write(
    [
      '',
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
      `web app.js: ${round(web.jsBytes / 1024, 1)} KB, gzip ${round(web.jsGzipBytes / 1024, 1)} KB (budgets ${budgets.webJsKilobytes} / ${budgets.webJsGzipKilobytes} KB); app.css ${round(web.cssBytes / 1024, 1)} KB`,
      `sign-in form visible: ${fmt(web.signInVisibleMs, 0)} ms over ${web.signInVisibleMs.runs} cold loads (budget ${budgets.webSignInVisibleMs} ms)`,
      failed.length === 0 ? `All ${checks.length} web budgets met.` : `Over budget:\n${failed.map((c) => `  ${c.what}: ${round(c.value)} ${c.unit} > ${c.budget} ${c.unit}`).join('\n')}`,
      '',
    ].join('\n'),
  );
  return failed.length === 0 ? 0 : 1;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) return 0;
  const { runs, skipTests, only } = options;
  const budgets = JSON.parse(fs.readFileSync(path.join(REPO, 'bench', 'budgets.json'), 'utf8')) as Budgets;
  if (only === 'web') return mainWeb(budgets, runs ?? 9);

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
