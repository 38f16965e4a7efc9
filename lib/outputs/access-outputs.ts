import { CfnOutput } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { OUTPUTS, type OutputKey, type OutputValues } from '../../contracts/output-names';

/** The values app teams consume, by their key in `OUTPUTS`. */
export type AccessOutputValues = OutputValues;

export interface AccessOutputsProps {
  readonly values: AccessOutputValues;
  /** Export names are `<exportPrefix>-<OutputName>`, e.g. `CognitoAccess-prod-UserPoolId`. */
  readonly exportPrefix: string;
  /** SSM parameters are `<parameterPrefix>/<kebab-name>`, e.g. `/cognito-access/prod/user-pool-id`. */
  readonly parameterPrefix: string;
}

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
    for (const key of Object.keys(OUTPUTS) as OutputKey[]) {
      const spec = OUTPUTS[key];
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
