/**
 * Pure mapping from a validated stage config plus the deployed stack's outputs
 * to `amplify_outputs.json`, one module per section (auth, storage, custom),
 * as Amplify's own client-config package splits it. No I/O, so tests check
 * the exact document. The output values may be CDK tokens: the stack builds
 * the hosted site's copy from its own resources with this same function,
 * written at deploy time. Problems throw `ClientConfigError`.
 */
import type { StageConfig } from '../config/stage-config';
import type { OutputsByName } from '../../contracts/output-names';
import { AMPLIFY_OUTPUTS_VERSION, type AmplifyOutputs } from '../../contracts/amplify-outputs';
import { buildAuth, signInDomain } from './auth-outputs';
import { buildCustom } from './custom-outputs';
import { buildStorage } from './storage-outputs';

export { CLIENT_CONFIG_DEFAULTS } from './client-config-defaults';
export { ClientConfigError } from './client-config-error';

export interface ClientConfigInput {
  readonly stage: string;
  readonly stackName: string;
  readonly config: StageConfig;
  readonly outputs: OutputsByName;
}

export function buildAmplifyOutputs(input: ClientConfigInput): AmplifyOutputs {
  const { config, outputs } = input;
  const oauthDomain = signInDomain(input);
  return {
    version: AMPLIFY_OUTPUTS_VERSION,
    auth: buildAuth(config, outputs, oauthDomain),
    storage: buildStorage(outputs),
    custom: buildCustom(input, oauthDomain),
  };
}
