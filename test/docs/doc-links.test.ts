/**
 * The README is a map into docs/; these tests keep every relative link in it
 * and in docs/*.md pointing at a file that exists and, for a `#section`, at a
 * heading that exists, so moving text between documents cannot leave a dead link.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/synth';

const DOCS = path.join(REPO_ROOT, 'docs');
const documents = [
  'README.md',
  ...fs
    .readdirSync(DOCS)
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** GitHub's anchor for a heading. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}_ -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a markdown file's headings (not of `#` lines inside code fences). */
function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = /^#{1,6} (.*)$/.exec(line);
    if (heading && !fenced) anchors.add(slug(heading[1]));
  }
  return anchors;
}

/** Relative link targets of a document, outside code fences and code spans. */
function linksOf(document: string): string[] {
  let fenced = false;
  const links: string[] = [];
  for (const line of fs.readFileSync(path.join(REPO_ROOT, document), 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced) continue;
    for (const match of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!/^[a-z]+:/.test(match[1])) links.push(match[1]);
    }
  }
  return links;
}

describe('links between README.md and docs/', () => {
  test.each(documents)('GIVEN %s WHEN its relative links are followed THEN each file and #section exists', (document) => {
    const broken = linksOf(document).filter((link) => {
      const [target, anchor] = link.split('#');
      const file = target ? path.resolve(path.dirname(path.join(REPO_ROOT, document)), target) : path.join(REPO_ROOT, document);
      if (!fs.existsSync(file)) return true;
      return anchor !== undefined && file.endsWith('.md') && !anchorsOf(file).has(anchor);
    });
    expect(broken).toEqual([]);
  });
});
