/**
 * Reads the file `cdk deploy --outputs-file <file>` writes:
 * `{ "<StackName>": { "UserPoolId": "…", … } }`. Every problem becomes a
 * `CliInputError` that names the file and says what to do.
 */
import * as fs from 'node:fs';
import { OPTIONAL_OUTPUT_NAMES, REQUIRED_OUTPUT_NAMES, type OutputsByName } from '../../contracts/output-names';
import { CliInputError } from './cli-error';
import { displayPath } from './display-path';

/** The stack outputs, by contract name (contracts/output-names.ts). */
export type StackOutputs = OutputsByName;

/** Reads `file` and returns the outputs of `stackName`; throws `CliInputError`. */
export function readStackOutputs(file: string, stackName: string): StackOutputs {
  const display = displayPath(file);
  if (!fs.existsSync(file)) {
    throw new CliInputError(`${display}: file not found; write it with \`npx cdk deploy -c stage=<stage> --outputs-file ${display}\``);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliInputError(`${display}: expected the JSON written by \`cdk deploy --outputs-file\`, found invalid JSON (${(error as Error).message})`);
  }
  return parseStackOutputs(raw, stackName, display);
}

/** Validates already-parsed outputs JSON; `source` names the file in messages. */
export function parseStackOutputs(raw: unknown, stackName: string, source: string): StackOutputs {
  if (!isRecord(raw)) {
    throw new CliInputError(`${source}: expected an object keyed by stack name, found ${describe(raw)}`);
  }
  const stack = raw[stackName];
  if (stack === undefined) {
    const found = Object.keys(raw);
    throw new CliInputError(
      `${source}: no outputs for stack "${stackName}" (found ${found.length ? found.map((s) => `"${s}"`).join(', ') : 'no stacks'}); check --stage or deploy that stage`,
    );
  }
  if (!isRecord(stack)) {
    throw new CliInputError(`${source}: ${stackName}: expected an object of outputs, found ${describe(stack)}`);
  }
  const missing = REQUIRED_OUTPUT_NAMES.filter((key) => typeof stack[key] !== 'string' || stack[key] === '');
  if (missing.length > 0) {
    throw new CliInputError(
      `${source}: ${stackName}: missing output${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; redeploy with a version of the stack that exports them`,
    );
  }
  if (!/^https:\/\//.test(stack.ApiUrl as string)) {
    throw new CliInputError(`${source}: ${stackName}.ApiUrl: expected an https:// URL, found ${describe(stack.ApiUrl)}`);
  }
  for (const name of OPTIONAL_OUTPUT_NAMES) {
    if (stack[name] !== undefined && (typeof stack[name] !== 'string' || stack[name] === '')) {
      throw new CliInputError(`${source}: ${stackName}.${name}: expected a non-empty string, found ${describe(stack[name])}`);
    }
  }
  const outputs: Record<string, string> = {};
  for (const key of [...REQUIRED_OUTPUT_NAMES, ...OPTIONAL_OUTPUT_NAMES]) {
    if (typeof stack[key] === 'string') outputs[key] = stack[key];
  }
  return outputs as unknown as StackOutputs;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
