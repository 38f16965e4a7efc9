/**
 * The synth's build cache (lib/util/build-cache.ts): a build is reused only
 * while every input it read is unchanged, so a source change always gives a
 * new build. Real esbuild builds in a temporary folder, each with its own cache.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { cachedBuild, esbuildInputs } from '../../lib/util/build-cache';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'build-cache-'));
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'src', 'entry.ts'), "import { greeting } from './greeting';\nexport const handler = () => greeting;\n");
  fs.writeFileSync(path.join(root, 'src', 'greeting.ts'), "export const greeting = 'hello';\n");
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** One bundle of src/entry.ts into a fresh output folder; what it wrote and whether the cache served it. */
function bundle(key: unknown = { minify: false }): { code: string; cached: boolean; builds: number } {
  const outDir = fs.mkdtempSync(path.join(root, 'out-'));
  let builds = 0;
  const cached = cachedBuild({
    name: 'entry.ts',
    key,
    outDir,
    cacheDir: path.join(root, 'cache'),
    build: (dir) => {
      builds += 1;
      const result = buildSync({
        entryPoints: ['src/entry.ts'],
        outfile: path.join(dir, 'index.js'),
        bundle: true,
        format: 'cjs',
        absWorkingDir: root,
        metafile: true,
        logLevel: 'silent',
      });
      return esbuildInputs(result.metafile, root);
    },
  });
  return { code: fs.readFileSync(path.join(outDir, 'index.js'), 'utf8'), cached, builds };
}

describe('cachedBuild', () => {
  test('GIVEN an earlier build and unchanged sources WHEN built again THEN the same bytes are copied without building', () => {
    const first = bundle();
    const second = bundle();
    expect([first.cached, first.builds]).toEqual([false, 1]);
    expect([second.cached, second.builds]).toEqual([true, 0]);
    expect(second.code).toBe(first.code);
  });

  test('GIVEN a changed imported source WHEN built again THEN it builds anew and the output has the change', () => {
    bundle();
    fs.writeFileSync(path.join(root, 'src', 'greeting.ts'), "export const greeting = 'changed';\n");
    const after = bundle();
    expect([after.cached, after.builds]).toEqual([false, 1]);
    expect(after.code).toContain('changed');
    // And the new build is the one cached from then on.
    expect(bundle()).toMatchObject({ cached: true, code: after.code });
  });

  test('GIVEN a new file beside a source (it could shadow an import) WHEN built again THEN it builds anew', () => {
    bundle();
    fs.mkdirSync(path.join(root, 'src', 'greeting'));
    fs.writeFileSync(path.join(root, 'src', 'greeting', 'index.ts'), "export const greeting = 'shadow';\n");
    expect(bundle()).toMatchObject({ cached: false, builds: 1 });
  });

  test('GIVEN a changed tsconfig.json above the sources (esbuild reads it without listing it) WHEN built again THEN it builds anew', () => {
    fs.writeFileSync(path.join(root, 'tsconfig.json'), '{ "compilerOptions": { "target": "ES2022" } }\n');
    bundle();
    expect(bundle().cached).toBe(true);
    fs.writeFileSync(path.join(root, 'tsconfig.json'), '{ "compilerOptions": { "target": "ES2020" } }\n');
    expect(bundle()).toMatchObject({ cached: false, builds: 1 });
  });

  test('GIVEN a cached entry whose output was removed WHEN built again THEN it builds instead of failing', () => {
    bundle();
    const [entry] = fs.readdirSync(path.join(root, 'cache'));
    fs.rmSync(path.join(root, 'cache', entry, 'out'), { recursive: true, force: true });
    const again = bundle();
    expect(again).toMatchObject({ cached: false, builds: 1 });
    expect(again.code).toContain('hello');
    expect(bundle()).toMatchObject({ cached: true, builds: 0 });
  });

  test('GIVEN other build options (the key) WHEN built THEN the earlier build is not reused', () => {
    bundle({ minify: false });
    expect(bundle({ minify: true })).toMatchObject({ cached: false, builds: 1 });
  });

  test('GIVEN BUILD_CACHE=off WHEN built twice THEN it builds both times', () => {
    process.env.BUILD_CACHE = 'off';
    try {
      expect(bundle()).toMatchObject({ cached: false, builds: 1 });
      expect(bundle()).toMatchObject({ cached: false, builds: 1 });
    } finally {
      delete process.env.BUILD_CACHE;
    }
  });

  test('GIVEN a metafile with a virtual input WHEN listed THEN only real files are returned, as absolute paths', () => {
    const inputs = esbuildInputs({ inputs: { 'src/a.ts': {}, '(disabled):../node_modules/x/index.js': {}, 'node_modules/y/index.js': {} } }, root);
    expect(inputs).toEqual([path.join(root, 'src', 'a.ts'), path.join(root, 'node_modules', 'y', 'index.js')]);
  });
});
