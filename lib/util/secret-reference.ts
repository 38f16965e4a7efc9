import { SecretValue } from 'aws-cdk-lib';

/** A Secrets Manager secret by name or ARN, optionally one JSON field of it. */
export interface SecretReference {
  readonly secretName: string;
  /** @default - the whole secret string */
  readonly jsonField?: string;
}

/**
 * A `{{resolve:secretsmanager:…}}` dynamic reference: CloudFormation reads the
 * value at deploy time, so it never appears in the template, the cloud
 * assembly or this repository.
 */
export function secretFromReference(ref: SecretReference): SecretValue {
  return SecretValue.secretsManager(ref.secretName, ref.jsonField ? { jsonField: ref.jsonField } : undefined);
}
