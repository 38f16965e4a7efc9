/** The `custom` section of `amplify_outputs.json`: the REST API, sign-in choices and the stage's upload limits. */
import type { AmplifyOutputs } from '../../contracts/amplify-outputs';
import { federatedProviderNames } from './auth-outputs';
import { CLIENT_CONFIG_DEFAULTS } from './client-config-defaults';
import type { ClientConfigInput } from './build-amplify-outputs';

export function buildCustom(input: ClientConfigInput, oauthDomain: string | undefined): AmplifyOutputs['custom'] {
  const { config, outputs } = input;
  const providers = federatedProviderNames(config.identityProviders);
  return {
    API: {
      [CLIENT_CONFIG_DEFAULTS.restApiName]: {
        endpoint: outputs.ApiUrl,
        region: outputs.Region,
        apiName: CLIENT_CONFIG_DEFAULTS.restApiName,
      },
    },
    auth: {
      ...(oauthDomain ? { oauth_domain: oauthDomain } : {}),
      ...(config.domain && 'customDomain' in config.domain ? { custom_domain: config.domain.customDomain.name } : {}),
      identity_providers: [...providers.social.map((p) => p.cognitoName), ...providers.oidc, ...providers.saml],
      oidc_providers: providers.oidc,
      saml_providers: providers.saml,
      first_factors: [...config.userPool.signIn.firstFactors],
      // The page offers "Create an account" only where the pool lets users sign themselves up.
      self_sign_up: config.userPool.selfSignUp,
    },
    cognito_access: {
      stage: input.stage,
      stack_name: input.stackName,
      table_name: outputs.TableName,
      // The same limits the upload URL and the checker enforce, so the page can refuse early.
      max_upload_bytes: config.storage.maxUploadBytes,
      allowed_content_types: [...config.storage.allowedContentTypes],
    },
  };
}
