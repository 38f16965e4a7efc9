/**
 * The part of the Amplify outputs schema, version 1.4, that this project
 * writes (`amplify_outputs.json`). Field names follow the schema of
 * `@aws-amplify/backend` exactly; `Amplify.configure()` in aws-amplify v6 reads
 * them through `parseAmplifyOutputs`. `auth` and `auth.oauth` allow no extra
 * keys, so anything Amplify's schema has no field for goes under `custom`.
 */
import type { AmplifySocialProvider } from './provider-names';

export const AMPLIFY_OUTPUTS_VERSION = '1.4';

export type StorageAction = 'get' | 'list' | 'write' | 'delete';

export interface AmplifyOutputs {
  readonly version: typeof AMPLIFY_OUTPUTS_VERSION;
  readonly auth: AmplifyAuthOutputs;
  readonly storage: AmplifyStorageOutputs;
  readonly custom: CognitoAccessCustomOutputs;
}

export interface AmplifyAuthOutputs {
  readonly aws_region: string;
  readonly user_pool_id: string;
  readonly user_pool_client_id: string;
  readonly identity_pool_id: string;
  readonly password_policy: {
    readonly min_length: number;
    readonly require_numbers: boolean;
    readonly require_lowercase: boolean;
    readonly require_uppercase: boolean;
    readonly require_symbols: boolean;
  };
  /** Only when the stage has a sign-in domain: without one there is no hosted sign-in to redirect to. */
  readonly oauth?: {
    readonly identity_providers: AmplifySocialProvider[];
    readonly domain: string;
    readonly scopes: string[];
    readonly redirect_sign_in_uri: string[];
    readonly redirect_sign_out_uri: string[];
    readonly response_type: 'code';
  };
  readonly standard_required_attributes: string[];
  readonly username_attributes: string[];
  readonly user_verification_types: string[];
  readonly unauthenticated_identities_enabled: boolean;
  readonly mfa_configuration: 'NONE' | 'OPTIONAL' | 'REQUIRED';
  readonly mfa_methods: Array<'SMS' | 'TOTP' | 'EMAIL'>;
  readonly groups: Array<Record<string, { precedence?: number }>>;
  /**
   * Only with choice-based sign-in (a first factor besides the password):
   * Amplify's `signIn` with `authFlowType: 'USER_AUTH'` reads it.
   */
  readonly passwordless?: {
    readonly email_otp_enabled: boolean;
    readonly sms_otp_enabled: boolean;
    /** Only when passkeys are a first factor. */
    readonly web_authn?: { readonly relying_party_id: string; readonly user_verification: 'preferred' | 'required' };
  };
}

export interface AmplifyStorageOutputs {
  readonly aws_region: string;
  readonly bucket_name: string;
  readonly buckets: Array<{
    readonly name: string;
    readonly bucket_name: string;
    readonly aws_region: string;
    readonly paths: Record<string, Record<string, StorageAction[]>>;
  }>;
}

/**
 * `custom` is passed through by the schema and ignored by `Amplify.configure()`
 * (it reads only `custom.events`), so apps read these keys from the JSON file
 * itself. `API` follows Amplify's documented shape for an existing REST API,
 * ready to be spread into `API.REST`.
 */
export interface CognitoAccessCustomOutputs {
  readonly API: Record<string, { readonly endpoint: string; readonly region: string; readonly apiName: string }>;
  readonly auth: {
    /** The domain the hosted sign-in runs on (same as `auth.oauth.domain`), when there is one. */
    readonly oauth_domain?: string;
    /** Set only when the stage uses a custom domain; Amplify's own generator drops it. */
    readonly custom_domain?: string;
    /** Cognito's names of every federated provider, for `signInWithRedirect({ provider: { custom: name } })`. */
    readonly identity_providers: string[];
    readonly oidc_providers: string[];
    readonly saml_providers: string[];
    /** The stage's first sign-in factors (`password`, `emailOtp`, `smsOtp`, `passkey`), for the app's sign-in screen. */
    readonly first_factors: string[];
    /** The stage's `userPool.selfSignUp`: whether the page offers "Create an account". */
    readonly self_sign_up: boolean;
  };
  readonly cognito_access: {
    readonly stage: string;
    readonly stack_name: string;
    readonly table_name: string;
    /** The stage's `storage.maxUploadBytes`: the web app refuses a larger file before sending it. */
    readonly max_upload_bytes: number;
    /** The stage's `storage.allowedContentTypes`: the web app uploads only these types. */
    readonly allowed_content_types: string[];
  };
}
