/**
 * config/stage-config.schema.json is generated from the zod schema; these
 * tests keep the committed file from drifting and check the shipped stage
 * files against it the way an editor would.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONFIG_DIR, listStages } from '../../lib/config/load-stage-config';
import { renderConfigSchema, SCHEMA_FILE } from '../../scripts/write-config-schema';
import { REPO_ROOT } from '../support/synth';
import { validateJsonSchema, type JsonSchema } from './support/json-schema-lite';

const committed = fs.readFileSync(SCHEMA_FILE, 'utf8');
const schema = JSON.parse(committed) as JsonSchema;
const stageFile = (stage: string) => JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, `${stage}.json`), 'utf8'));

describe('config/stage-config.schema.json', () => {
  test('GIVEN the zod schema WHEN the JSON Schema is generated THEN it equals the committed file (run `npm run schema` if not)', () => {
    expect(committed).toBe(renderConfigSchema());
  });

  test('GIVEN two generations WHEN compared THEN they are byte-identical, 2-space indented with a trailing newline', () => {
    const text = renderConfigSchema();
    expect(renderConfigSchema()).toBe(text);
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  });

  test('GIVEN the generated schema WHEN read THEN it is identified and closed to unknown keys', () => {
    expect(schema).toEqual(
      expect.objectContaining({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: expect.any(String),
        title: expect.any(String),
        type: 'object',
        required: ['webClient'],
        additionalProperties: false,
      }),
    );
    expect(Object.keys(schema.properties as object)).toEqual(
      expect.arrayContaining(['removal', 'userPool', 'webClient', 'domain', 'identityProviders', 'tags']),
    );
  });

  test('GIVEN the script with --check WHEN the file is current THEN it exits 0, and WHEN stale THEN 1 with a hint', () => {
    const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
    const stale = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'schema-')), 'stage-config.schema.json');
    fs.writeFileSync(stale, committed.replace('"retain"', '"keep"'));
    try {
      const current = spawnSync(tsx, ['scripts/write-config-schema.ts', '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
      const outdated = spawnSync(tsx, ['scripts/write-config-schema.ts', '--check', stale], { cwd: REPO_ROOT, encoding: 'utf8' });

      expect(current.status).toBe(0);
      expect(outdated.status).toBe(1);
      expect(outdated.stderr).toMatch(/out of date; run `npm run schema`/);
      expect(fs.readFileSync(stale, 'utf8')).not.toBe(renderConfigSchema()); // --check never writes
    } finally {
      fs.rmSync(path.dirname(stale), { recursive: true, force: true });
    }
  });

  test.each(listStages())('GIVEN config/%s.json WHEN checked against the JSON Schema THEN it conforms and points editors at it', (stage) => {
    const config = stageFile(stage);
    expect(config.$schema).toBe('./stage-config.schema.json');
    expect(validateJsonSchema(schema, config)).toEqual([]);
  });

  test('GIVEN a stage file with an unknown key or a bad enum WHEN checked THEN the JSON Schema flags it too (the check is not vacuous)', () => {
    const config = stageFile('prod');
    config.colour = 'blue';
    config.userPool.mfa.mode = 'sometimes';
    delete config.webClient;

    expect(validateJsonSchema(schema, config)).toEqual(
      expect.arrayContaining(['$.colour: not allowed', '$.webClient: required', expect.stringMatching(/^\$\.userPool\.mfa\.mode: expected one of/)]),
    );
  });
});
