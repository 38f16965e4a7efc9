/**
 * Names both sides of a cross-account trust must agree on, so the stage
 * account can trust one named role of the pipeline account instead of the
 * whole account.
 */
import { DefaultStackSynthesizer } from 'aws-cdk-lib';

/** The CDK bootstrap lookup role: ReadOnlyAccess, trusted by `--trust-for-lookup <pipeline account>`. */
export function lookupRoleArn(account: string, region: string): string {
  return `arn:aws:iam::${account}:role/cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-lookup-role-${account}-${region}`;
}

/** The pipeline account's CodeBuild role that runs a stage's smoke test. */
export function smokeStepRoleName(stage: string): string {
  return `cognito-access-${stage}-smoke-step`;
}

/** The stage account's role the smoke test assumes (created by `SmokeTesterStack`). */
export function smokeTesterRoleName(stage: string): string {
  return `cognito-access-${stage}-smoke-tester`;
}
