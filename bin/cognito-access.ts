#!/usr/bin/env node
/**
 * The app entry: reads the stage, builds its stack, adds the rule packs.
 * `npx cdk synth -c stage=prod` selects config/prod.json; the default is dev.
 */
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { CognitoAccessStack } from '../lib/cognito-access-stack';
import { CONFIG_DIR, loadStageConfig, StageConfigError } from '../lib/config/load-stage-config';
import { addRulePacks } from '../lib/rule-packs';
import { stackEnvFor, stackNameFor, stageFromContext } from '../lib/stage';
import { ValidationError } from '../lib/util/validation-error';

// The rule packs decide which validations run (see lib/rule-packs.ts).
const app = new App({ builtinCloudFormationValidation: false });
const stage = stageFromContext(app);

// `-c configDir=…` points at stage files kept outside this repository.
const configDirContext = app.node.tryGetContext('configDir');
const configDir = typeof configDirContext === 'string' ? path.resolve(configDirContext) : undefined;
let config;
try {
  config = loadStageConfig(stage, configDir);
} catch (error) {
  if (!(error instanceof StageConfigError)) throw error;
  // One line per problem, no stack trace: the file and field say what to fix.
  for (const problem of error.problems) console.error(`Invalid stage config: ${problem}`);
  process.exit(1);
}

try {
  new CognitoAccessStack(app, stackNameFor(stage, config), { stage, config, env: stackEnvFor(config) });
} catch (error) {
  if (!(error instanceof ValidationError)) throw error;
  // A value the schema cannot judge alone (e.g. an acknowledgement's construct path): still one line.
  const file = path.relative(process.cwd(), path.join(configDir ?? CONFIG_DIR, `${stage}.json`)).split(path.sep).join('/');
  console.error(`Invalid stage config: ${file}: ${error.message}`);
  process.exit(1);
}
const flag = (name: string) => app.node.tryGetContext(name) === true || app.node.tryGetContext(name) === 'true';
addRulePacks(app, { cloudFormationValidation: flag('cfnValidation'), controlTower: flag('controlTower') });
