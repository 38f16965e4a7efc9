/**
 * Builds a stage the way `bin/cognito-access.ts` does, with cdk.json's context,
 * so tests check what `cdk synth` produces. Bundling is skipped unless asked for.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { CognitoAccessStack } from '../../lib/composition/cognito-access-stack';
import { loadStageConfig, parseStageConfig } from '../../lib/config/load-stage-config';
import type { StageConfig, StageConfigInput } from '../../lib/config/stage-config';
import { addRulePacks } from '../../lib/composition/rule-packs';
import { stackEnvFor, stackNameFor } from '../../lib/composition/stage';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The `context` block of cdk.json, as the CLI would pass it. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')).context;
}

/** An App with cdk.json's context, as bin/ builds it, for construct-level tests. */
export function contextApp(): App {
  return new App({ context: cdkJsonContext(), builtinCloudFormationValidation: false });
}

export interface SynthOptions {
  /** A shipped stage to load from config/. @default 'dev' */
  readonly stage?: string;
  /** A config object to validate and use instead of the stage file. */
  readonly config?: StageConfigInput;
  /** Run esbuild for the Lambda handlers. @default false */
  readonly bundling?: boolean;
  /** Add the cdk-nag packs, as bin/ does. @default true */
  readonly rulePacks?: boolean;
  /**
   * Also run CDK's CloudFormation schema validation with the rule packs (about
   * 2.5 s of CPU per synth). On for the stage-level tests; off elsewhere.
   * @default false
   */
  readonly cfnValidation?: boolean;
  /** Also run the Control Tower proactive controls (cfn-guard). @default false */
  readonly controlTower?: boolean;
}

export interface SynthResult {
  readonly app: App;
  readonly stack: CognitoAccessStack;
  readonly template: Template;
  readonly assembly: CloudAssembly;
  readonly config: StageConfig;
}

export function synthStage(options: SynthOptions = {}): SynthResult {
  const stage = options.stage ?? 'dev';
  const config = options.config ? parseStageConfig(options.config, `config/${stage}.json`) : loadStageConfig(stage);
  const context: Record<string, unknown> = { ...cdkJsonContext(), stage };
  // An empty list tells NodejsFunction to skip esbuild for every stack.
  if (!options.bundling) context['aws:cdk:bundling-stacks'] = [];
  const app = new App({ context, builtinCloudFormationValidation: false });
  const stack = new CognitoAccessStack(app, stackNameFor(stage, config), { stage, config, env: stackEnvFor(config, {}) });
  if (options.rulePacks ?? true) addRulePacks(app, { cloudFormationValidation: options.cfnValidation, controlTower: options.controlTower });
  const assembly = app.synth();
  return { app, stack, template: Template.fromStack(stack), assembly, config };
}

/** The rule-pack findings left in the validation report (acknowledged ones excluded). */
export function unacknowledgedFindings(assembly: CloudAssembly): string[] {
  const file = path.join(assembly.directory, 'validation-report.json');
  if (!fs.existsSync(file)) return [];
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const findings: string[] = [];
  for (const plugin of report.pluginReports ?? []) {
    for (const violation of plugin.violations ?? []) {
      for (const construct of violation.violatingConstructs ?? []) {
        findings.push(`${plugin.pluginName} ${violation.ruleName} (${violation.severity}) at ${construct.constructPath}`);
      }
    }
  }
  return findings;
}

/**
 * The rule IDs a synth leaves unacknowledged. With strict validation synth
 * throws on them and names each ("Acknowledge with 'Pack::ID'"); any other
 * error is rethrown, so a broken stack never reads as "no findings".
 */
export function unacknowledgedRuleIds(synth: () => CloudAssembly): string[] {
  try {
    return unacknowledgedFindings(synth());
  } catch (error) {
    const ids = [...String((error as Error).message).matchAll(/Acknowledge with '[A-Za-z]+::([^']+)'/g)].map((match) => match[1]);
    if (ids.length === 0) throw error;
    return [...new Set(ids)].sort();
  }
}

/**
 * The template as JSON with content hashes masked, so snapshots survive a
 * handler edit's new asset hash and a checkout in another folder.
 */
export function maskedTemplate(template: Template): unknown {
  const text = JSON.stringify(template.toJSON())
    .replace(/[0-9a-f]{64}(\.zip|\.json)?/g, (_m, ext: string | undefined) => `[HASH]${ext ?? ''}`)
    .replace(/"cdk-hnb659fds-assets-\$\{AWS::AccountId\}-\$\{AWS::Region\}"/g, '"[ASSET-BUCKET]"');
  return JSON.parse(text);
}
