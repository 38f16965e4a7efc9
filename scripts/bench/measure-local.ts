/**
 * `npm run local`'s start-up: from spawn to the `ready` line, each run with a
 * fresh state root, paired with a cold `cdk synth` of the same stage (the run
 * synthesizes with bundling first), so the figure is a ratio. docs/local.md
 * promises ready within 20 s of a synth on 2 cores; the seconds are printed too.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { timeCommand } from './measure-commands';
import { ratioOfAsync, type Ratio } from './stats';

const PORT = 28_173;

/** Seconds from spawning `npm run local` to its ready line; the run is then stopped. */
export function timeLocalStart(repo: string, port = PORT): Promise<number> {
  const stateRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-local-'));
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/local/cli.ts', '--port', String(port), '--state-root', stateRoot], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`npm run local was not ready within 300 s:\n${output.slice(-2000)}`)), 300_000);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      child.once('exit', () => {
        fs.rmSync(stateRoot, { recursive: true, force: true });
        if (error) reject(error);
        else resolve(seconds);
      });
      child.kill('SIGTERM');
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/ready: http:\/\/localhost:\d+/.test(output)) finish();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => finish(error));
  });
}

/** Start-up of the local run ÷ a cold `cdk synth` of the default stage, interleaved. */
export function measureLocalStartRatio(repo: string, runs: number): Promise<Ratio> {
  return ratioOfAsync(runs, async () => {
    fs.rmSync(path.join(repo, 'cdk.out'), { recursive: true, force: true });
    const reference = timeCommand('npx', ['cdk', 'synth', '-q', '--no-notices'], repo);
    return { subject: await timeLocalStart(repo), reference };
  });
}
