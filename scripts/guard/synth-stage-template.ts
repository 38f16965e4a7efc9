/**
 * Synthesizes one stage's template the way `bin/` builds it, minus what the
 * guard does not need: no bundling (asset hashes are masked anyway) and no
 * rule packs (synth and CI run those). Deterministic: the stage file's
 * account and region only, never the CLI's.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import type { StageConfig } from '../../lib/config/stage-config';
import { stackEnvFor } from '../../lib/composition/stage';
import { addStageStack } from '../../lib/composition/stage-stack';
import type { CfnTemplate } from './compare-templates';

/** The repository whose cdk.json supplies the context (feature flags). */
const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** An account or region that overrides the stage file's (the pipeline deploys each stage into named ones). */
export interface EnvOverride {
  readonly account?: string;
  readonly region?: string;
}

export function synthStageTemplate(stage: string, config: StageConfig, env: EnvOverride = {}): CfnTemplate {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8'));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cognito-access-guard-'));
  try {
    // An empty list tells every NodejsFunction and asset bundler to skip bundling.
    const app = new App({ outdir, context: { ...cdkJson.context, stage, 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
    const stack = addStageStack(app, stage, config, stackEnvFor({ account: env.account ?? config.account, region: env.region ?? config.region }, {}));
    return app.synth().getStackArtifact(stack.artifactId).template as CfnTemplate;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
