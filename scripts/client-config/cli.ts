/**
 * Writes `amplify_outputs.json` for Amplify JS v6 from a deployed stage (the
 * mapping itself is lib/client-config; this file only reads and writes files):
 *
 *   tsx scripts/client-config/cli.ts --stage dev --outputs cdk-outputs.json [--out amplify_outputs.json] [--config-dir config]
 *
 * `--outputs` is the file `npx cdk deploy --outputs-file` wrote. The stage
 * config supplies what the stack outputs do not carry (scopes, redirect URLs,
 * providers, MFA, password policy, groups).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliInputError, loadStage, parseFlags, processIo, required, runCli, type CliIo } from '../common/cli';
import { displayPath } from '../common/display-path';
import { readStackOutputs } from '../common/stack-outputs';
import { buildAmplifyOutputs, ClientConfigError } from '../../lib/client-config/build-amplify-outputs';

export const USAGE = 'client-config --stage <stage> --outputs <cdk-outputs.json> [--out amplify_outputs.json] [--config-dir <dir>]';
export const DEFAULT_OUT = 'amplify_outputs.json';

export function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCli(async () => {
    const flags = parseFlags(argv, ['stage', 'outputs', 'out', 'config-dir'], USAGE);
    const stage = required(flags.stage, 'stage', USAGE);
    const outputsFile = required(flags.outputs, 'outputs', USAGE);
    const { config, stackName } = loadStage(stage, flags['config-dir']);
    const outputs = readStackOutputs(path.resolve(outputsFile), stackName);
    const document = buildClientConfig({ stage, stackName, config, outputs });

    const outFile = path.resolve(flags.out ?? DEFAULT_OUT);
    try {
      fs.mkdirSync(path.dirname(outFile), { recursive: true });
      fs.writeFileSync(outFile, `${JSON.stringify(document, null, 2)}\n`);
    } catch (error) {
      throw new CliInputError(`${flags.out ?? DEFAULT_OUT}: cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    io.out(`Wrote ${displayPath(outFile)} for stack ${stackName} (Amplify outputs version ${document.version})`);
    return 0;
  }, io);
}

/** The builder's own error becomes the CLI's: one line, exit 1, no stack trace. */
function buildClientConfig(input: Parameters<typeof buildAmplifyOutputs>[0]) {
  try {
    return buildAmplifyOutputs(input);
  } catch (error) {
    if (error instanceof ClientConfigError) throw new CliInputError(error.message);
    throw error;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
