/**
 * `npm run local -- [--stage dev] [--port 5173] [--reset]`: runs the stage on
 * loopback with no AWS account (docs/local.md). Prints a `ready` line with the
 * web URL once every service listens, and stops everything on SIGINT/SIGTERM.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { StageConfigError } from '../../lib/config/load-stage-config';
import { LocalRunError, startLocalRun, type LocalRun } from './run-local';

export const USAGE = 'npm run local -- [--stage <stage>] [--port <1024-65530>] [--reset] [--state-root <dir>]';
/** SIGINT/SIGTERM must end the run within 5 s (docs/local.md); this leaves margin. */
const SHUTDOWN_DEADLINE_MS = 4000;

export interface LocalArgs {
  readonly stage: string;
  readonly port: number;
  readonly reset: boolean;
  /** Where `.local/` lives; tests keep their state out of the repository's. @default the repository root */
  readonly stateRoot?: string;
  readonly help: boolean;
}

export class ArgsError extends Error {}

export function parseLocalArgs(argv: readonly string[]): LocalArgs {
  let values: { stage?: string; port?: string; reset?: boolean; 'state-root'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        stage: { type: 'string' },
        port: { type: 'string' },
        reset: { type: 'boolean' },
        'state-root': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ArgsError(`${(error as Error).message.split('\n')[0]}. Usage: ${USAGE}`);
  }
  const port = values.port === undefined ? 5173 : Number(values.port);
  // The five service ports follow the web port.
  if (!/^\d+$/.test(values.port ?? '5173') || port < 1024 || port > 65530) {
    throw new ArgsError(`--port must be a whole number from 1024 to 65530 (the services use the next five ports); found "${values.port}". Usage: ${USAGE}`);
  }
  if (values.stage !== undefined && values.stage === '') throw new ArgsError(`--stage must not be empty. Usage: ${USAGE}`);
  if (values['state-root'] === '') throw new ArgsError(`--state-root must not be empty. Usage: ${USAGE}`);
  return { stage: values.stage ?? 'dev', port, reset: values.reset === true, stateRoot: values['state-root'], help: values.help === true };
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: LocalArgs;
  try {
    args = parseLocalArgs(argv);
  } catch (error) {
    process.stderr.write(`Error: ${(error as Error).message}\n`);
    return 1;
  }
  if (args.help) {
    process.stdout.write(`Usage: ${USAGE}\n`);
    return 0;
  }
  let run: LocalRun;
  try {
    run = await startLocalRun({ stage: args.stage, port: args.port, reset: args.reset, rootDir: args.stateRoot && path.resolve(args.stateRoot) });
  } catch (error) {
    if (error instanceof StageConfigError) for (const problem of error.problems) process.stderr.write(`Invalid stage config: ${problem}\n`);
    else process.stderr.write(`Error: ${error instanceof LocalRunError ? error.message : `${(error as Error).name}: ${(error as Error).message}`}\n`);
    return 1;
  }
  process.stdout.write(`API ${run.endpoints.api} · mailbox ${run.endpoints.mailbox} · state ${run.stateDir}\n`);
  process.stdout.write(`cognito-access local (${args.stage}) ready: ${run.endpoints.web}\n`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`${signal}: stopping…\n`);
      const deadline = setTimeout(() => resolve(1), SHUTDOWN_DEADLINE_MS);
      deadline.unref();
      void run.close().then(() => {
        clearTimeout(deadline);
        resolve(0);
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
