#!/usr/bin/env node
/**
 * The app entry: reads the stage, builds its stack, adds the rule packs.
 * `npx cdk synth -c stage=prod` selects config/prod.json; the default is dev.
 * `npx cdk synth -c pipeline=true` builds the delivery pipeline from
 * config/pipeline.json instead, with every stage it deploys inside it.
 */
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { loadPipelineConfig, PipelineConfigError } from '../lib/config/load-pipeline-config';
import { CONFIG_DIR, listStages, loadStageConfig, StageConfigError } from '../lib/config/load-stage-config';
import { addPipeline } from '../lib/pipeline/pipeline-app';
import { addRulePacks } from '../lib/composition/rule-packs';
import { stageFromContext } from '../lib/composition/stage';
import { addStageStack } from '../lib/composition/stage-stack';
import { ValidationError } from '../lib/util/validation-error';

// The rule packs decide which validations run (see lib/composition/rule-packs.ts).
const app = new App({ builtinCloudFormationValidation: false });
const flag = (name: string) => app.node.tryGetContext(name) === true || app.node.tryGetContext(name) === 'true';
const stage = stageFromContext(app);

// `-c configDir=…` points at stage files kept outside this repository.
const configDirContext: unknown = app.node.tryGetContext('configDir');
const configDir = typeof configDirContext === 'string' ? path.resolve(configDirContext) : undefined;
const displayFile = (name: string) =>
  path
    .relative(process.cwd(), path.join(configDir ?? CONFIG_DIR, name))
    .split(path.sep)
    .join('/');

/** One line per problem, no stack trace: the file and field say what to fix. */
function exitWithConfigErrors(error: unknown, file: string): never {
  if (error instanceof PipelineConfigError) for (const problem of error.problems) console.error(`Invalid pipeline config: ${problem}`);
  else if (error instanceof StageConfigError) for (const problem of error.problems) console.error(`Invalid stage config: ${problem}`);
  // A value the schema cannot judge alone (e.g. an acknowledgement's construct path): still one line.
  else if (error instanceof ValidationError) console.error(`Invalid stage config: ${file}: ${error.message}`);
  else throw error;
  process.exit(1);
}

if (flag('pipeline')) {
  try {
    addPipeline(app, loadPipelineConfig(configDir), listStages(configDir));
  } catch (error) {
    exitWithConfigErrors(error, displayFile('pipeline.json'));
  }
} else {
  let config;
  try {
    config = loadStageConfig(stage, configDir);
  } catch (error) {
    exitWithConfigErrors(error, displayFile(`${stage}.json`));
  }
  try {
    addStageStack(app, stage, config);
  } catch (error) {
    exitWithConfigErrors(error, displayFile(`${stage}.json`));
  }
}
addRulePacks(app, { cloudFormationValidation: flag('cfnValidation'), controlTower: flag('controlTower') });
