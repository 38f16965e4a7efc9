#!/usr/bin/env node
/**
 * The app entry: reads the stage, builds its stack, adds the rule packs.
 * `npx cdk synth -c stage=prod` selects config/prod.json; the default is dev.
 */
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { CognitoAccessStack } from '../lib/cognito-access-stack';
import { loadStageConfig, StageConfigError } from '../lib/config/load-stage-config';
import { addRulePacks } from '../lib/rule-packs';
import { stackEnvFor, stackNameFor, stageFromContext } from '../lib/stage';

// The rule packs decide which validations run (see lib/rule-packs.ts).
const app = new App({ builtinCloudFormationValidation: false });
const stage = stageFromContext(app);

let config;
try {
  // `-c configDir=…` points at stage files kept outside this repository.
  const configDir = app.node.tryGetContext('configDir');
  config = loadStageConfig(stage, typeof configDir === 'string' ? path.resolve(configDir) : undefined);
} catch (error) {
  if (!(error instanceof StageConfigError)) throw error;
  // One line per problem, no stack trace: the file and field say what to fix.
  for (const problem of error.problems) console.error(`Invalid stage config: ${problem}`);
  process.exit(1);
}

new CognitoAccessStack(app, stackNameFor(stage, config), {
  stage,
  config,
  env: stackEnvFor(config),
});
const flag = (name: string) => app.node.tryGetContext(name) === true || app.node.tryGetContext(name) === 'true';
addRulePacks(app, { cloudFormationValidation: flag('cfnValidation'), controlTower: flag('controlTower') });
