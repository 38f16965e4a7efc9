import { SecretValue } from 'aws-cdk-lib';

/** A Secrets Manager secret by name or ARN, optionally one JSON field of one version of it. */
export interface SecretReference {
  readonly secretName: string;
  /** @default - the whole secret string */
  readonly jsonField?: string;
  /**
   * One version of the secret. CloudFormation re-reads a dynamic reference
   * only when its text changes, so a rotated value reaches the stack when this
   * changes. Exclusive with `versionStage`.
   * @default - the AWSCURRENT version
   */
  readonly versionId?: string;
  /**
   * The version with this staging label. Exclusive with `versionId`.
   * @default - AWSCURRENT
   */
  readonly versionStage?: string;
}

/**
 * A `{{resolve:secretsmanager:…}}` dynamic reference: CloudFormation reads the
 * value at deploy time, so it never appears in the template, the cloud
 * assembly or this repository.
 */
export function secretFromReference(ref: SecretReference): SecretValue {
  // SecretValue.secretsManager itself refuses versionId together with versionStage.
  const options = { jsonField: ref.jsonField, versionId: ref.versionId, versionStage: ref.versionStage };
  const given = Object.values(options).some((value) => value !== undefined);
  return SecretValue.secretsManager(ref.secretName, given ? options : undefined);
}
