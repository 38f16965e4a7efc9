/**
 * `npm run web:dev -- --stage dev --outputs cdk-outputs.json`: builds the
 * site, writes web/dist/amplify_outputs.json for the deployed stage (the same
 * file `npm run client-config` writes) and serves web/dist on
 * http://localhost:5173, the dev stage's callback and logout URL origin.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { main as writeClientConfig } from './client-config/cli';
import type { AmplifyOutputs } from '../contracts/amplify-outputs';
import { buildWeb, DEFAULT_OUT_DIR } from '../web/build';
import { contentSecurityPolicy, extraConnectOrigins } from '../web/csp';
import { startStaticServer } from '../web/static-server';

export const USAGE = `Usage: npm run web:dev -- --stage <stage> --outputs <cdk-outputs.json> [--config-dir <dir>] [--port 5173]

Builds web/dist, writes web/dist/amplify_outputs.json for the stage from the file
\`cdk deploy --outputs-file\` wrote, and serves the site on http://localhost:<port>.
The stage's callback URL must be http://localhost:<port>/auth/callback for the
provider buttons to work (config/dev.json has it for port 5173).`;

export async function main(argv: readonly string[]): Promise<number> {
  let values: { stage?: string; outputs?: string; 'config-dir'?: string; port?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        stage: { type: 'string' },
        outputs: { type: 'string' },
        'config-dir': { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`Error: ${(error as Error).message.split('\n')[0]}\n${USAGE}\n`);
    return 1;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.stage || !values.outputs) {
    process.stderr.write(`Error: --stage and --outputs are required\n${USAGE}\n`);
    return 1;
  }
  const port = Number(values.port ?? 5173);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    process.stderr.write(`Error: --port must be a port number, got ${values.port}\n`);
    return 1;
  }

  await buildWeb(DEFAULT_OUT_DIR);
  const outputsFile = path.join(DEFAULT_OUT_DIR, 'amplify_outputs.json');
  const code = await writeClientConfig([
    '--stage',
    values.stage,
    '--outputs',
    values.outputs,
    '--out',
    outputsFile,
    ...(values['config-dir'] ? ['--config-dir', values['config-dir']] : []),
  ]);
  if (code !== 0) return code;

  const outputs = JSON.parse(fs.readFileSync(outputsFile, 'utf8')) as AmplifyOutputs;
  const server = await startStaticServer({ root: DEFAULT_OUT_DIR, csp: contentSecurityPolicy(extraConnectOrigins(outputs)), port, host: 'localhost' });
  process.stdout.write(`Serving web/dist on ${server.origin}/ (Ctrl+C to stop)\n`);
  return new Promise<number>(() => {
    // Runs until interrupted.
  });
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
