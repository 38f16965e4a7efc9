/**
 * The pipeline's composition: validated `config/pipeline.json` and stage files
 * → one `cdk.Stage` per deployed stage and the pipeline stack. Like
 * `cognito-access-stack.ts` for a stage, the only pipeline code that reads config.
 */
import type { App } from 'aws-cdk-lib';
import type { LoadedPipelineConfig } from '../config/load-pipeline-config';
import { CognitoAccessStage } from './cognito-access-stage';
import { CognitoAccessPipelineStack } from './pipeline-stack';

export const PIPELINE_STACK_NAME = 'CognitoAccess-Pipeline';

export function addPipeline(app: App, { pipeline, stages }: LoadedPipelineConfig, checkedStages: readonly string[]): CognitoAccessPipelineStack {
  const deployments = pipeline.stages.map((target) => {
    const stage = new CognitoAccessStage(app, target.name, {
      stage: target.name,
      config: stages[target.name],
      pipelineAccount: pipeline.account,
      env: { account: target.account, region: target.region },
    });
    return {
      name: target.name,
      stage,
      account: target.account,
      region: target.region,
      stackName: stage.stack.stackName,
      outputs: stage.outputs,
      manualApproval: target.manualApproval,
    };
  });
  return new CognitoAccessPipelineStack(app, PIPELINE_STACK_NAME, {
    env: { account: pipeline.account, region: pipeline.region },
    connectionArn: pipeline.source.connectionArn,
    repository: pipeline.source.repository,
    branch: pipeline.source.branch,
    checkedStages,
    deployments,
  });
}
