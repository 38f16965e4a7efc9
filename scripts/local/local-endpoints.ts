/**
 * The ports and `.local/<stage>/endpoints.json` of a local run (docs/local.md):
 * the file tests and `npm run smoke -- --local` read to find the services.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Offsets from the web port, fixed so URLs are predictable. */
export const PORT_OFFSETS = { web: 0, cognitoIdp: 1, cognitoIdentity: 2, s3: 3, dynamodb: 4, api: 5 } as const;

export interface LocalEndpoints {
  readonly region: string;
  readonly web: string;
  readonly api: string;
  readonly mailbox: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly identityPoolId: string;
  readonly bucket: string;
  readonly itemsTable: { readonly name: string; readonly partitionKey: string };
  readonly endpoints: { readonly cognitoIdp: string; readonly cognitoIdentity: string; readonly s3: string; readonly dynamodb: string };
}

export const ENDPOINTS_FILE = 'endpoints.json';
/** Operator credentials of the running stage (the deployer's role in a real account); 0600, rewritten each run. */
export const OPERATOR_CREDENTIALS_FILE = 'operator-credentials.json';

export function stateDirFor(repoRoot: string, stage: string): string {
  return path.join(repoRoot, '.local', stage);
}

export function writeJsonPrivate(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}
