/**
 * `acknowledgements`: rule-pack findings and stateful-resource replacements a
 * stage accepts on purpose. lib/composition/stage-acknowledgements.ts applies
 * them; whether a path names a construct only the stack can tell.
 */
import { z } from 'zod';

/** Both kinds of acknowledgement share the key, so they share its text. */
const ACK_REASON_TEXT = 'Why this stage accepts it, true of this stage (at least 20 characters).';

/**
 * A finding the stage accepts: the rule ID as the pack reports it (e.g.
 * `AwsSolutions-COG2`, or `AwsSolutions-IAM5[Resource::…]`), why, and
 * optionally the construct path below the stack it is limited to.
 */
const acknowledgement = z.strictObject({
  id: z
    .string()
    .regex(
      /^((AwsSolutions|Serverless|NIST\.800\.53\.R[45]|HIPAA\.Security|PCI\.DSS\.321)-[A-Za-z0-9]+(\[.+\])?|cdk-validator-cfnguard::[a-z0-9_]+)$/,
      'a rule-pack finding ID such as "AwsSolutions-COG2" or "cdk-validator-cfnguard::s3_bucket_versioning_enabled_check"',
    )
    .describe('A cdk-nag finding (AwsSolutions-…, Serverless-…, optionally with [Resource::…]) or a Control Tower one (cdk-validator-cfnguard::<rule>).'),
  reason: z.string().min(20, 'a reason of at least 20 characters that says why this stage accepts the finding').describe(ACK_REASON_TEXT),
  path: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9/_.-]*$/, 'a construct path below the stack, e.g. "UserDirectory/UserPool"')
    .optional()
    .describe('Limit the acknowledgement to this construct and its children. @default the whole stack'),
});

/**
 * A stateful resource this release replaces, removes or orphans on purpose:
 * its logical ID and why. Only this (never a CLI flag) lets the release guard
 * pass such a change (docs/design.md, "Release guard and pipeline").
 */
const replacementAcknowledgement = z.strictObject({
  replacement: z
    .string()
    .regex(/^[A-Za-z0-9]{1,255}$/, 'a CloudFormation logical ID such as "IdentityStorageTable1A2B3C4D"')
    .describe('Logical ID of the stateful resource this release replaces, removes or orphans on purpose.'),
  reason: z.string().min(20, "a reason of at least 20 characters that says why losing this resource's data is intended").describe(ACK_REASON_TEXT),
});

export const acknowledgements = z
  .array(z.union([acknowledgement, replacementAcknowledgement]))
  .default([])
  .describe(
    'Rule-pack findings ({ id, reason, path? }) and stateful-resource replacements ({ replacement, reason }) this stage accepts on purpose, each with a reason that is true of this stage. Any other finding fails synth; any other replacement fails the release guard.',
  );

export type RulePackAcknowledgement = z.output<typeof acknowledgement>;
export type ReplacementAcknowledgement = z.output<typeof replacementAcknowledgement>;
