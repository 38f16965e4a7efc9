import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { summarize, type Summary } from './stats';

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

/** `npx cdk synth` of the default stage from a clean cdk.out, so every run bundles the handlers. */
export function measureColdSynth(repo: string, runs: number): Summary {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    fs.rmSync(path.join(repo, 'cdk.out'), { recursive: true, force: true });
    samples.push(timeCommand('npx', ['cdk', 'synth', '-q'], repo));
  }
  return summarize(samples);
}

/** The README's test command, end to end (type-check and jest). */
export function measureTestCommand(repo: string, runs: number): Summary {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(timeCommand('npm', ['test', '--silent'], repo, { ...process.env, CI: 'true' }));
  return summarize(samples);
}
