/**
 * Writes config/stage-config.schema.json from the zod schema, so editors
 * complete and check the stage files with the same rules synth enforces.
 *
 *   npx tsx scripts/write-config-schema.ts            # (re)write the file
 *   npx tsx scripts/write-config-schema.ts --check    # exit 1 if the file is stale
 *
 * An optional path argument writes/checks another file (used by the tests).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { stageConfigSchema } from '../lib/config/stage-config';

export const SCHEMA_FILE = path.join(__dirname, '..', 'config', 'stage-config.schema.json');

/** The JSON Schema text: 2-space indented, trailing newline, same bytes on every run. */
export function renderConfigSchema(): string {
  // `io: 'input'` describes what a person writes: keys with defaults are optional.
  const { $schema, ...generated } = z.toJSONSchema(stageConfigSchema, { io: 'input' });
  const document = {
    $schema,
    $id: 'urn:cognito-access:stage-config',
    title: 'cognito-access stage config',
    description: 'config/<stage>.json. Generated from lib/config/stage-config.ts by `npm run schema`; do not edit by hand.',
    ...generated,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

const USAGE = 'schema [--check] [file]   (file defaults to config/stage-config.schema.json)';

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { check: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`Error: ${(error as Error).message.split('\n')[0]}. Usage: ${USAGE}`);
    return 1;
  }
  if (parsed.values.help) {
    console.log(`Usage: ${USAGE}`);
    return 0;
  }
  const check = parsed.values.check === true;
  const file = path.resolve(parsed.positionals[0] ?? SCHEMA_FILE);
  const display = path.relative(process.cwd(), file) || file;
  const expected = renderConfigSchema();
  if (check) {
    const actual = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (actual === expected) return 0;
    console.error(`${display} is ${actual === undefined ? 'missing' : 'out of date'}; run \`npm run schema\` and commit the result.`);
    return 1;
  }
  fs.writeFileSync(file, expected);
  console.log(`wrote ${display}`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
