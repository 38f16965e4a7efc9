import { CfnOutput } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

/** The values app teams consume. `signInDomain` only when a domain exists. */
export interface AccessOutputValues {
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly identityPoolId: string;
  readonly region: string;
  readonly bucketName: string;
  readonly tableName: string;
  readonly apiUrl: string;
  readonly signInDomain?: string;
  /** With a custom domain: the CloudFront name its DNS alias record must point at. */
  readonly signInDomainAliasTarget?: string;
}

export interface AccessOutputsProps {
  readonly values: AccessOutputValues;
  /** Export names are `<exportPrefix>-<OutputName>`, e.g. `CognitoAccess-prod-UserPoolId`. */
  readonly exportPrefix: string;
  /** SSM parameters are `<parameterPrefix>/<kebab-name>`, e.g. `/cognito-access/prod/user-pool-id`. */
  readonly parameterPrefix: string;
}

/** Output name (contract) → SSM parameter name. */
export const OUTPUT_PARAMETERS: Record<keyof AccessOutputValues, { output: string; parameter: string; description: string }> = {
  userPoolId: { output: 'UserPoolId', parameter: 'user-pool-id', description: 'Cognito user pool ID' },
  userPoolClientId: { output: 'UserPoolClientId', parameter: 'user-pool-client-id', description: 'Public web app client ID (no secret)' },
  identityPoolId: { output: 'IdentityPoolId', parameter: 'identity-pool-id', description: 'Cognito identity pool ID' },
  region: { output: 'Region', parameter: 'region', description: 'AWS region of the stack' },
  bucketName: { output: 'BucketName', parameter: 'bucket-name', description: 'User files bucket; each identity owns <identityId>/' },
  tableName: { output: 'TableName', parameter: 'table-name', description: 'Items table; partition key is the identity ID' },
  apiUrl: { output: 'ApiUrl', parameter: 'api-url', description: 'REST API base URL (ends with /)' },
  signInDomain: { output: 'SignInDomain', parameter: 'sign-in-domain', description: 'Managed login / OAuth domain' },
  signInDomainAliasTarget: {
    output: 'SignInDomainAliasTarget',
    parameter: 'sign-in-domain-alias-target',
    description: 'CloudFront distribution the custom sign-in domain\'s alias (A/AAAA) record must point at',
  },
};

/**
 * The hand-off to app teams, twice: CloudFormation outputs with stable export
 * names (for `--outputs-file` and same-account stacks that accept the export
 * lock) and SSM parameters (for everyone else: no lock between stacks).
 */
export class AccessOutputs extends Construct {
  public readonly outputs: Record<string, CfnOutput> = {};
  public readonly parameters: Record<string, ssm.StringParameter> = {};

  constructor(scope: Construct, id: string, props: AccessOutputsProps) {
    super(scope, id);
    for (const [key, spec] of Object.entries(OUTPUT_PARAMETERS) as [keyof AccessOutputValues, (typeof OUTPUT_PARAMETERS)[keyof AccessOutputValues]][]) {
      const value = props.values[key];
      if (value === undefined) continue;
      const output = new CfnOutput(this, spec.output, {
        value,
        description: spec.description,
        exportName: `${props.exportPrefix}-${spec.output}`,
      });
      // The output name is the contract (cdk-outputs.json keys), not a path-derived ID.
      output.overrideLogicalId(spec.output);
      this.outputs[spec.output] = output;
      this.parameters[spec.output] = new ssm.StringParameter(this, `${spec.output}Parameter`, {
        parameterName: `${props.parameterPrefix}/${spec.parameter}`,
        stringValue: value,
        description: `cognito-access: ${spec.description}`,
      });
    }
  }
}
