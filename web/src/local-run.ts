/**
 * When `/amplify_outputs.json` comes from `npm run local` (docs/local.md), its
 * `custom.local` block names the loopback Cognito endpoints; Amplify takes them
 * as `userPoolEndpoint` / `identityPoolEndpoint`, which its outputs format
 * cannot carry. Deployed outputs have no such block and pass through unchanged.
 */
import type { ResourcesConfig } from 'aws-amplify';
import { fetchAuthSession } from 'aws-amplify/auth';
import { parseAmplifyConfig } from 'aws-amplify/utils';
import { onLanguageChange, t } from './i18n';
import type { AmplifyOutputs } from '../../contracts/amplify-outputs';
import { installLocalS3Bridge, representForLocal, type BridgeCredentials, type S3BridgeTarget } from './local-s3-bridge';

export interface LocalRunOutputs {
  readonly running_locally: true;
  readonly user_pool_endpoint: string;
  readonly identity_pool_endpoint: string;
  readonly s3_endpoint?: string;
  readonly mailbox?: string;
}

export function localRunOf(outputs: AmplifyOutputs): LocalRunOutputs | undefined {
  const local = (outputs.custom as { local?: Partial<LocalRunOutputs> }).local;
  return local?.running_locally === true && typeof local.user_pool_endpoint === 'string' && typeof local.identity_pool_endpoint === 'string'
    ? (local as LocalRunOutputs)
    : undefined;
}

/** What to pass to `Amplify.configure`: the outputs, plus the local endpoints when running locally. */
export function amplifyResources(outputs: AmplifyOutputs): ResourcesConfig | AmplifyOutputs {
  const local = localRunOf(outputs);
  if (!local) return outputs;
  const resources = parseAmplifyConfig(outputs);
  const cognito = resources.Auth!.Cognito;
  return {
    ...resources,
    Auth: { ...resources.Auth, Cognito: { ...cognito, userPoolEndpoint: local.user_pool_endpoint, identityPoolEndpoint: local.identity_pool_endpoint } },
  } as ResourcesConfig;
}

/** A plain marker at the top of the page, so a local session is never mistaken for a deployed one. */
export function showLocalBanner(local: LocalRunOutputs): void {
  // A labelled landmark of its own: content outside every landmark is lost to screen-reader navigation (axe "region").
  const banner = document.createElement('aside');
  banner.className = 'local-banner';
  banner.setAttribute('data-testid', 'local-banner');
  banner.setAttribute('aria-label', 'Local run');
  const render = () => {
    banner.textContent = t('local.banner', { mailbox: local.mailbox ?? '/_local/mailbox' });
  };
  render();
  onLanguageChange(render);
  document.body.prepend(banner);
}

let bridge: S3BridgeTarget | undefined;

async function sessionCredentials(): Promise<BridgeCredentials> {
  const { credentials } = await fetchAuthSession();
  if (!credentials) throw new Error('no identity pool credentials; sign in first');
  return credentials;
}

/** Sends Amplify Storage's S3 calls to the local S3 (./local-s3-bridge.ts); only for local outputs. */
export function bridgeLocalS3(outputs: AmplifyOutputs, local: LocalRunOutputs): void {
  if (!local.s3_endpoint) return;
  bridge = { bucket: outputs.storage.bucket_name, region: outputs.storage.aws_region, endpoint: local.s3_endpoint };
  installLocalS3Bridge(bridge, sessionCredentials);
}

/** Where a download link from `getUrl` should go: itself, or its local equivalent in a local run. */
export async function downloadHref(url: URL): Promise<string> {
  return bridge ? representForLocal(bridge, url, await sessionCredentials()).toString() : url.toString();
}
