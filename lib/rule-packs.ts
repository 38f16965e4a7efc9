import { CloudFormationValidatePlugin, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';

export interface RulePackOptions {
  /**
   * Also run CDK's CloudFormation schema and rule validation. It costs about
   * 2.5 s of CPU per synth, so `cdk synth` leaves it to `-c cfnValidation=true`;
   * the test suite and CI run it on every shipped stage.
   * @default false
   */
  readonly cloudFormationValidation?: boolean;
}

/**
 * The checks every stage must pass. They run as CDK validation plugins, so an
 * unacknowledged cdk-nag finding (error or, with strictCfnValidateErrors in
 * cdk.json, warning) fails `cdk synth` and the tests instead of scrolling past.
 */
export function addRulePacks(app: App, options: RulePackOptions = {}): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true }));
  if (options.cloudFormationValidation) Validations.of(app).addPlugins(new CloudFormationValidatePlugin());
}
