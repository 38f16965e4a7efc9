import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ratioFromSamples, ratioOf, type Ratio } from './stats';

/** Wall time of a command in seconds; throws with its output if it fails. */
export function timeCommand(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}\n${(result.stderr ?? '').slice(-2000)}`);
  }
  return seconds;
}

/** The apps `cdk synth` of the default stage is judged against, in the same run. */
export const SYNTH_REFERENCES = {
  /** A bare aws-cdk-lib app with one user pool and client. */
  bareUserPoolApp: 'node --import tsx scripts/bench/reference/bare-user-pool-app.ts',
  /**
   * The rival, AWS Solutions Constructs' CognitoToApiGatewayToLambda, run the
   * way `cdk init app --language typescript` scaffolds a project: ts-node,
   * which type-checks what it loads.
   */
  solutionsConstructsApp: 'npx ts-node --prefer-ts-exts scripts/bench/reference/solutions-constructs-app.ts',
  /** The same rival app run through tsx, as this repository runs its own: start-up alike, so only the apps differ. */
  solutionsConstructsAppTsx: 'node --import tsx scripts/bench/reference/solutions-constructs-app.ts',
} as const;

export type SynthReference = keyof typeof SYNTH_REFERENCES;

/**
 * `npx cdk synth` of the default stage from a clean cdk.out, against each
 * reference app, interleaved so load on the machine hits all alike. The build
 * cache (lib/util/build-cache.ts) is kept, as a developer has it: the first run
 * builds the handlers and the web app, later ones copy them while their
 * sources are unchanged. `--no-notices`: the CLI's notices lookup waits on the
 * network, which is not what is measured.
 */
export function measureSynthRatios(repo: string, runs: number): Record<SynthReference, Ratio> {
  const names = Object.keys(SYNTH_REFERENCES) as SynthReference[];
  const subject: number[] = [];
  const references: Record<SynthReference, number[]> = { bareUserPoolApp: [], solutionsConstructsApp: [], solutionsConstructsAppTsx: [] };
  for (let i = 0; i < runs; i++) {
    fs.rmSync(path.join(repo, 'cdk.out'), { recursive: true, force: true });
    subject.push(timeCommand('npx', ['cdk', 'synth', '-q', '--no-notices'], repo));
    for (const name of names) {
      const out = path.join(repo, '.bench', `${name}.out`);
      fs.rmSync(out, { recursive: true, force: true });
      references[name].push(timeCommand('npx', ['cdk', 'synth', '-q', '--no-notices', '--app', SYNTH_REFERENCES[name], '-o', out], repo));
    }
  }
  return Object.fromEntries(names.map((name) => [name, ratioFromSamples(subject, references[name])])) as Record<SynthReference, Ratio>;
}

/** The README's test command (type-check and jest) against a bare `tsc --noEmit` of the same tree. */
export function measureTestCommandRatio(repo: string, runs: number): Ratio {
  const env = { ...process.env, CI: 'true' };
  return ratioOf(runs, () => ({
    subject: timeCommand('npm', ['test', '--silent'], repo, env),
    reference: timeCommand('npx', ['tsc', '--noEmit'], repo, env),
  }));
}
