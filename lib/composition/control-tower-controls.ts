/**
 * Control Tower proactive controls that do not apply to this stack, with why.
 * Everything else in the bundled set runs on every synth with the
 * Control Tower rule pack (lib/composition/rule-packs.ts). A control that finds a real gap
 * is fixed, never listed here; a finding caused by one resource's own design
 * is acknowledged on that resource instead. The "Control Tower controls"
 * table of docs/verification.md is this list.
 */
export interface DisabledControl {
  /** The Control Tower control ID, e.g. `CT.LAMBDA.PR.3`. */
  readonly control: string;
  /** The bundled rule file the validator disables, e.g. `ct-lambda-pr-3`. */
  readonly ruleFile: string;
  /** The cfn-guard rule name the validator reports. */
  readonly rule: string;
  readonly reason: string;
}

export const DISABLED_CONTROLS: readonly DisabledControl[] = [
  {
    control: 'CT.LAMBDA.PR.3',
    ruleFile: 'ct-lambda-pr-3',
    rule: 'lambda_inside_vpc_check',
    reason:
      'The handlers reach only regional AWS APIs (Cognito Identity, S3, DynamoDB) with IAM-scoped roles and no private network resource; a VPC would add NAT or endpoints and cold-start time without narrowing what they can reach.',
  },
  {
    control: 'CT.S3.PR.9',
    ruleFile: 'ct-s3-pr-9',
    rule: 's3_bucket_object_lock_enabled_check',
    reason:
      'Users delete their own files (DELETE /files/{name}) and lifecycle rules expire old versions and access logs; Object Lock would make both impossible. Versioning keeps overwritten files recoverable for the configured days.',
  },
  {
    control: 'CT.S3.PR.4',
    ruleFile: 'ct-s3-pr-4',
    rule: 's3_event_notifications_enabled_check',
    reason:
      'The user-files bucket sends its events to EventBridge for the upload checks, which CDK turns on through a custom resource that this template rule cannot see; the log and site buckets have nothing to notify.',
  },
];
