/**
 * Writes config/pipeline.schema.json from the zod schema of config/pipeline.json,
 * as write-config-schema.ts does for the stage files.
 *
 *   npx tsx scripts/write-pipeline-schema.ts [--check]
 */
import * as path from 'node:path';
import { z } from 'zod';
import { pipelineConfigSchema } from '../lib/config/pipeline-config';
import { generatedFileCli } from './common/generated-file-cli';

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

if (require.main === module)
  process.exitCode = generatedFileCli({ script: 'schema', defaultFile: PIPELINE_SCHEMA_FILE, render: renderPipelineSchema }, process.argv.slice(2));
