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

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const file = path.resolve(argv.find((arg) => !arg.startsWith('--')) ?? SCHEMA_FILE);
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
