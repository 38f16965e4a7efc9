import { Stage, type CfnOutput, type StageProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { CognitoAccessStack } from '../composition/cognito-access-stack';
import type { StageConfig } from '../config/stage-config';
import { addStageStack } from '../composition/stage-stack';
import { smokeStepRoleName, smokeTesterRoleName } from './role-names';
import { SmokeTesterStack } from './smoke-tester-stack';

export interface CognitoAccessStageProps extends StageProps {
  /** The stage name, e.g. `prod`. */
  readonly stage: string;
  /** Its validated `config/<stage>.json`. */
  readonly config: StageConfig;
  /** The account the pipeline runs in (its smoke-test role is trusted). */
  readonly pipelineAccount: string;
  readonly env: { readonly account: string; readonly region: string };
}

/**
 * One stage as the pipeline deploys it: the same `CognitoAccess-<stage>`
 * stack `cdk deploy -c stage=<stage>` builds (through `addStageStack`), plus
 * the role its smoke test assumes.
 */
export class CognitoAccessStage extends Stage {
  public readonly stack: CognitoAccessStack;
  public readonly smokeTester: SmokeTesterStack;

  constructor(scope: Construct, id: string, props: CognitoAccessStageProps) {
    super(scope, id, props);
    this.stack = addStageStack(this, props.stage, props.config, props.env);
    this.smokeTester = new SmokeTesterStack(this, `${this.stack.stackName}-SmokeTester`, {
      env: props.env,
      stackName: `${this.stack.stackName}-SmokeTester`,
      stage: props.stage,
      roleName: smokeTesterRoleName(props.stage),
      trustedRoleArn: `arn:aws:iam::${props.pipelineAccount}:role/${smokeStepRoleName(props.stage)}`,
      pipelineAccount: props.pipelineAccount,
      stageStackName: this.stack.stackName,
    });
  }

  /** The stack outputs the smoke test reads (cdk-outputs.json keys). */
  public get outputs(): Readonly<Record<string, CfnOutput>> {
    return this.stack.outputs.outputs;
  }
}
