/**
 * Writes config/pipeline.schema.json from the zod schema of config/pipeline.json,
 * as write-config-schema.ts does for the stage files.
 *
 *   npx tsx scripts/write-pipeline-schema.ts [--check]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { pipelineConfigSchema } from '../lib/config/pipeline-config';

export const PIPELINE_SCHEMA_FILE = path.join(__dirname, '..', 'config', 'pipeline.schema.json');

export function renderPipelineSchema(): string {
  const { $schema, ...generated } = z.toJSONSchema(pipelineConfigSchema, { io: 'input' });
  const document = {
    $schema,
    $id: 'urn:cognito-access:pipeline-config',
    title: 'cognito-access pipeline config',
    description: 'config/pipeline.json. Generated from lib/config/pipeline-config.ts by `npm run schema`; do not edit by hand.',
    ...generated,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function main(argv: string[]): number {
  const expected = renderPipelineSchema();
  const display = path.relative(process.cwd(), PIPELINE_SCHEMA_FILE);
  if (argv.includes('--check')) {
    const actual = fs.existsSync(PIPELINE_SCHEMA_FILE) ? fs.readFileSync(PIPELINE_SCHEMA_FILE, 'utf8') : undefined;
    if (actual === expected) return 0;
    console.error(`${display} is ${actual === undefined ? 'missing' : 'out of date'}; run \`npm run schema\` and commit the result.`);
    return 1;
  }
  fs.writeFileSync(PIPELINE_SCHEMA_FILE, expected);
  console.log(`wrote ${display}`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
