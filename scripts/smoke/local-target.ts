/**
 * `npm run smoke -- --local [--stage dev]`: the same smoke steps against a
 * running `npm run local` (docs/local.md). The endpoints come from
 * `.local/<stage>/endpoints.json`; the deployer's part (admin steps and
 * cleanup) is played by the local operator credentials the run wrote beside it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LocalEndpoints } from '../local/local-endpoints';
import { ENDPOINTS_FILE, OPERATOR_CREDENTIALS_FILE } from '../local/local-endpoints';
import { CliInputError } from '../common/cli-error';
import { displayPath } from '../common/display-path';
import type { SmokeTarget, TemporaryCredentials } from './smoke-context';

export interface LocalSmokeSetup {
  readonly target: SmokeTarget;
  readonly endpoints: LocalEndpoints;
  readonly operator: TemporaryCredentials;
}

function readJson(file: string, what: string): unknown {
  if (!fs.existsSync(file)) throw new CliInputError(`${displayPath(file)}: file not found; start the stage with \`npm run local\` first (${what})`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliInputError(`${displayPath(file)}: expected JSON written by npm run local, found invalid JSON (${(error as Error).message})`);
  }
}

export function readLocalSetup(stateDir: string): LocalSmokeSetup {
  const endpoints = readJson(path.join(stateDir, ENDPOINTS_FILE), 'it writes endpoints.json when ready') as LocalEndpoints;
  for (const key of ['region', 'api', 'userPoolId', 'userPoolClientId', 'identityPoolId', 'bucket'] as const) {
    if (typeof endpoints[key] !== 'string' || endpoints[key] === '')
      throw new CliInputError(`${displayPath(path.join(stateDir, ENDPOINTS_FILE))}: missing ${key}; restart npm run local`);
  }
  const raw = readJson(path.join(stateDir, OPERATOR_CREDENTIALS_FILE), 'it writes the operator credentials while running') as Record<string, string>;
  const operator: TemporaryCredentials = {
    accessKeyId: raw.accessKeyId,
    secretAccessKey: raw.secretAccessKey,
    sessionToken: raw.sessionToken,
    expiration: raw.expiration ? new Date(raw.expiration) : undefined,
  };
  return {
    endpoints,
    operator,
    target: {
      region: endpoints.region,
      userPoolId: endpoints.userPoolId,
      userPoolClientId: endpoints.userPoolClientId,
      identityPoolId: endpoints.identityPoolId,
      bucketName: endpoints.bucket,
      apiUrl: endpoints.api,
      // The hosted-site check is about CloudFront's headers (HSTS over HTTPS), which the local run does not emulate.
    },
  };
}
