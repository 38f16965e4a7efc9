/**
 * Child process of test/browser/support/local-stage.ts: `npm run local` for
 * the dev stage on a given port, from a given config directory (the dev stage
 * file with its localhost origins moved to that port) and state root. Prints
 * `READY <endpoints JSON>` once every service listens; SIGTERM stops it all.
 * Usage: node --import tsx local-stage-process.ts <port> <configDir> <stateRoot>
 */
import { StageConfigError } from '../../../lib/config/load-stage-config';
import { startLocalRun } from '../../../scripts/local/run-local';

async function main(): Promise<void> {
  const [port, configDir, rootDir] = process.argv.slice(2);
  const run = await startLocalRun({ stage: 'dev', port: Number(port), reset: true, configDir, rootDir, log: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write(`READY ${JSON.stringify(run.endpoints)}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void run.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // The harness holds stdin open; if it dies without stopping this run (jest killed), stdin ends and the
  // run stops too, rather than keep six ports and the handler processes on a shared machine.
  process.stdin.once('end', stop);
  process.stdin.resume();
}

main().catch((error: unknown) => {
  const lines = error instanceof StageConfigError ? error.problems : [`${(error as Error).name}: ${(error as Error).message}`];
  for (const line of lines) process.stderr.write(`${line}\n`);
  process.exit(1);
});
