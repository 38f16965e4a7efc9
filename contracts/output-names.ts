/**
 * The hand-off contract (docs/design.md, "Outputs"): each value's
 * CloudFormation output name, SSM parameter name and description. The stack
 * writes them and the scripts and client config read them from this one table, so adding an
 * output is one row here plus its value in the stack. Pure data.
 */
export const OUTPUTS = {
  userPoolId: { output: 'UserPoolId', parameter: 'user-pool-id', description: 'Cognito user pool ID', required: true },
  userPoolClientId: { output: 'UserPoolClientId', parameter: 'user-pool-client-id', description: 'Public web app client ID (no secret)', required: true },
  identityPoolId: { output: 'IdentityPoolId', parameter: 'identity-pool-id', description: 'Cognito identity pool ID', required: true },
  region: { output: 'Region', parameter: 'region', description: 'AWS region of the stack', required: true },
  bucketName: { output: 'BucketName', parameter: 'bucket-name', description: 'User files bucket; each identity owns <identityId>/', required: true },
  tableName: { output: 'TableName', parameter: 'table-name', description: 'Items table; partition key is the identity ID', required: true },
  apiUrl: { output: 'ApiUrl', parameter: 'api-url', description: 'REST API base URL (ends with /)', required: true },
  signInDomain: { output: 'SignInDomain', parameter: 'sign-in-domain', description: 'Managed login / OAuth domain', required: false },
  signInDomainAliasTarget: {
    output: 'SignInDomainAliasTarget',
    parameter: 'sign-in-domain-alias-target',
    description: "CloudFront distribution the custom sign-in domain's alias (A/AAAA) record must point at",
    required: false,
  },
  webAppUrl: { output: 'WebAppUrl', parameter: 'web-app-url', description: 'The hosted web app (https://<CloudFront domain>)', required: false },
  alarmTopicArn: {
    output: 'AlarmTopicArn',
    parameter: 'alarm-topic-arn',
    description: 'SNS topic every alarm of the stage notifies; subscribe on-call here',
    required: false,
  },
} as const;

export type OutputKey = keyof typeof OUTPUTS;
type RequiredKey = { [K in OutputKey]: (typeof OUTPUTS)[K]['required'] extends true ? K : never }[OutputKey];
type OptionalKey = Exclude<OutputKey, RequiredKey>;
/** An output's contract name, e.g. `UserPoolId`. */
export type OutputName = (typeof OUTPUTS)[OutputKey]['output'];

/** The stack's values by key; the optional ones exist only with some settings. */
export type OutputValues = { readonly [K in RequiredKey]: string } & { readonly [K in OptionalKey]?: string };
/** The same values by output name, as `cdk deploy --outputs-file` writes them. */
export type OutputsByName = { readonly [K in RequiredKey as (typeof OUTPUTS)[K]['output']]: string } & {
  readonly [K in OptionalKey as (typeof OUTPUTS)[K]['output']]?: string;
};

/** Outputs every deployed stage has. */
export const REQUIRED_OUTPUT_NAMES: readonly OutputName[] = Object.values(OUTPUTS)
  .filter((spec) => spec.required)
  .map((spec) => spec.output);
/** Outputs that exist only with some settings (e.g. a sign-in domain). */
export const OPTIONAL_OUTPUT_NAMES: readonly OutputName[] = Object.values(OUTPUTS)
  .filter((spec) => !spec.required)
  .map((spec) => spec.output);

/** Values by key → the same values by output name, e.g. for the client config builder. */
export function outputsByName(values: OutputValues): OutputsByName {
  const byName: Record<string, string> = {};
  for (const key of Object.keys(OUTPUTS) as OutputKey[]) {
    const value = values[key];
    if (value !== undefined) byName[OUTPUTS[key].output] = value;
  }
  return byName as unknown as OutputsByName;
}
