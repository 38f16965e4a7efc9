/**
 * The release guard (docs/design.md, "Release guard and pipeline"):
 *
 *   tsx scripts/guard/cli.ts --stage prod --against release/prod.template.json
 *   tsx scripts/guard/cli.ts --stage prod --against deployed [--role-arn <arn>]
 *
 * Synthesizes the stage and compares it with the last release's template, or
 * with the deployed stack's (read with the caller's credentials, or with
 * `--role-arn` assumed for a session that may only read that stack). Exits 1
 * when a stateful resource would be replaced, removed or orphaned and the
 * stage file does not acknowledge it; broadened IAM permissions and stale
 * acknowledgements are reported without failing. `--account` (and `--region`)
 * synthesize for the account the stack was deployed to, as the pipeline's
 * stages are, so account-specific values match the deployed template.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { STSClient } from '@aws-sdk/client-sts';
import { CONFIG_DIR } from '../../lib/config/load-stage-config';
import type { StageConfig } from '../../lib/config/stage-config';
import { CliInputError, loadStage, parseFlags, processIo, required, runCli, type CliIo } from '../common/cli';
import { displayPath } from '../common/display-path';
import { compareTemplates, type CfnTemplate, type ReplacementAck } from './compare-templates';
import { assumeTemplateReader, readDeployedTemplate, type TemporaryCredentials } from './deployed-template';
import { formatReport } from './format-report';
import { maskAssetHashes } from './mask-asset-hashes';
import { synthStageTemplate, type EnvOverride } from './synth-stage-template';

export const USAGE = 'guard --stage <stage> --against <template.json|deployed> [--config-dir <dir>] [--role-arn <arn>] [--region <region>] [--account <id>]';

/** What the guard reaches outside itself; tests replace these. */
export interface GuardDeps {
  readonly cloudFormation: (region: string, credentials?: TemporaryCredentials) => CloudFormationClient;
  readonly sts: (region: string) => STSClient;
  /** Synthesizes the stage's template (the stage file's account and region unless `env` names others). */
  readonly synth: (stage: string, config: StageConfig, env: EnvOverride) => CfnTemplate;
}

const DEFAULT_DEPS: GuardDeps = {
  cloudFormation: (region, credentials) => new CloudFormationClient({ region, credentials }),
  sts: (region) => new STSClient({ region }),
  synth: synthStageTemplate,
};

export function main(argv: readonly string[], io: CliIo = processIo, overrides: Partial<GuardDeps> = {}): Promise<number> {
  const deps = { ...DEFAULT_DEPS, ...overrides };
  return runCli(async () => {
    const flags = parseFlags(argv, ['stage', 'against', 'config-dir', 'role-arn', 'region', 'account'], USAGE);
    const stage = required(flags.stage, 'stage', USAGE);
    const against = required(flags.against, 'against', USAGE);
    const { config, stackName } = loadStage(stage, flags['config-dir']);
    const stageFile = displayPath(path.join(flags['config-dir'] ? path.resolve(flags['config-dir']) : CONFIG_DIR, `${stage}.json`));

    let current: CfnTemplate | undefined;
    if (against === 'deployed') {
      const region = flags.region ?? config.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
      if (!region) throw new CliInputError(`stage ${stage} names no region; pass --region or set AWS_REGION`);
      const credentials = flags['role-arn'] ? await assumeTemplateReader(deps.sts(region), flags['role-arn'], stackName, region) : undefined;
      current = await readDeployedTemplate(deps.cloudFormation(region, credentials), stackName);
      io.out(`Release guard: ${stackName} (stage ${stage}) against the deployed stack in ${region}`);
      if (!current) io.out(`NOTE ${stackName} is not deployed yet: a first deploy loses nothing.`);
    } else {
      const file = path.resolve(against);
      if (!fs.existsSync(file)) throw new CliInputError(`--against: ${displayPath(file)} not found; give a template file or "deployed"`);
      try {
        current = JSON.parse(fs.readFileSync(file, 'utf8')) as CfnTemplate;
      } catch (error) {
        throw new CliInputError(`--against: ${displayPath(file)} is not JSON (${(error as Error).message})`);
      }
      io.out(`Release guard: ${stackName} (stage ${stage}) against ${displayPath(file)}`);
    }

    const acknowledgements = config.acknowledgements.filter((ack): ack is ReplacementAck => 'replacement' in ack);
    if (flags.account !== undefined && !/^\d{12}$/.test(flags.account))
      throw new CliInputError(`--account must be a 12-digit account ID; found "${flags.account}"`);
    const next = deps.synth(stage, config, { account: flags.account, region: flags.region });
    const report = compareTemplates(maskAssetHashes(current ?? {}), maskAssetHashes(next), acknowledgements);
    for (const line of formatReport(report, stageFile)) io.out(line);
    return report.passed ? 0 : 1;
  }, io);
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
