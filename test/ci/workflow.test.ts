/**
 * The CI workflow runs with a deploy role: what it executes must not change
 * under it. Actions are pinned by commit SHA, installs run no package scripts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/synth';

const workflow = fs.readFileSync(path.join(REPO_ROOT, '.github', 'workflows', 'ci.yml'), 'utf8');
const lines = workflow.split('\n').filter((line) => !line.trimStart().startsWith('#'));

describe('.github/workflows/ci.yml', () => {
  const uses = lines.map((line) => /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line)).filter((m): m is RegExpExecArray => m !== null);

  test('GIVEN the workflow WHEN read THEN it uses actions at all (the checks below have something to check)', () => {
    expect(uses.length).toBeGreaterThanOrEqual(4);
  });

  test.each(uses.map((m) => [m[1], m[2]]))('GIVEN %s WHEN read THEN it is pinned by a full commit SHA with the tag in a comment', (ref, rest) => {
    expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    expect(rest).toMatch(/^\s+# v\d+(\.\d+)*$/);
  });

  test('GIVEN every setup-node WHEN read THEN it runs Node 22 or 24 (Node 20 reached end of life in April 2026 and the AWS SDK drops it)', () => {
    const versions = lines.map((line) => /^\s*node-version:\s*(\S+)\s*$/.exec(line)?.[1]).filter((v): v is string => v !== undefined);
    expect(versions.length).toBe(uses.filter((m) => m[1].startsWith('actions/setup-node@')).length);
    for (const version of versions) expect(['22', '24']).toContain(version);
  });

  test('GIVEN the test job WHEN read THEN it runs the release guard on every shipped stage against its release template, and the deploy job against the deployed stack first', () => {
    const text = lines.join('\n');
    expect(text).toContain('npm run -s guard -- --stage "$stage" --against "release/$stage.template.json"');
    const guard = lines.findIndex((line) => line.includes('npm run guard -- --stage dev --against deployed'));
    const deploy = lines.findIndex((line) => line.includes('npx cdk deploy -c stage=dev'));
    expect(guard).toBeGreaterThan(-1);
    expect(guard).toBeLessThan(deploy);
  });

  test('GIVEN every npm install WHEN read THEN it is `npm ci --ignore-scripts` (no install-time code from dependencies)', () => {
    const installs = lines.filter((line) => /\bnpm (ci|install|i)\b/.test(line));
    expect(installs.length).toBeGreaterThan(0);
    for (const line of installs) expect(line.trim()).toBe('- run: npm ci --ignore-scripts');
  });

  test('GIVEN the test job WHEN read THEN it runs lint, the suite and the slow checks the suite leaves out', () => {
    const runs = lines.map((line) => /^\s*-\s+run:\s*(.+)$/.exec(line)?.[1].trim()).filter((run): run is string => run !== undefined);
    expect(runs).toEqual(expect.arrayContaining(['npm run lint', 'npm test', 'npm run test:slow']));
  });
});

describe('.ci/run', () => {
  const script = fs
    .readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');

  test('GIVEN the CI entry WHEN read THEN it runs lint, the suite, the slow checks, the browser test and the local run, and counts every jest result', () => {
    for (const command of ['npm run -s lint', 'npm test --', 'npm run test:slow --', 'npm run test:browser --', 'npm run test:local --'])
      expect(script).toContain(command);
    for (const out of ['.ci/out/jest.json', '.ci/out/slow.json', '.ci/out/browser.json', '.ci/out/local.json']) expect(script).toContain(out);
  });
});
