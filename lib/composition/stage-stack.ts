import type { Environment } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CognitoAccessStack } from './cognito-access-stack';
import type { StageConfig } from '../config/stage-config';
import { stackEnvFor, stackNameFor } from './stage';

/**
 * The one way a stage's stack is built: by `bin/`, by the release guard and
 * inside the pipeline's stages. The stack name is passed explicitly so a
 * `cdk.Stage` does not prefix it: the pipeline deploys the same
 * `CognitoAccess-<stage>` stack that `cdk deploy -c stage=<stage>` does.
 */
export function addStageStack(scope: Construct, stage: string, config: StageConfig, env: Environment = stackEnvFor(config)): CognitoAccessStack {
  const stackName = stackNameFor(stage, config);
  return new CognitoAccessStack(scope, stackName, { stage, config, env, stackName });
}
