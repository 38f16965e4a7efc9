/**
 * Pure mapping from a validated stage config plus the deployed stack's outputs
 * to `amplify_outputs.json`. No I/O, so tests check the exact document. The
 * output values may be CDK tokens: the stack builds the hosted site's copy
 * from its own resources with this same function, written at deploy time.
 */
import { PASSWORDLESS_FACTORS, type StageConfig } from '../../lib/config/stage-config';
import { webAppCallbackUrl, webAppLogoutUrl } from '../../lib/web-app/web-app-urls';
import { CliInputError } from '../common/cli-error';
import type { StackOutputs } from '../common/stack-outputs';
import {
  AMPLIFY_OUTPUTS_VERSION,
  type AmplifyAuthOutputs,
  type AmplifyOutputs,
  type AmplifySocialProvider,
  type AmplifyStorageOutputs,
} from './amplify-outputs';

/** Every fixed choice of the generated file, in one place. */
export const CLIENT_CONFIG_DEFAULTS = {
  /** The key under `custom.API` (and so under `API.REST`): `get({ apiName: 'cognitoAccess', path: 'me' })`. */
  restApiName: 'cognitoAccess',
  /** Amplify's friendly name of the bucket: `uploadData({ options: { bucket: 'files' } })`. */
  bucketFriendlyName: 'files',
  /**
   * Each identity's own prefix. Amplify substitutes `{entity_id}` with the
   * identity pool ID (`region:GUID`), the same value IAM sees as
   * `${cognito-identity.amazonaws.com:sub}`.
   */
  ownPath: '{entity_id}/*',
  ownPathActions: ['get', 'list', 'write', 'delete'],
  /** The user pool signs in by email (see lib/user-directory) and requires it. */
  usernameAttributes: ['email'],
  requiredAttributes: ['email'],
  verificationTypes: ['email'],
  /** Authorization-code grant with PKCE; the app client allows no implicit grant. */
  responseType: 'code',
} as const;

/** Cognito's provider names for the social providers, and the schema's enum for each. */
const SOCIAL_PROVIDERS = [
  { key: 'google', schema: 'GOOGLE', cognitoName: 'Google' },
  { key: 'facebook', schema: 'FACEBOOK', cognitoName: 'Facebook' },
  { key: 'amazon', schema: 'LOGIN_WITH_AMAZON', cognitoName: 'LoginWithAmazon' },
  { key: 'apple', schema: 'SIGN_IN_WITH_APPLE', cognitoName: 'SignInWithApple' },
] as const satisfies ReadonlyArray<{ key: keyof StageConfig['identityProviders']; schema: AmplifySocialProvider; cognitoName: string }>;

const MFA_CONFIGURATION = { off: 'NONE', optional: 'OPTIONAL', required: 'REQUIRED' } as const;

export interface ClientConfigInput {
  readonly stage: string;
  readonly stackName: string;
  readonly config: StageConfig;
  readonly outputs: StackOutputs;
}

export function buildAmplifyOutputs(input: ClientConfigInput): AmplifyOutputs {
  const { config, outputs } = input;
  const providers = federatedProviderNames(config.identityProviders);
  const oauthDomain = signInDomain(input);
  return {
    version: AMPLIFY_OUTPUTS_VERSION,
    auth: buildAuth(config, outputs, oauthDomain),
    storage: buildStorage(outputs),
    custom: {
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
      },
      cognito_access: { stage: input.stage, stack_name: input.stackName, table_name: outputs.TableName },
    },
  };
}

function buildAuth(config: StageConfig, outputs: StackOutputs, oauthDomain: string | undefined): AmplifyAuthOutputs {
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
            identity_providers: social.map((p) => p.schema),
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
  const relyingPartyId = passkeyRelyingPartyId ?? signInHost;
  if (firstFactors.includes('passkey') && !relyingPartyId) {
    throw new CliInputError('the stage offers passkeys but names no relying party and has no sign-in domain; fix its config');
  }
  return {
    passwordless: {
      email_otp_enabled: firstFactors.includes('emailOtp'),
      sms_otp_enabled: firstFactors.includes('smsOtp'),
      ...(firstFactors.includes('passkey') ? { web_authn: { relying_party_id: relyingPartyId!, user_verification: passkeyUserVerification } } : {}),
    },
  };
}

function buildStorage(outputs: StackOutputs): AmplifyStorageOutputs {
  return {
    aws_region: outputs.Region,
    bucket_name: outputs.BucketName,
    buckets: [
      {
        name: CLIENT_CONFIG_DEFAULTS.bucketFriendlyName,
        bucket_name: outputs.BucketName,
        aws_region: outputs.Region,
        paths: { [CLIENT_CONFIG_DEFAULTS.ownPath]: { entityidentity: [...CLIENT_CONFIG_DEFAULTS.ownPathActions] } },
      },
    ],
  };
}

/**
 * The hosted sign-in domain: a custom domain when the stage has one (that is
 * what users should see), else the deployed `SignInDomain` output.
 */
function signInDomain({ config, outputs, stackName }: ClientConfigInput): string | undefined {
  if (config.domain && 'customDomain' in config.domain) return config.domain.customDomain.name;
  if (config.domain && !outputs.SignInDomain) {
    throw new CliInputError(
      `${stackName}: missing output SignInDomain, but the stage config sets a domain; redeploy the stage (or remove "domain" from its config)`,
    );
  }
  return outputs.SignInDomain;
}

function federatedProviderNames(idps: StageConfig['identityProviders']) {
  return {
    social: SOCIAL_PROVIDERS.filter((p) => idps[p.key] !== undefined),
    oidc: idps.oidc.map((p) => p.name),
    saml: idps.saml.map((p) => p.name),
  };
}
