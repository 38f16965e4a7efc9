/**
 * What both CLIs share: flag parsing, loading the stage, and turning any
 * failure into plain lines on stderr and exit code 1 (never a stack trace).
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadStageConfig, StageConfigError } from '../../lib/config/load-stage-config';
import type { StageConfig } from '../../lib/config/stage-config';
import { stackNameFor } from '../../lib/composition/stage';
import { CliInputError, HelpRequested } from './cli-error';

/** Where a CLI writes; tests pass their own. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Runs a CLI body and maps every failure to stderr lines and exit code 1. */
export async function runCli(body: () => Promise<number>, io: CliIo): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof HelpRequested) {
      io.out(`Usage: ${error.usage}`);
      return 0;
    }
    if (error instanceof StageConfigError) {
      for (const problem of error.problems) io.err(`Invalid stage config: ${problem}`);
    } else if (error instanceof CliInputError) {
      io.err(`Error: ${error.message}`);
    } else {
      // Unexpected: still one line; the message is what a user can act on.
      io.err(`Error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
    return 1;
  }
}

type StringFlags<K extends string> = { [key in K]?: string };

/**
 * Parses `--name value` flags with node:util's parseArgs; unknown flags and
 * stray arguments are input errors, and `--help`/`-h` asks for the usage.
 */
export function parseFlags<K extends string>(argv: readonly string[], names: readonly K[], usage: string): StringFlags<K> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { ...Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])), help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CliInputError(`${(error as Error).message.split('\n')[0]}. Usage: ${usage}`);
  }
  if (values.help) throw new HelpRequested(usage);
  return values as StringFlags<K>;
}

/** A flag that must be given. */
export function required(value: string | undefined, flag: string, usage: string): string {
  if (value === undefined || value === '') throw new CliInputError(`missing --${flag}. Usage: ${usage}`);
  return value;
}

export interface LoadedStage {
  readonly stage: string;
  readonly config: StageConfig;
  readonly stackName: string;
}

/** Loads `config/<stage>.json` (or from `configDir`), as `bin/` does. */
export function loadStage(stage: string, configDir?: string): LoadedStage {
  const config = loadStageConfig(stage, configDir === undefined ? undefined : path.resolve(configDir));
  return { stage, config, stackName: stackNameFor(stage, config) };
}

export { CliInputError, HelpRequested, StageConfigError };
