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

  test('GIVEN every npm install WHEN read THEN it is `npm ci --ignore-scripts` (no install-time code from dependencies)', () => {
    const installs = lines.filter((line) => /\bnpm (ci|install|i)\b/.test(line));
    expect(installs.length).toBeGreaterThan(0);
    for (const line of installs) expect(line.trim()).toBe('- run: npm ci --ignore-scripts');
  });
});
