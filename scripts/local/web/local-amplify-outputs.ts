/**
 * `amplify_outputs.json` for the local run: the project's own builder
 * (scripts/client-config/build-amplify-outputs.ts) fed with the template's
 * outputs resolved to local values, then pointed at the local endpoints. The
 * `custom.local` block tells the web app it runs locally (banner, endpoints).
 */
import type { StageConfig } from '../../../lib/config/stage-config';
import { OPTIONAL_OUTPUT_NAMES, REQUIRED_OUTPUT_NAMES, type OutputsByName } from '../../../contracts/output-names';
import type { AmplifyOutputs } from '../../../contracts/amplify-outputs';
import { buildAmplifyOutputs } from '../../../lib/client-config/build-amplify-outputs';
import type { CfnLocalTemplate } from '../template/local-template';

export interface LocalEndpointUrls {
  readonly web: string;
  readonly api: string;
  readonly cognitoIdp: string;
  readonly cognitoIdentity: string;
  readonly s3: string;
  readonly dynamodb: string;
  readonly mailbox: string;
}

/** The stack's outputs as `cdk deploy --outputs-file` would list them, with local values. */
export function localStackOutputs(template: CfnLocalTemplate, apiUrl: string): OutputsByName {
  const outputs: Record<string, string> = {};
  for (const name of [...REQUIRED_OUTPUT_NAMES, ...OPTIONAL_OUTPUT_NAMES]) {
    const output = template.outputs[name];
    if (!output) continue;
    // Outputs of resources the local run does not emulate (the CloudFront site, SSM) stay out.
    if (name === 'WebAppUrl' || name === 'SignInDomain' || name === 'SignInDomainAliasTarget') continue;
    outputs[name] = template.resolve<string>(output.Value);
  }
  outputs.ApiUrl = apiUrl;
  return outputs as unknown as OutputsByName;
}

export function localAmplifyOutputs(input: {
  readonly stage: string;
  readonly stackName: string;
  readonly config: StageConfig;
  readonly outputs: OutputsByName;
  readonly endpoints: LocalEndpointUrls;
}): AmplifyOutputs & { custom: { local: Record<string, unknown> } } {
  // No hosted sign-in domain locally: federated buttons would leave for a real Cognito domain.
  const config: StageConfig = { ...input.config, domain: undefined };
  const document = buildAmplifyOutputs({ stage: input.stage, stackName: input.stackName, config, outputs: input.outputs });
  const { oauth: _hostedSignIn, ...auth } = document.auth;
  return {
    ...document,
    auth,
    custom: {
      ...document.custom,
      auth: { ...document.custom.auth, identity_providers: [], oidc_providers: [], saml_providers: [] },
      local: {
        running_locally: true,
        user_pool_endpoint: input.endpoints.cognitoIdp,
        identity_pool_endpoint: input.endpoints.cognitoIdentity,
        s3_endpoint: input.endpoints.s3,
        mailbox: input.endpoints.mailbox,
      },
    },
  };
}
