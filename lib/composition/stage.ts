import type { App, Environment } from 'aws-cdk-lib';
import type { StageConfig } from '../config/stage-config';

/** The stage used when `-c stage=…` is not given. */
export const DEFAULT_STAGE = 'dev';

/** The stage chosen with `-c stage=<name>`, or `dev`. */
export function stageFromContext(app: App): string {
  const stage: unknown = app.node.tryGetContext('stage');
  return typeof stage === 'string' && stage.length > 0 ? stage : DEFAULT_STAGE;
}

/** `CognitoAccess-<stage>` unless the config names the stack. */
export function stackNameFor(stage: string, config: Pick<StageConfig, 'stackName'>): string {
  return config.stackName ?? `CognitoAccess-${stage}`;
}

/**
 * The config's account and region, else the CLI's (CDK_DEFAULT_*); with
 * neither, the stack stays environment-agnostic so synth needs no credentials.
 */
export function stackEnvFor(config: Pick<StageConfig, 'account' | 'region'>, env: NodeJS.ProcessEnv = process.env): Environment {
  return { account: config.account ?? env.CDK_DEFAULT_ACCOUNT, region: config.region ?? env.CDK_DEFAULT_REGION };
}
