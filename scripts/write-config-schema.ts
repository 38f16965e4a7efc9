/**
 * Writes config/stage-config.schema.json from the zod schema, so editors
 * complete and check the stage files with the same rules synth enforces.
 *
 *   npx tsx scripts/write-config-schema.ts            # (re)write the file
 *   npx tsx scripts/write-config-schema.ts --check    # exit 1 if the file is stale
 *
 * An optional path argument writes/checks another file (used by the tests).
 */
import * as path from 'node:path';
import { z } from 'zod';
import { stageConfigSchema } from '../lib/config/stage-config';
import { generatedFileCli } from './common/generated-file-cli';

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

if (require.main === module)
  process.exitCode = generatedFileCli({ script: 'schema', defaultFile: SCHEMA_FILE, render: renderConfigSchema }, process.argv.slice(2));
