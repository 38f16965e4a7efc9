/**
 * Records what was released: `release/<stage>.template.json` for every shipped
 * stage, synthesized as the guard does (no bundling, no rule packs) with asset
 * hashes masked, so the same commit gives the same bytes from any folder.
 * Run it when a release is deployed; the guard compares the next change with it.
 *
 *   tsx scripts/guard/record-release.ts [--out <dir>]     (default: release/)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listStages, loadStageConfig } from '../../lib/config/load-stage-config';
import { parseFlags, processIo, runCli, type CliIo } from '../common/cli';
import { displayPath } from '../common/display-path';
import { maskAssetHashes } from './mask-asset-hashes';
import { synthStageTemplate } from './synth-stage-template';

export const RELEASE_DIR = path.join(__dirname, '..', '..', 'release');
const USAGE = 'release:record [--out <dir>]';

export function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCli(async () => {
    const flags = parseFlags(argv, ['out'], USAGE);
    const outDir = flags.out ? path.resolve(flags.out) : RELEASE_DIR;
    fs.mkdirSync(outDir, { recursive: true });
    for (const stage of listStages()) {
      const template = maskAssetHashes(synthStageTemplate(stage, loadStageConfig(stage)));
      const file = path.join(outDir, `${stage}.template.json`);
      fs.writeFileSync(file, `${JSON.stringify(template, null, 2)}\n`);
      io.out(`wrote ${displayPath(file)}`);
    }
    return 0;
  }, io);
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
