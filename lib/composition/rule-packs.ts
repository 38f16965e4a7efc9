import { CloudFormationValidatePlugin, Validations, type App } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { DISABLED_CONTROLS } from './control-tower-controls';

export interface RulePackOptions {
  /**
   * Also run CDK's CloudFormation schema and rule validation. It costs about
   * 2.5 s of CPU per synth, so `cdk synth` leaves it to `-c cfnValidation=true`;
   * the test suite and CI run it on every shipped stage.
   * @default false
   */
  readonly cloudFormationValidation?: boolean;
  /**
   * Also run the Control Tower proactive controls (cfn-guard), less the ones
   * listed in `control-tower-controls.ts`. `cdk synth` leaves it to
   * `-c controlTower=true`; the test suite and CI run it on every shipped stage.
   * @default false
   */
  readonly controlTower?: boolean;
}

/**
 * The checks every stage must pass. They run as CDK validation plugins, so an
 * unacknowledged cdk-nag finding (error or, with strictCfnValidateErrors in
 * cdk.json, warning) fails `cdk synth` and the tests instead of scrolling past.
 */
export function addRulePacks(app: App, options: RulePackOptions = {}): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true }));
  if (options.cloudFormationValidation) Validations.of(app).addPlugins(new CloudFormationValidatePlugin());
  if (options.controlTower) {
    Validations.of(app).addPlugins(new CfnGuardValidator({ controlTowerRulesEnabled: true, disabledRules: DISABLED_CONTROLS.map((c) => c.ruleFile) }));
  }
}
