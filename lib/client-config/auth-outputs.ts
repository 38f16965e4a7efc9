/** The `auth` section of `amplify_outputs.json`, and the sign-in domain and providers it names. */
import { PASSWORDLESS_FACTORS, type StageConfig } from '../config/stage-config';
import type { OutputsByName } from '../../contracts/output-names';
import { webAppCallbackUrl, webAppLogoutUrl } from '../../contracts/web-app-urls';
import type { AmplifyAuthOutputs } from '../../contracts/amplify-outputs';
import { SOCIAL_PROVIDERS } from '../../contracts/provider-names';
import { CLIENT_CONFIG_DEFAULTS } from './client-config-defaults';
import { ClientConfigError } from './client-config-error';
import { MissingRelyingPartyError, passkeyRelyingPartyOf } from '../user-directory/passkey-relying-party';

const MFA_CONFIGURATION = { off: 'NONE', optional: 'OPTIONAL', required: 'REQUIRED' } as const;

export function buildAuth(config: StageConfig, outputs: OutputsByName, oauthDomain: string | undefined): AmplifyAuthOutputs {
  const pool = config.userPool;
  const client = config.webClient;
  const policy = pool.passwordPolicy;
  const social = federatedProviderNames(config.identityProviders).social;
  return {
    aws_region: outputs.Region,
    user_pool_id: outputs.UserPoolId,
    user_pool_client_id: outputs.UserPoolClientId,
    identity_pool_id: outputs.IdentityPoolId,
    password_policy: {
      min_length: policy.minLength,
      require_numbers: policy.requireDigits,
      require_lowercase: policy.requireLowercase,
      require_uppercase: policy.requireUppercase,
      require_symbols: policy.requireSymbols,
    },
    ...(oauthDomain
      ? {
          oauth: {
            identity_providers: social.map((p) => p.amplifyName),
            domain: oauthDomain,
            scopes: [...client.scopes],
            // The hosted web app's URLs are registered on the client too (the stack adds them).
            redirect_sign_in_uri: [...client.callbackUrls, ...(outputs.WebAppUrl ? [webAppCallbackUrl(outputs.WebAppUrl)] : [])],
            redirect_sign_out_uri: [...client.logoutUrls, ...(outputs.WebAppUrl ? [webAppLogoutUrl(outputs.WebAppUrl)] : [])],
            response_type: CLIENT_CONFIG_DEFAULTS.responseType,
          },
        }
      : {}),
    standard_required_attributes: [...CLIENT_CONFIG_DEFAULTS.requiredAttributes],
    username_attributes: [...CLIENT_CONFIG_DEFAULTS.usernameAttributes],
    user_verification_types: [...CLIENT_CONFIG_DEFAULTS.verificationTypes],
    // Guests (off unless identityPool.allowGuests) get a role with no access to files or items.
    unauthenticated_identities_enabled: config.identityPool.allowGuests,
    mfa_configuration: MFA_CONFIGURATION[pool.mfa.mode],
    mfa_methods:
      pool.mfa.mode === 'off'
        ? []
        : [...(pool.mfa.sms ? (['SMS'] as const) : []), ...(pool.mfa.totp ? (['TOTP'] as const) : []), ...(pool.mfa.email ? (['EMAIL'] as const) : [])],
    groups: pool.groups.map((group) => ({ [group.name]: group.precedence === undefined ? {} : { precedence: group.precedence } })),
    ...passwordlessOutputs(config, oauthDomain),
  };
}

/**
 * Schema 1.4's `auth.passwordless`, written only when the stage offers a
 * choice of first factors. The passkey relying party is the configured one or,
 * as in the user pool, the sign-in domain's host.
 */
function passwordlessOutputs(config: StageConfig, signInHost: string | undefined): Pick<AmplifyAuthOutputs, 'passwordless'> {
  const { firstFactors, passkeyRelyingPartyId, passkeyUserVerification } = config.userPool.signIn;
  if (!firstFactors.some((factor) => PASSWORDLESS_FACTORS.includes(factor))) return {};
  let relyingPartyId: string | undefined;
  try {
    relyingPartyId = passkeyRelyingPartyOf(firstFactors.includes('passkey'), passkeyRelyingPartyId, signInHost);
  } catch (error) {
    if (error instanceof MissingRelyingPartyError) throw new ClientConfigError(`${error.message} The stage file no longer matches what was deployed.`);
    throw error;
  }
  return {
    passwordless: {
      email_otp_enabled: firstFactors.includes('emailOtp'),
      sms_otp_enabled: firstFactors.includes('smsOtp'),
      ...(firstFactors.includes('passkey') ? { web_authn: { relying_party_id: relyingPartyId!, user_verification: passkeyUserVerification } } : {}),
    },
  };
}

export /**
 * The hosted sign-in domain: a custom domain when the stage has one (that is
 * what users should see), else the deployed `SignInDomain` output.
 */
function signInDomain({
  config,
  outputs,
  stackName,
}: {
  readonly config: StageConfig;
  readonly outputs: OutputsByName;
  readonly stackName: string;
}): string | undefined {
  if (config.domain && 'customDomain' in config.domain) return config.domain.customDomain.name;
  if (config.domain && !outputs.SignInDomain) {
    throw new ClientConfigError(
      `${stackName}: missing output SignInDomain, but the stage config sets a domain; redeploy the stage (or remove "domain" from its config)`,
    );
  }
  return outputs.SignInDomain;
}

export function federatedProviderNames(idps: StageConfig['identityProviders']) {
  return {
    social: SOCIAL_PROVIDERS.filter((p) => idps[p.key] !== undefined),
    oidc: idps.oidc.map((p) => p.name),
    saml: idps.saml.map((p) => p.name),
  };
}
