import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ratioOf, type Ratio } from './stats';

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

/**
 * `npx cdk synth` of the default stage from a clean cdk.out (so every run
 * bundles the handlers), against a bare aws-cdk-lib user-pool app, runs
 * interleaved so load on the machine hits both alike. `--no-notices`: the
 * CLI's notices lookup waits on the network, which is not what is measured.
 */
export function measureSynthRatio(repo: string, runs: number): Ratio {
  const out = path.join(repo, '.bench', 'reference.out');
  const reference = ['cdk', 'synth', '-q', '--no-notices', '--app', 'node --import tsx scripts/bench/reference/bare-user-pool-app.ts', '-o', out];
  return ratioOf(runs, () => {
    fs.rmSync(path.join(repo, 'cdk.out'), { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
    return { subject: timeCommand('npx', ['cdk', 'synth', '-q', '--no-notices'], repo), reference: timeCommand('npx', reference, repo) };
  });
}

/** The README's test command (type-check and jest) against a bare `tsc --noEmit` of the same tree. */
export function measureTestCommandRatio(repo: string, runs: number): Ratio {
  const env = { ...process.env, CI: 'true' };
  return ratioOf(runs, () => ({
    subject: timeCommand('npm', ['test', '--silent'], repo, env),
    reference: timeCommand('npx', ['tsc', '--noEmit'], repo, env),
  }));
}
