/**
 * `npm run bench`: every timed figure is judged as a ratio against a reference
 * measured in the same run, so a slow or busy machine does not fail it and a
 * regression does:
 * - cdk synth of the default stage ÷ synth of a bare aws-cdk-lib user-pool app,
 *   and ÷ the rival Solutions Constructs app (as `cdk init` runs it, and through tsx);
 * - the test command ÷ `tsc --noEmit` of the same tree;
 * - handler module init ÷ a fresh `node`; handler p99 ÷ a reference handler's p99;
 * - the upload checker ÷ a plain streaming read of the same file;
 * - the web app's sign-in form visible ÷ the same form as plain HTML;
 * - `npm run local`'s start-up (synth included) ÷ a cold `cdk synth`.
 * Sizes (bytes, deterministic) keep absolute budgets; the checker's memory is
 * judged against its own idle RSS. Budgets live in bench/budgets.json.
 * Prints a table, writes bench/results/<name>.json, exits 1 when a budget is exceeded.
 *
 * Options: --runs N (command runs, default 3), --skip-tests, --only web|checker|synth|local|tests.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { measureSynthRatios, measureTestCommandRatio } from './measure-commands';
import { measureChecker } from './measure-checker';
import { measureHandlers, type HandlerFigures } from './measure-handlers';
import { measureLocalStartRatio } from './measure-local';
import { measureWeb } from './measure-web';
import { round, type Ratio, type Summary } from './stats';

const REPO = path.resolve(__dirname, '..', '..');

interface Budgets {
  /** Maximum of each subject ÷ reference time ratio. */
  ratios: {
    synthVsBareUserPoolApp: number;
    synthVsSolutionsConstructsApp: number;
    synthVsSolutionsConstructsAppTsx: number;
    testCommandVsTsc: number;
    handlerInitVsBareNode: number;
    handlerValidP99VsReference: number;
    handlerRejectedP99VsReference: number;
    checkerVsPlainRead: number;
    webSignInVisibleVsPlainPage: number;
    localStartVsSynth: number;
  };
  sizes: {
    ownCodeKilobytes: number;
    bundleKilobytes: number;
    bundleGzipKilobytes: number;
    webJsKilobytes: number;
    webJsGzipKilobytes: number;
  };
  memory: {
    /** Upload checker peak RSS on a 100 MB CSV: at most factor × idle RSS + headroom. */
    checkerPeakRssIdleFactor: number;
    checkerPeakRssHeadroomMb: number;
  };
}

interface Check {
  readonly what: string;
  readonly value: number;
  readonly budget: number;
  readonly unit: string;
}

const USAGE = 'bench [--runs N] [--skip-tests] [--only web|checker|synth|local|tests]';
const ONLY = ['web', 'checker', 'synth', 'local', 'tests'] as const;
type Only = (typeof ONLY)[number];

interface BenchOptions {
  readonly runs: number;
  readonly skipTests: boolean;
  readonly only?: Only;
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
  const runs = values.runs === undefined ? 3 : Number(values.runs);
  if (!(Number.isInteger(runs) && runs >= 1)) throw new Error(`--runs takes a whole number of at least 1. Usage: ${USAGE}`);
  if (values.only !== undefined && !(ONLY as readonly string[]).includes(values.only)) throw new Error(`--only takes ${ONLY.join(', ')}. Usage: ${USAGE}`);
  return { runs, skipTests: values['skip-tests'] === true, only: values.only as Only | undefined };
}

const fmt = (s: Summary, digits = 2) => `${round(s.median, digits)} ± ${round(s.spread, digits)}`;
const ratioLine = (what: string, r: Ratio, unit: string, budget: number, digits = 2) =>
  `${what}: ${fmt(r.ratio)}× (${fmt(r.subject, digits)} ${unit} against ${fmt(r.reference, digits)} ${unit}; budget ≤ ${budget}×)`;
const ratioCheck = (what: string, r: Ratio, budget: number): Check => ({ what, value: r.ratio.median, budget, unit: '×' });

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) return 0;
  const { runs, skipTests, only } = options;
  const budgets = JSON.parse(fs.readFileSync(path.join(REPO, 'bench', 'budgets.json'), 'utf8')) as Budgets;
  const checks: Check[] = [];
  const lines: string[] = ['', machineLine(), 'Figures are median ± half the min–max spread; each ratio pairs a run with its reference run.', ''];
  const figures: Record<string, unknown> = { budgets };

  if (only === undefined || only === 'web') {
    process.stdout.write('measuring the web app (headless Chromium)…\n');
    const web = await measureWeb(path.join(REPO, '.bench', 'web'), { runs: Math.max(runs, 5) });
    figures.web = web;
    checks.push(
      { what: 'web app.js', value: web.jsBytes / 1024, budget: budgets.sizes.webJsKilobytes, unit: 'KB' },
      { what: 'web app.js gzip', value: web.jsGzipBytes / 1024, budget: budgets.sizes.webJsGzipKilobytes, unit: 'KB' },
      ratioCheck('web sign-in form visible ÷ plain page', web.signInVisibleRatio, budgets.ratios.webSignInVisibleVsPlainPage),
    );
    lines.push(
      `web app.js: ${round(web.jsBytes / 1024, 1)} KB, gzip ${round(web.jsGzipBytes / 1024, 1)} KB (budgets ${budgets.sizes.webJsKilobytes} / ${budgets.sizes.webJsGzipKilobytes} KB); app.css ${round(web.cssBytes / 1024, 1)} KB`,
      ratioLine('sign-in form visible ÷ the same form as plain HTML', web.signInVisibleRatio, 'ms', budgets.ratios.webSignInVisibleVsPlainPage, 0),
    );
  }

  if (only === undefined || only === 'checker') {
    process.stdout.write('measuring the upload checker…\n');
    const checker = await measureChecker(path.join(REPO, '.bench', 'checker'), { runs: Math.max(runs, 5) });
    figures.checker = checker;
    const rssBudget = budgets.memory.checkerPeakRssIdleFactor * checker.idleRssMb + budgets.memory.checkerPeakRssHeadroomMb;
    checks.push(ratioCheck('upload checker ÷ plain streaming read', checker.plainReadRatio, budgets.ratios.checkerVsPlainRead), {
      what: 'upload checker peak RSS (100 MB CSV)',
      value: checker.peakRssMb,
      budget: rssBudget,
      unit: 'MB',
    });
    lines.push(
      ratioLine(
        `upload checker, ${round(checker.throughputBytes / 2 ** 20, 1)} MB CSV ÷ a plain streaming read of it`,
        checker.plainReadRatio,
        'ms',
        budgets.ratios.checkerVsPlainRead,
        0,
      ),
      `  (${fmt(checker.mbPerSecond, 1)} MB/s, ${fmt(checker.rowsPerSecond, 0)} rows/s)`,
      `upload checker, ${round(checker.memoryBytes / 2 ** 20, 1)} MB CSV: peak RSS ${round(checker.peakRssMb, 1)} MB, idle ${round(checker.idleRssMb, 1)} MB (budget ${budgets.memory.checkerPeakRssIdleFactor} × idle + ${budgets.memory.checkerPeakRssHeadroomMb} MB = ${round(rssBudget, 1)} MB)`,
    );
  }

  if (only === undefined || only === 'synth') {
    process.stdout.write('measuring cdk synth against the reference apps (cold cdk.out, build cache kept)…\n');
    const synth = measureSynthRatios(REPO, runs);
    figures.synth = synth;
    const r = budgets.ratios;
    checks.push(
      ratioCheck('cdk synth ÷ bare user-pool app', synth.bareUserPoolApp, r.synthVsBareUserPoolApp),
      ratioCheck('cdk synth ÷ Solutions Constructs app (ts-node, as cdk init runs it)', synth.solutionsConstructsApp, r.synthVsSolutionsConstructsApp),
      ratioCheck('cdk synth ÷ Solutions Constructs app (tsx)', synth.solutionsConstructsAppTsx, r.synthVsSolutionsConstructsAppTsx),
    );
    lines.push(
      ratioLine('cdk synth, default stage ÷ a bare aws-cdk-lib user-pool app', synth.bareUserPoolApp, 's', r.synthVsBareUserPoolApp),
      ratioLine(
        'cdk synth, default stage ÷ the Solutions Constructs app run as cdk init scaffolds it (ts-node)',
        synth.solutionsConstructsApp,
        's',
        r.synthVsSolutionsConstructsApp,
      ),
      ratioLine(
        'cdk synth, default stage ÷ the same Solutions Constructs app run through tsx',
        synth.solutionsConstructsAppTsx,
        's',
        r.synthVsSolutionsConstructsAppTsx,
      ),
    );
  }

  if (only === undefined || only === 'local') {
    process.stdout.write('measuring npm run local start-up against cdk synth…\n');
    const local = await measureLocalStartRatio(REPO, runs);
    figures.localStart = local;
    checks.push(ratioCheck('npm run local ready ÷ cdk synth', local, budgets.ratios.localStartVsSynth));
    lines.push(ratioLine('npm run local, spawn to ready (synth included) ÷ a cold cdk synth', local, 's', budgets.ratios.localStartVsSynth, 1));
  }

  if ((only === undefined && !skipTests) || only === 'tests') {
    process.stdout.write('measuring the test command against tsc…\n');
    const tests = measureTestCommandRatio(REPO, runs);
    figures.testCommand = tests;
    checks.push(ratioCheck('npm test ÷ tsc --noEmit', tests, budgets.ratios.testCommandVsTsc));
    lines.push(ratioLine('npm test (tsc --noEmit + jest) ÷ tsc --noEmit', tests, 's', budgets.ratios.testCommandVsTsc, 1));
  }

  if (only === undefined) {
    process.stdout.write('measuring handlers…\n');
    const handlers = await measureHandlers(path.join(REPO, '.bench', 'handlers'), { initRuns: 15, rounds: 5, calls: 2000 });
    figures.handlers = handlers;
    checks.push(...handlers.flatMap((h) => handlerChecks(h, budgets)));
    lines.push(
      '',
      '| handler | own code KB | bundle KB (with SDK) | gzip KB | init ÷ bare node | init ms | valid p99 ÷ reference | rejected p99 ÷ reference | valid p99 ms |',
      '|---|---|---|---|---|---|---|---|---|',
      ...handlers.map(
        (h) =>
          `| ${h.id} | ${round(h.ownCodeBytes / 1024, 1)} | ${round(h.bundleBytes / 1024, 1)} | ${round(h.gzipBytes / 1024, 1)} | ${fmt(h.initRatio.ratio)} | ${fmt(h.initMs, 1)} | ${fmt(h.validP99Ratio.ratio, 1)} | ${fmt(h.rejectedP99Ratio.ratio, 1)} | ${fmt(h.validP99Ms, 3)} |`,
      ),
    );
  }
  return report(checks, lines, figures, `${only ?? 'latest'}.json`);
}

function handlerChecks(h: HandlerFigures, budgets: Budgets): Check[] {
  return [
    { what: `${h.id} own code`, value: h.ownCodeBytes / 1024, budget: budgets.sizes.ownCodeKilobytes, unit: 'KB' },
    { what: `${h.id} bundle`, value: h.bundleBytes / 1024, budget: budgets.sizes.bundleKilobytes, unit: 'KB' },
    { what: `${h.id} bundle gzip`, value: h.gzipBytes / 1024, budget: budgets.sizes.bundleGzipKilobytes, unit: 'KB' },
    ratioCheck(`${h.id} init ÷ bare node`, h.initRatio, budgets.ratios.handlerInitVsBareNode),
    ratioCheck(`${h.id} valid p99 ÷ reference`, h.validP99Ratio, budgets.ratios.handlerValidP99VsReference),
    ratioCheck(`${h.id} rejected p99 ÷ reference`, h.rejectedP99Ratio, budgets.ratios.handlerRejectedP99VsReference),
  ];
}

/** Prints the lines and the budget verdict, writes bench/results/<file>; 0 when every budget is met. */
function report(checks: readonly Check[], lines: readonly string[], figures: Record<string, unknown>, file: string): number {
  const failed = checks.filter((c) => c.value > c.budget);
  const verdict =
    failed.length === 0
      ? `All ${checks.length} budgets met.`
      : `Over budget:\n${failed.map((c) => `  ${c.what}: ${round(c.value)} ${c.unit} > ${round(c.budget)} ${c.unit}`).join('\n')}`;
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
