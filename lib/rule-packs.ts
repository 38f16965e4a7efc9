import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';

/**
 * The cdk-nag packs every stage must pass. They run as CDK validation plugins,
 * so an unacknowledged finding fails `cdk synth` (and the tests) instead of
 * scrolling past as a warning.
 */
export function addRulePacks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true }));
}
