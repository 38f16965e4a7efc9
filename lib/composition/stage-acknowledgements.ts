import { Validations, type Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { StageConfig } from '../config/stage-config';
import { ValidationError } from '../util/validation-error';

/** The constructs a stage-level acknowledgement can land on. */
export interface AcknowledgementTargets {
  readonly stack: Stack;
  readonly userPool: IConstruct;
  readonly identityPool: IConstruct;
  readonly bucket: IConstruct;
  readonly api: IConstruct;
  readonly apiStage: IConstruct;
}

/**
 * A finding that a throwaway stage may leave standing because of one of its
 * own settings. Each applies only when the setting that causes it is there, so
 * its reason is true of the stage it lands on.
 */
interface ThrowawayRelaxation {
  readonly id: string;
  readonly applies: (config: StageConfig) => boolean;
  readonly target: (targets: AcknowledgementTargets) => IConstruct;
  readonly because: (config: StageConfig) => string;
}

const THROWAWAY_RELAXATIONS: readonly ThrowawayRelaxation[] = [
  {
    id: 'AwsSolutions-COG2',
    applies: (c) => c.userPool.mfa.mode !== 'required',
    target: (t) => t.userPool,
    because: (c) => `it sets userPool.mfa.mode "${c.userPool.mfa.mode}" so test users can sign in without enrolling a second factor`,
  },
  {
    id: 'AwsSolutions-COG8',
    applies: (c) => c.userPool.featurePlan !== 'plus',
    target: (t) => t.userPool,
    because: (c) =>
      `it sets userPool.featurePlan "${c.userPool.featurePlan}"; threat protection (Plus) is billed per active user and protects no real users here`,
  },
  {
    id: 'AwsSolutions-COG7',
    applies: (c) => c.identityPool.allowGuests,
    target: (t) => t.identityPool,
    because: () => 'it sets identityPool.allowGuests; the guest role carries no policy, so a guest reaches no file or item',
  },
  {
    id: 'AwsSolutions-S1',
    applies: (c) => !c.storage.accessLogs,
    target: (t) => t.bucket,
    because: () => 'it sets storage.accessLogs false; no real user data is stored here',
  },
  {
    id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
    applies: (c) => !c.storage.accessLogs,
    target: (t) => t.bucket,
    because: () => 'it sets storage.accessLogs false; no real user data is stored here',
  },
  {
    id: 'AwsSolutions-APIG3',
    applies: (c) => c.api.webAclArn === undefined && !c.protection.waf.enabled,
    target: (t) => t.api,
    because: () => 'it sets no web ACL; every route still needs a Cognito token and the stage is throttled',
  },
  {
    id: 'AwsSolutions-APIG6',
    applies: (c) => c.api.executionLogLevel === 'off',
    target: (t) => t.api,
    because: () =>
      'it sets api.executionLogLevel "off" so it deploys into accounts without the API Gateway CloudWatch role; JSON access logs are still written',
  },
  {
    id: 'cdk-validator-cfnguard::api_gw_v1_execution_logging_enabled_check',
    applies: (c) => c.api.executionLogLevel === 'off',
    target: (t) => t.apiStage,
    because: () =>
      'it sets api.executionLogLevel "off" so it deploys into accounts without the API Gateway CloudWatch role; JSON access logs are still written',
  },
  {
    id: 'Serverless-APIGWXrayEnabled',
    applies: (c) => !c.api.tracing,
    target: (t) => t.apiStage,
    because: () => 'it sets api.tracing false; access logs and metrics still cover every request',
  },
  {
    id: 'cdk-validator-cfnguard::api_gw_xray_enabled_check',
    applies: (c) => !c.api.tracing,
    target: (t) => t.apiStage,
    because: () => 'it sets api.tracing false; access logs and metrics still cover every request',
  },
  {
    id: 'Serverless-LambdaTracing',
    applies: (c) => !c.api.tracing,
    // Every handler of the stack: the API's and the upload checker.
    target: (t) => t.stack,
    because: () => 'it sets api.tracing false; each handler still writes one structured log line per request',
  },
  {
    id: 'cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
    applies: (c) => !c.protection.logEncryption,
    target: (t) => t.stack,
    because: () => "it sets protection.logEncryption false; its logs hold no real user's requests and CloudWatch Logs still encrypts them with its own key",
  },
  {
    id: 'cdk-validator-cfnguard::cloudwatch_log_group_retention_period_check',
    applies: (c) => Math.min(c.api.accessLogRetentionDays, c.api.handlerLogRetentionDays) < 365,
    target: (t) => t.stack,
    because: (c) =>
      `it keeps logs ${Math.min(c.api.accessLogRetentionDays, c.api.handlerLogRetentionDays)} days (api.accessLogRetentionDays / handlerLogRetentionDays); there is no production traffic to audit a year later`,
  },
  {
    id: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
    applies: (c) => !c.storage.kmsEncryption,
    target: (t) => t.bucket,
    because: () => 'it sets storage.kmsEncryption false; S3-managed keys still encrypt every object and a KMS key would bill per request for test data',
  },
];

/**
 * Every acknowledgement that follows from a stage's config, in one place
 * (docs/design.md, "Acknowledgements"). Two sources only:
 * - a `removal: "destroy"` stage relaxes the findings its own settings cause
 *   (above), with a reason naming the stage and the setting;
 * - the stage file's `acknowledgements`, applied as written.
 * A retained stage therefore fails synth on every finding its file does not
 * accept in so many words. Constructs acknowledge only what their own design causes.
 */
export function acknowledgeStageFindings(stage: string, config: StageConfig, targets: AcknowledgementTargets): void {
  if (config.removal === 'destroy') {
    for (const relaxation of THROWAWAY_RELAXATIONS) {
      if (!relaxation.applies(config)) continue;
      Validations.of(relaxation.target(targets)).acknowledge({
        id: relaxation.id,
        reason: `Stage "${stage}" is a throwaway stage (removal "destroy", no real users): ${relaxation.because(config)}.`,
      });
    }
  }
  config.acknowledgements.forEach((ack, index) => {
    // `{ replacement, reason }` entries are for the release guard, not the rule packs.
    if (!('id' in ack)) return;
    const scope = ack.path === undefined ? targets.stack : findPath(targets.stack, ack.path);
    if (!scope) {
      throw new ValidationError(`acknowledgements[${index}].path "${ack.path}" names no construct in this stack.`, targets.stack);
    }
    Validations.of(scope).acknowledge({ id: ack.id, reason: `Stage "${stage}": ${ack.reason}` });
  });
}

function findPath(root: IConstruct, path: string): IConstruct | undefined {
  let node: IConstruct | undefined = root;
  for (const part of path.split('/')) node = node?.node.tryFindChild(part);
  return node;
}
