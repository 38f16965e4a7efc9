/**
 * `cdk synth -c pipeline=true` runs the rule packs as `bin/` adds them: the
 * pipeline's own stacks must be clean, every acknowledgement carrying its
 * reason, and so must the stage stacks as the pipeline builds them (pinned to
 * the stage accounts of config/pipeline.json). Synthesized once for the file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildPipelineApp } from './support';

interface Finding {
  readonly path: string;
  readonly rule: string;
}

/** The findings the validation report lists (empty when synth passed). */
function findingsOf(): Finding[] {
  const built = buildPipelineApp({ rulePacks: true });
  try {
    built.synth();
  } catch {
    // Strict validation throws on any finding; the report beside the assembly names each.
  }
  const file = path.join(built.app.outdir, 'validation-report.json');
  if (!fs.existsSync(file)) return [];
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  return report.pluginReports.flatMap((plugin: any) =>
    plugin.violations.flatMap((v: any) => v.violatingConstructs.map((c: any) => ({ path: c.constructPath, rule: v.ruleName }))),
  );
}

const findings = findingsOf();
const isPipelineOwned = (f: Finding) => f.path.startsWith('CognitoAccess-Pipeline/') || /^[a-z0-9-]+\/CognitoAccess-[a-z0-9-]+-SmokeTester\//.test(f.path);

describe('rule packs on the pipeline app', () => {
  test('GIVEN the pipeline stack and the smoke-tester stacks WHEN checked by AwsSolutions and Serverless THEN nothing is left unacknowledged', () => {
    expect(findings.filter(isPipelineOwned)).toEqual([]);
  });

  test('GIVEN the stage stacks as the pipeline builds them (pinned accounts) WHEN checked THEN nothing is left unacknowledged either', () => {
    expect(findings.filter((f) => !isPipelineOwned(f))).toEqual([]);
  });
});
