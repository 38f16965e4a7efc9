/**
 * Reads and validates `config/pipeline.json` and the stage files it names.
 * Every problem is one line naming the file and field, as for stage files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_DIR, formatIssues, listStages, loadStageConfig, PIPELINE_CONFIG_FILE, StageConfigError } from './load-stage-config';
import { pipelineConfigSchema, type PipelineConfig } from './pipeline-config';
import type { StageConfig } from './stage-config';

export class PipelineConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'PipelineConfigError';
  }
}

export interface LoadedPipelineConfig {
  readonly pipeline: PipelineConfig;
  /** Each stage's validated config, by stage name. */
  readonly stages: Readonly<Record<string, StageConfig>>;
}

/** Loads the pipeline file and every stage file it names; throws `PipelineConfigError` or `StageConfigError`. */
export function loadPipelineConfig(configDir: string = CONFIG_DIR): LoadedPipelineConfig {
  const file = path.join(configDir, PIPELINE_CONFIG_FILE);
  const display = path.relative(process.cwd(), file).split(path.sep).join('/');
  if (!fs.existsSync(file)) throw new PipelineConfigError([`${display}: file not found; the pipeline needs it (see README, "Promoting a change")`]);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PipelineConfigError([`${display}: expected valid JSON, found a syntax error (${(error as Error).message})`]);
  }
  const pipeline = parsePipelineConfig(raw, display);
  const known = listStages(configDir);
  const problems: string[] = [];
  const stages: Record<string, StageConfig> = {};
  pipeline.stages.forEach((stage, i) => {
    if (!known.includes(stage.name)) {
      problems.push(`${display}: stages[${i}].name: expected a stage with a config/<name>.json (${known.join(', ')}); found "${stage.name}"`);
      return;
    }
    const config = loadStageConfig(stage.name, configDir);
    // The stage file may pin its own account or region; the two files must agree.
    if (config.account !== undefined && config.account !== stage.account) {
      problems.push(`${display}: stages[${i}].account: expected ${config.account}, the account config/${stage.name}.json pins; found "${stage.account}"`);
    }
    if (config.region !== undefined && config.region !== stage.region) {
      problems.push(`${display}: stages[${i}].region: expected ${config.region}, the region config/${stage.name}.json pins; found "${stage.region}"`);
    }
    stages[stage.name] = config;
  });
  if (problems.length > 0) throw new PipelineConfigError(problems);
  return { pipeline, stages };
}

/** Validates already-parsed JSON; `source` names the file in error lines. */
export function parsePipelineConfig(raw: unknown, source: string): PipelineConfig {
  const result = pipelineConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new PipelineConfigError(formatIssues(result.error.issues, raw).map((line) => `${source}: ${line}`));
}

export { StageConfigError };
