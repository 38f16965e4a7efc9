/**
 * docs/design.md is the map the code comments cite; these tests keep its
 * Constructs and Outputs tables naming exactly what exists, so a new construct
 * or output cannot land without its line in the design.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OUTPUTS } from '../../contracts/output-names';
import { REPO_ROOT } from '../support/synth';

const design = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'design.md'), 'utf8');

/** The text of one `## ` section of design.md. */
function section(title: string): string {
  const start = design.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`docs/design.md has no "## ${title}" section`);
  const end = design.indexOf('\n## ', start + 1);
  return design.slice(start, end < 0 ? undefined : end);
}

/** The backticked names in the first column of a section's table. */
function firstColumnNames(text: string): string[] {
  return [...text.matchAll(/^\| `([A-Za-z0-9]+)` \|/gm)].map((match) => match[1]);
}

/** Every `export class X extends Construct|Stack|Stage` under lib/. */
function constructClasses(dir = path.join(REPO_ROOT, 'lib')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return constructClasses(file);
    if (!entry.name.endsWith('.ts')) return [];
    const source = fs.readFileSync(file, 'utf8');
    return [...source.matchAll(/^export class (\w+) extends (?:\w+\.)?(?:Construct|Stack|Stage)\b/gm)].map((match) => match[1]);
  });
}

describe('docs/design.md', () => {
  test('GIVEN every construct, stack and stage class under lib/ WHEN the Constructs table is read THEN it names each, and nothing else', () => {
    const classes = constructClasses().sort();
    const documented = firstColumnNames(section('Constructs')).sort();

    expect(classes.length).toBeGreaterThan(5); // the scan itself found the constructs
    expect(documented).toEqual(classes);
  });

  test('GIVEN every output in OUTPUTS WHEN the Outputs table is read THEN it names each, and nothing else', () => {
    const outputs = Object.values(OUTPUTS)
      .map((spec) => spec.output)
      .sort();
    const documented = firstColumnNames(section('Outputs')).sort();

    expect(documented).toEqual(outputs);
  });

  test('GIVEN every source comment that cites a design section by name WHEN the design is read THEN that section exists', () => {
    const headings = new Set([...design.matchAll(/^## (.+)$/gm)].map((match) => match[1].trim()));
    const sources = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === '__snapshots__' ? [] : sources(file);
        return /\.(ts|js)$/.test(entry.name) ? [file] : [];
      });
    const cited = ['bin', 'contracts', 'lib', 'lambda', 'scripts', 'web', 'test']
      .flatMap((dir) => sources(path.join(REPO_ROOT, dir)))
      .flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(/docs\/design\.md,\s+(?:(?:\*|\/\/)\s*)?"([^"]+)"/g)])
      // A citation may wrap across comment lines.
      .map((match) => match[1].replace(/\s*\n\s*(?:\*|\/\/)?\s*/g, ' '));

    expect(cited.length).toBeGreaterThan(0);
    expect([...new Set(cited)].filter((title) => !headings.has(title))).toEqual([]);
  });
});
