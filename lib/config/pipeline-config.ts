/**
 * `config/pipeline.json`: where the delivery pipeline lives, what it builds
 * from, and the stages it deploys in order (docs/design.md, "Release guard and
 * pipeline"). Validated like the stage files: unknown keys are errors.
 */
import { z } from 'zod';

const account = z.string().regex(/^\d{12}$/, 'a 12-digit AWS account ID');
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1');

const pipelineStage = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,31}$/, 'a stage name with a config/<name>.json')
    .describe('The stage; config/<name>.json configures its stack.'),
  account: account.describe('Account the stage deploys to (bootstrapped with --trust <pipeline account>).'),
  region: region.describe('Region the stage deploys to.'),
  manualApproval: z
    .boolean()
    .default(false)
    .describe('Run the release guard against the deployed stack, then wait for a person to approve, before deploying. @default false'),
});

export const pipelineConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path to the JSON Schema, for editors.'),
    account: account.describe('Account the pipeline runs in (its tooling account).'),
    region: region.describe('Region the pipeline runs in.'),
    source: z
      .strictObject({
        connectionArn: z
          .string()
          .regex(
            /^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/,
            'a CodeStar / CodeConnections connection ARN (arn:aws:codeconnections:<region>:<account>:connection/<uuid>)',
          )
          .describe('The connection to the Git host, created and authorized once in the console.'),
        repository: z
          .string()
          .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'a repository as owner/name')
          .describe('owner/name'),
        branch: z.string().min(1, 'a branch name').max(255).describe('The branch whose pushes start the pipeline.'),
      })
      .describe('Where the pipeline gets the code.'),
    stages: z
      .array(pipelineStage)
      .min(1, 'at least one stage')
      .refine((stages) => new Set(stages.map((s) => s.name)).size === stages.length, 'each stage once')
      .describe('Stages in deploy order, e.g. dev then prod.'),
  })
  .describe('config/pipeline.json');

export type PipelineConfigInput = z.input<typeof pipelineConfigSchema>;
export type PipelineConfig = z.output<typeof pipelineConfigSchema>;
export type PipelineStageConfig = PipelineConfig['stages'][number];
