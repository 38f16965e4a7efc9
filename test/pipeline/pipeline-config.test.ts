/**
 * config/pipeline.json is validated like the stage files: one line per problem
 * naming the file and field, and `cdk synth -c pipeline=true` exits 1 on it
 * without a stack trace.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPipelineConfig, parsePipelineConfig, PipelineConfigError } from '../../lib/config/load-pipeline-config';
import { CONFIG_DIR, listStages, loadStageConfig, StageConfigError } from '../../lib/config/load-stage-config';
import type { PipelineConfigInput } from '../../lib/config/pipeline-config';
import { PIPELINE_SCHEMA_FILE, renderPipelineSchema } from '../../scripts/write-pipeline-schema';
import { cdkJsonContext, REPO_ROOT } from '../support/synth';

const SHIPPED = JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, 'pipeline.json'), 'utf8')) as PipelineConfigInput;
const FILE = 'config/pipeline.json';

function problemsOf(edit: (config: any) => void): string[] {
  const config = structuredClone(SHIPPED);
  edit(config);
  try {
    parsePipelineConfig(config, FILE);
    return [];
  } catch (error) {
    if (error instanceof PipelineConfigError) return error.problems;
    throw error;
  }
}

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A config folder with the shipped stage files and the given pipeline.json. */
function configDirWith(pipeline: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-config-'));
  tempDirs.push(dir);
  for (const stage of listStages()) fs.copyFileSync(path.join(CONFIG_DIR, `${stage}.json`), path.join(dir, `${stage}.json`));
  fs.writeFileSync(path.join(dir, 'pipeline.json'), typeof pipeline === 'string' ? pipeline : JSON.stringify(pipeline));
  return dir;
}

describe('config/pipeline.json', () => {
  test('GIVEN the shipped file WHEN loaded THEN it validates, names dev before prod, and gates prod with an approval', () => {
    const { pipeline, stages } = loadPipelineConfig();

    expect(pipeline.stages.map((s) => [s.name, s.manualApproval])).toEqual([
      ['dev', false],
      ['prod', true],
    ]);
    expect(Object.keys(stages)).toEqual(['dev', 'prod']);
  });

  test('GIVEN the pipeline file beside the stage files WHEN stages are listed THEN it is not one, and -c stage=pipeline says so', () => {
    expect(listStages()).not.toContain('pipeline');
    expect(() => loadStageConfig('pipeline')).toThrow(StageConfigError);
    expect(() => loadStageConfig('pipeline')).toThrow(/stage: "pipeline" is the pipeline's config, not a stage/);
  });

  test.each<[string, (c: any) => void, string]>([
    ['a short account', (c) => (c.account = '1234'), 'config/pipeline.json: account: expected a 12-digit AWS account ID; found "1234"'],
    [
      'a GitHub URL for the connection',
      (c) => (c.source.connectionArn = 'https://github.com/example-org'),
      'config/pipeline.json: source.connectionArn: expected a CodeStar / CodeConnections connection ARN',
    ],
    [
      'a repository without an owner',
      (c) => (c.source.repository = 'cognito-access'),
      'config/pipeline.json: source.repository: expected a repository as owner/name; found "cognito-access"',
    ],
    ['no stages', (c) => (c.stages = []), 'config/pipeline.json: stages: expected at least one stage'],
    ['the same stage twice', (c) => (c.stages = [c.stages[0], c.stages[0]]), 'config/pipeline.json: stages: expected each stage once'],
    [
      'a stage region typo',
      (c) => (c.stages[1].region = 'eu-west'),
      'config/pipeline.json: stages[1].region: expected an AWS region such as eu-west-1; found "eu-west"',
    ],
    ['an unknown key', (c) => (c.stages[0].approve = true), 'config/pipeline.json: stages[0].approve: expected no such key'],
  ])('GIVEN %s WHEN validated THEN one line names the file and field', (_case, edit, expected) => {
    expect(problemsOf(edit)).toEqual([expect.stringContaining(expected)]);
  });

  test('GIVEN a stage with no config file, or a region its stage file contradicts, WHEN loaded THEN each is one line naming the field', () => {
    const pipeline = structuredClone(SHIPPED) as any;
    pipeline.stages = [
      { name: 'staging', account: '444444444444', region: 'eu-west-1' },
      { ...pipeline.stages[1], region: 'us-east-1' },
    ];
    const dir = configDirWith(pipeline);

    let problems: string[] = [];
    try {
      loadPipelineConfig(dir);
    } catch (error) {
      problems = (error as PipelineConfigError).problems;
    }

    expect(problems).toEqual([
      expect.stringMatching(/pipeline\.json: stages\[0\]\.name: expected a stage with a config\/<name>\.json \(dev, prod\); found "staging"$/),
      expect.stringMatching(/pipeline\.json: stages\[1\]\.region: expected eu-west-1, the region config\/prod\.json pins; found "us-east-1"$/),
    ]);
  });

  test('GIVEN the zod schema WHEN the JSON Schema is generated THEN it equals the committed config/pipeline.schema.json (run `npm run schema` if not)', () => {
    expect(fs.readFileSync(PIPELINE_SCHEMA_FILE, 'utf8')).toBe(renderPipelineSchema());
  });

  test('GIVEN a bad pipeline.json WHEN `cdk synth -c pipeline=true` runs the app THEN it exits 1 with one line naming file and field, no stack trace', () => {
    const dir = configDirWith({ ...SHIPPED, account: '1234' });
    const context = { ...cdkJsonContext(), pipeline: 'true', configDir: dir, 'aws:cdk:bundling-stacks': [] };
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-out-'));
    tempDirs.push(outdir);

    const run = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['bin/cognito-access.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir },
      encoding: 'utf8',
    });

    expect(run.status).toBe(1);
    const shown = path.relative(REPO_ROOT, path.join(dir, 'pipeline.json')).split(path.sep).join('/');
    expect(run.stderr.trim().split('\n')).toEqual([`Invalid pipeline config: ${shown}: account: expected a 12-digit AWS account ID; found "1234"`]);
  });
});
