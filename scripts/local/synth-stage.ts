/**
 * Synthesizes a stage for the local run the way `bin/cognito-access.ts` does
 * (cdk.json's context, the stage file, the rule packs), WITH bundling, into
 * `.local/<stage>/cdk.out`, so the local run executes the very bundles a
 * deploy would upload. A bad stage file gives bin/'s one-line errors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import type { CognitoAccessStack } from '../../lib/composition/cognito-access-stack';
import { CONFIG_DIR, loadStageConfig, parseStageConfig, StageConfigError } from '../../lib/config/load-stage-config';
import type { StageConfig, StageConfigInput } from '../../lib/config/stage-config';
import { addRulePacks } from '../../lib/composition/rule-packs';
import { stackEnvFor, stackNameFor } from '../../lib/composition/stage';
import { addStageStack } from '../../lib/composition/stage-stack';
import { ValidationError } from '../../lib/util/validation-error';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface SynthForLocalOptions {
  readonly stage: string;
  readonly outdir: string;
  /** Stage files elsewhere, as `-c configDir=…`. @default config/ */
  readonly configDir?: string;
  /** A config object instead of the stage file (tests). */
  readonly config?: StageConfigInput;
  /** Run esbuild for the handlers and the web asset. @default true */
  readonly bundling?: boolean;
  /** Add the cdk-nag packs, as bin/ does; tests of local services skip them. @default true */
  readonly rulePacks?: boolean;
}

export interface SynthForLocal {
  readonly assemblyDir: string;
  /** The stack's artifact ID in the assembly. */
  readonly stackId: string;
  readonly stackName: string;
  readonly config: StageConfig;
}

export function synthForLocal(options: SynthForLocalOptions): SynthForLocal {
  const { stage } = options;
  const config = options.config ? parseStageConfig(options.config, `config/${stage}.json`) : loadStageConfig(stage, options.configDir);
  const context: Record<string, unknown> = { ...JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')).context, stage };
  if (options.bundling === false) context['aws:cdk:bundling-stacks'] = [];
  fs.rmSync(options.outdir, { recursive: true, force: true });
  const app = new App({ context, outdir: options.outdir, builtinCloudFormationValidation: false });
  const stackName = stackNameFor(stage, config);
  let stack: CognitoAccessStack;
  try {
    // No CDK_DEFAULT_* here: the local run must not depend on the caller's AWS profile.
    stack = addStageStack(app, stage, config, stackEnvFor(config, {}));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const file = path
      .relative(process.cwd(), path.join(options.configDir ?? CONFIG_DIR, `${stage}.json`))
      .split(path.sep)
      .join('/');
    throw new StageConfigError([`${file}: ${error.message}`]);
  }
  if (options.rulePacks ?? true) addRulePacks(app, {});
  const assembly = app.synth();
  return { assemblyDir: assembly.directory, stackId: stack.artifactId, stackName, config };
}
