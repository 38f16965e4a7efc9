/**
 * Imports run one way (docs/design.md, "Layout"): contracts/ imports nothing
 * but itself (pure data every tree may share), lib/ and web/ never import
 * scripts/ (the CLIs sit on top of them), lambda/ never imports lib/ or
 * aws-cdk-lib (it is bundled on its own; contracts/ it may), web/ never
 * imports lib/ or lambda/ (it is bundled for the browser), lib/util
 * imports no concern folder of lib/ (it is the bottom layer every concern may use),
 * and no construct folder imports lib/config (stage sections map onto construct props, never back).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(rel);
    return /\.(ts|cjs|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** Every module specifier a file imports or requires, resolved to a repository path when relative. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1]);
  return specifiers.map((spec) => (spec.startsWith('.') ? path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec)) : spec));
}

function violations(dir: string, forbidden: (target: string) => boolean): string[] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(file)
      .filter(forbidden)
      .map((target) => `${file} imports ${target}`),
  );
}

describe('import direction', () => {
  test('GIVEN contracts/ THEN it imports nothing outside contracts/: no package, no node: module, no other tree', () => {
    const outside = (target: string) => !target.startsWith(`contracts${path.sep}`);
    expect(sourceFiles('contracts').length).toBeGreaterThan(5); // the scan itself found the contracts
    expect(violations('contracts', outside)).toEqual([]);
  });

  test('GIVEN lib/ and web/ THEN no file imports scripts/', () => {
    const intoScripts = (target: string) => target === 'scripts' || target.startsWith(`scripts${path.sep}`);
    expect([...violations('lib', intoScripts), ...violations('web', intoScripts)]).toEqual([]);
  });

  test('GIVEN web/ THEN no file imports lib/ or lambda/ (shared names come from contracts/)', () => {
    const stackOrHandlers = (target: string) => /^(lib|lambda)([\\/]|$)/.test(target);
    expect(violations('web', stackOrHandlers)).toEqual([]);
  });

  test('GIVEN lib/util THEN it imports no concern folder of lib/', () => {
    const concern = (target: string) => target.startsWith(`lib${path.sep}`) && !target.startsWith(`lib${path.sep}util${path.sep}`);
    expect(violations(path.join('lib', 'util'), concern)).toEqual([]);
  });

  test('GIVEN a construct folder of lib/ THEN it imports no lib/config (constructs take typed props, never a stage file)', () => {
    // Every folder of lib/ but the config itself and its readers (docs/design.md, "Stage configuration").
    const READERS = new Set(['config', 'composition', 'client-config', 'pipeline']);
    const constructFolders = fs
      .readdirSync(path.join(ROOT, 'lib'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !READERS.has(entry.name))
      .map((entry) => entry.name);
    expect(constructFolders).toEqual(expect.arrayContaining(['api', 'user-directory', 'upload-checks', 'util']));
    const intoConfig = (target: string) => target.startsWith(`lib${path.sep}config${path.sep}`);
    expect(constructFolders.flatMap((folder) => violations(path.join('lib', folder), intoConfig))).toEqual([]);
  });

  test('GIVEN lambda/ THEN no handler imports lib/, scripts/ or aws-cdk-lib', () => {
    const outside = (target: string) =>
      /^(lib|scripts|bin)([\\/]|$)/.test(target) || target === 'aws-cdk-lib' || target.startsWith('aws-cdk-lib/') || target === 'constructs';
    expect(violations('lambda', outside)).toEqual([]);
  });

  test('GIVEN a file with known relative imports THEN the scanner resolves them (the checks above cannot pass vacuously)', () => {
    const file = path.join('lib', 'client-config', 'build-amplify-outputs.ts');
    expect(importsOf(file)).toEqual(expect.arrayContaining([path.join('contracts', 'amplify-outputs'), path.join('lib', 'client-config', 'auth-outputs')]));
  });
});
