/**
 * Reads `/amplify_outputs.json` (written by `npm run client-config`) from the
 * site's own origin and picks out what the screens need beyond what
 * `Amplify.configure()` reads itself.
 */
import type { AmplifyOutputs } from '../../contracts/amplify-outputs';
import { UPLOAD_DEFAULTS } from '../../contracts/handler-env';
import { SOCIAL_PROVIDERS, type AmplifyRedirectProvider } from '../../contracts/provider-names';

/** Amplify's `signInWithRedirect` name of each social provider, by Cognito's name. */
const REDIRECT_NAMES: ReadonlyMap<string, AmplifyRedirectProvider> = new Map(SOCIAL_PROVIDERS.map((p) => [p.cognitoName, p.redirectName]));

/** The stack's default upload limit, used when the outputs carry none (written before the builder wrote limits). */
export const DEFAULT_MAX_UPLOAD_BYTES = UPLOAD_DEFAULTS.maxUploadBytes;
/** The stack's default upload types, likewise. */
export const DEFAULT_ALLOWED_CONTENT_TYPES: readonly string[] = UPLOAD_DEFAULTS.allowedContentTypes;

/** One "Sign in with …" button. */
export interface FederatedProvider {
  /** What the button says and Cognito's provider name. */
  readonly label: string;
  /** What `signInWithRedirect({ provider })` takes. */
  readonly provider: AmplifyRedirectProvider | { custom: string };
}

export interface AppConfig {
  readonly outputs: AmplifyOutputs;
  /** The REST API's base URL, ending with a slash. */
  readonly apiUrl: string;
  readonly providers: readonly FederatedProvider[];
  /** The stage's `storage.maxUploadBytes`: larger files are refused before sending. */
  readonly maxUploadBytes: number;
  /** The stage's `storage.allowedContentTypes`: other types are refused before sending. */
  readonly allowedContentTypes: readonly string[];
}

/** Fetches and checks the outputs file; throws an Error a user can act on. */
export async function loadConfig(url = '/amplify_outputs.json'): Promise<AppConfig> {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}; write it with npm run client-config`);
  return parseConfig((await response.json()) as AmplifyOutputs);
}

export function parseConfig(outputs: AmplifyOutputs): AppConfig {
  const api = Object.values(outputs.custom?.API ?? {})[0];
  if (!outputs.auth?.user_pool_id || !outputs.storage?.bucket_name || !api?.endpoint) {
    throw new Error('amplify_outputs.json lacks auth, storage or custom.API; regenerate it with npm run client-config');
  }
  // Hosted sign-in needs a domain; without auth.oauth there is nothing to redirect to.
  const providers: FederatedProvider[] = outputs.auth.oauth
    ? (outputs.custom.auth?.identity_providers ?? []).map((name) => ({
        label: name,
        provider: REDIRECT_NAMES.get(name) ?? { custom: name },
      }))
    : [];
  const limits = outputs.custom.cognito_access as { max_upload_bytes?: unknown; allowed_content_types?: unknown } | undefined;
  const declaredMax = limits?.max_upload_bytes;
  const declaredTypes = limits?.allowed_content_types;
  return {
    outputs,
    apiUrl: api.endpoint.endsWith('/') ? api.endpoint : `${api.endpoint}/`,
    providers,
    maxUploadBytes: typeof declaredMax === 'number' && declaredMax > 0 ? declaredMax : DEFAULT_MAX_UPLOAD_BYTES,
    allowedContentTypes:
      Array.isArray(declaredTypes) && declaredTypes.length > 0 && declaredTypes.every((type) => typeof type === 'string')
        ? declaredTypes.map((type: string) => type.toLowerCase())
        : DEFAULT_ALLOWED_CONTENT_TYPES,
  };
}
