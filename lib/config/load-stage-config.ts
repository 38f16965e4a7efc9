/**
 * Reads and validates `config/<stage>.json`. Every failure becomes a
 * `StageConfigError` whose lines each name the file, the field, what was
 * expected and what was found, so `bin/` can print them without a stack trace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import { stageConfigSchema, type StageConfig } from './stage-config';

/** Where the stage files live, relative to the repository root. */
export const CONFIG_DIR = path.join(__dirname, '..', '..', 'config');

const STAGE_NAME = /^[a-z][a-z0-9-]{0,31}$/;

export class StageConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'StageConfigError';
  }
}

/** `config/pipeline.json` configures the delivery pipeline; it is not a stage. */
export const PIPELINE_CONFIG_FILE = 'pipeline.json';

/** Stages that ship with the repository: every `config/*.json` but the schemas and the pipeline's file. */
export function listStages(configDir: string = CONFIG_DIR): string[] {
  return fs
    .readdirSync(configDir)
    .filter((file) => file.endsWith('.json') && !file.endsWith('.schema.json') && file !== PIPELINE_CONFIG_FILE)
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** Loads `config/<stage>.json` and validates it; throws `StageConfigError`. */
export function loadStageConfig(stage: string, configDir: string = CONFIG_DIR): StageConfig {
  const file = path.join(configDir, `${stage}.json`);
  // Relative to where the user stands, so the line reads "config/dev.json: …".
  const displayPath = path.relative(process.cwd(), file).split(path.sep).join('/');
  if (!STAGE_NAME.test(stage)) {
    throw new StageConfigError([`${displayPath}: stage: expected lowercase letters, digits and hyphens, found ${JSON.stringify(stage)}`]);
  }
  if (`${stage}.json` === PIPELINE_CONFIG_FILE) {
    throw new StageConfigError([
      `${displayPath}: stage: "${stage}" is the pipeline's config, not a stage; expected one of ${listStages(configDir).join(', ')}`,
    ]);
  }
  if (!fs.existsSync(file)) {
    const known = fs.existsSync(configDir) ? listStages(configDir).join(', ') : 'none';
    throw new StageConfigError([`${displayPath}: file not found; expected one of the stages there (${known})`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StageConfigError([`${displayPath}: expected valid JSON, found a syntax error (${(error as Error).message})`]);
  }
  return parseStageConfig(raw, displayPath);
}

/** Validates already-parsed JSON; `source` names the file in error lines. */
export function parseStageConfig(raw: unknown, source: string): StageConfig {
  const result = stageConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new StageConfigError(formatIssues(result.error.issues, raw).map((line) => `${source}: ${line}`));
}

type Issue = z.core.$ZodIssue;

/** Zod issues as "field: expected …; found …" lines (shared with the pipeline config). */
export function formatIssues(issues: readonly Issue[], raw: unknown, prefix: PropertyKey[] = []): string[] {
  return issues.flatMap((issue) => formatIssue(issue, raw, [...prefix, ...issue.path]));
}

function formatIssue(issue: Issue, raw: unknown, at: PropertyKey[]): string[] {
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map(
        (key) =>
          `${fieldPath([...at, key])}: expected no such key (unknown keys are errors; see config/stage-config.schema.json); found ${describe(valueAt(raw, [...at, key]))}`,
      );
    case 'invalid_union': {
      // Report the alternative that came closest, not every branch's complaints.
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0];
      if (closest && closest.length > 0) return formatIssues(closest, raw, at);
      return [`${fieldPath(at)}: expected ${stripZodPrefix(issue.message)}; found ${describe(valueAt(raw, at))}`];
    }
    case 'invalid_type':
      return [`${fieldPath(at)}: expected ${issue.expected}; found ${describe(valueAt(raw, at))}`];
    case 'invalid_value':
      return [`${fieldPath(at)}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}; found ${describe(valueAt(raw, at))}`];
    default:
      return [`${fieldPath(at)}: expected ${stripZodPrefix(issue.message)}; found ${describe(valueAt(raw, at))}`];
  }
}

/** Zod's built-in messages read "Too small: expected …"; ours are bare nouns. */
function stripZodPrefix(message: string): string {
  const bare = message.replace(/^(Invalid [^:]*|Too small|Too big):\s*/, '');
  return bare.replace(/^expected\s+/i, '');
}

function fieldPath(at: PropertyKey[]): string {
  if (at.length === 0) return '(top level)';
  return at.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}

function valueAt(raw: unknown, at: PropertyKey[]): unknown {
  let node: unknown = raw;
  for (const part of at) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
