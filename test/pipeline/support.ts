/**
 * Builds the pipeline app the way `bin/` does with `-c pipeline=true`, from
 * the shipped config/pipeline.json, without bundling.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { loadPipelineConfig } from '../../lib/config/load-pipeline-config';
import { listStages } from '../../lib/config/load-stage-config';
import { addPipeline } from '../../lib/pipeline/pipeline-app';
import type { CognitoAccessPipelineStack } from '../../lib/pipeline/pipeline-stack';
import { addRulePacks } from '../../lib/composition/rule-packs';
import { cdkJsonContext } from '../support/synth';

export interface PipelineSynth {
  readonly app: App;
  readonly stack: CognitoAccessPipelineStack;
  /** Synthesizes (once); throws on unacknowledged rule-pack findings when rule packs were added. */
  readonly synth: () => CloudAssembly;
  readonly template: () => Template;
}

export function buildPipelineApp(options: { rulePacks?: boolean } = {}): PipelineSynth {
  const app = new App({ context: { ...cdkJsonContext(), pipeline: true, 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  const stack = addPipeline(app, loadPipelineConfig(), listStages());
  if (options.rulePacks) addRulePacks(app);
  let assembly: CloudAssembly | undefined;
  const synth = () => (assembly ??= app.synth());
  return { app, stack, synth, template: () => Template.fromJSON(synth().getStackByName(stack.stackName).template) };
}
