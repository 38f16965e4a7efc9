/**
 * `npm run bench:scale`: how far one stage goes. A simulation (no AWS) of
 * 10 k, 100 k and 1 M monthly active users: the peak rate each puts on every
 * quota, the first quota to bind, monthly cost per 1,000 users, and GetId calls
 * per 1,000 API requests before and after the shared identity map. Inputs:
 * bench/scale/inputs.json (quotas and prices with sources) and config/<stage>.json.
 */
import { parseArgs } from 'node:util';
import { loadStageConfig } from '../../../lib/config/load-stage-config';
import { loadScaleInputs, type ScaleInputs } from './inputs';
import { IDENTITY_ROUTES, loadsForSize, peakFactor, peakRps, perDauPerDay, type SizeResult, type StageLimits } from './model';
import { simulatePeakHour, type IdentityCallCounts } from './getid-simulation';

const fmt = (n: number) =>
  n >= 100 ? Math.round(n).toLocaleString('en-US') : n >= 10 ? n.toFixed(1) : n >= 0.01 ? n.toFixed(2) : n === 0 ? '0' : n.toExponential(1);
const usd = (n: number) => `$${n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2)}`;
const pct = (n: number) => `${n >= 10 ? Math.round(n) : n.toFixed(1)}%`;
const users = (n: number) => (n >= 1e6 ? `${n / 1e6} M` : `${n / 1e3} k`);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The simulated peak hour for one size: users and containers follow from the same workload. */
export function identitySimulation(inputs: ScaleInputs, mau: number, stage: StageLimits): IdentityCallCounts {
  const w = inputs.workload;
  const factor = peakFactor(w.hourlyTrafficCurve.value);
  const dau = mau * w.dauPerMau.value;
  const share = w.apiRouteShare.value;
  const identityShare = IDENTITY_ROUTES.reduce((s, r) => s + share[r], 0);
  const apiRps = peakRps(dau, perDauPerDay(w, stage.idTokenMinutes).apiRequests, factor);
  return simulatePeakHour({
    users: Math.round((dau * w.activeHoursPerDau.value * factor) / 24),
    requestsPerUser: Math.round(w.apiRequestsPerActiveHour.value * identityShare),
    functions: IDENTITY_ROUTES.map((r) => ({
      share: share[r],
      containers: Math.max(1, Math.ceil(apiRps * share[r] * (w.lambdaAverageMs.value / 1000) * w.warmContainersPerConcurrency.value)),
    })),
    unmappedShare: w.newUsersPerMonthPerMau.value / 30 / w.dauPerMau.value,
    cacheTtlMs: w.identityCacheMinutes.value * 60_000,
    seed: 42,
  });
}

function main(): number {
  const inputs = loadScaleInputs();
  const stages: StageLimits[] = ['dev', 'prod'].map((name) => {
    const config = loadStageConfig(name);
    return { name, rateLimit: config.api.throttling.rateLimit, idTokenMinutes: config.webClient.idTokenMinutes };
  });
  const modelled = stages.find((s) => s.name === 'prod')!;
  const out: string[] = [];
  const factor = peakFactor(inputs.workload.hourlyTrafficCurve.value);
  out.push(
    `Load model of one stage (prod config: ID tokens ${modelled.idTokenMinutes} min). Peak factor ${factor.toFixed(2)} (busiest hour / mean hour of the daily curve in bench/scale/inputs.json).`,
    '',
  );

  const results: { result: SizeResult; sim: IdentityCallCounts }[] = [];
  for (const mau of inputs.sizes) {
    const sim = identitySimulation(inputs, mau, modelled);
    const handler = {
      getIdPerRequest: sim.afterGetId / sim.requests,
      getItemPerRequest: sim.afterGetItem / sim.requests,
      putItemPerRequest: sim.afterPutItem / sim.requests,
    };
    results.push({ result: loadsForSize(inputs, mau, stages, modelled, handler), sim });
  }

  out.push(
    table(
      [
        'Quota (peak request rate)',
        'Limit',
        ...results.map(({ result }) => `${users(result.mau)} MAU`),
        ...results.map(({ result }) => `% at ${users(result.mau)}`),
      ],
      results[0].result.loads.map((load, i) => [
        load.label,
        fmt(load.limit),
        ...results.map(({ result }) => fmt(result.loads[i].peak)),
        ...results.map(({ result }) => pct((100 * result.loads[i].peak) / result.loads[i].limit)),
      ]),
    ),
    '',
  );

  for (const { result } of results) {
    const b = result.firstToBind;
    out.push(`${users(result.mau)} MAU (prod stage): first to bind is ${b.label} at ${pct((100 * b.peak) / b.limit)} of ${fmt(b.limit)} -> ${b.advice}.`);
  }
  out.push('');

  out.push(
    table(
      [
        'Monthly cost (list prices)',
        ...results.map(({ result }) => `${users(result.mau)} MAU`),
        ...results.map(({ result }) => `per 1 k at ${users(result.mau)}`),
      ],
      (
        [
          ['Cognito Essentials', 'cognitoEssentials'],
          ['Cognito Plus', 'cognitoPlus'],
          ['API Gateway REST', 'apiGateway'],
          ['Lambda (Arm)', 'lambda'],
          ['DynamoDB on-demand', 'dynamodb'],
          ['S3 requests + storage', 's3'],
          ['Infrastructure (no Cognito)', 'infrastructure'],
        ] as const
      ).map(([label, key]) => [
        label,
        ...results.map(({ result }) => usd(result.cost[key])),
        ...results.map(({ result }) => usd(result.cost[key] / (result.mau / 1000))),
      ]),
    ),
    '',
  );

  out.push(
    table(
      ['Simulated peak hour (identity routes)', ...results.map(({ result }) => `${users(result.mau)} MAU`)],
      [
        ['API requests', ...results.map(({ sim }) => sim.requests.toLocaleString('en-US'))],
        ['GetId per 1,000, before (per-container cache only)', ...results.map(({ sim }) => fmt((1000 * sim.beforeGetId) / sim.requests))],
        ['GetId per 1,000, after (shared table + 5 min cache)', ...results.map(({ sim }) => fmt((1000 * sim.afterGetId) / sim.requests))],
        ['GetItem per 1,000, after', ...results.map(({ sim }) => fmt((1000 * sim.afterGetItem) / sim.requests))],
        ['Handler GetId peak rps, before', ...results.map(({ sim, result }) => fmt((result.identityApiPeakRps * sim.beforeGetId) / sim.requests))],
        ['Handler GetId peak rps, after', ...results.map(({ sim, result }) => fmt((result.identityApiPeakRps * sim.afterGetId) / sim.requests))],
      ],
    ),
  );
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

const USAGE = 'bench:scale   (no options; inputs in bench/scale/inputs.json and config/<stage>.json)';

if (require.main === module) {
  try {
    const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.help) process.stdout.write(`Usage: ${USAGE}\n`);
    else process.exitCode = main();
  } catch (error) {
    process.stderr.write(`Error: ${(error as Error).message.split('\n')[0]}. Usage: ${USAGE}\n`);
    process.exitCode = 1;
  }
}
