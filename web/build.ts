/**
 * `npm run web:build`: bundles the browser app into `web/dist/` (index.html,
 * app.js, app.css, favicon.svg). Same sources give byte-identical output: no timestamps,
 * no hashes of the build environment.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build, buildSync, type BuildOptions, type Metafile } from 'esbuild';

export const WEB_DIR = __dirname;
export const DEFAULT_OUT_DIR = path.join(WEB_DIR, 'dist');

/** Files the site serves as they are, copied by every build. */
export const COPIED_FILES = ['index.html', 'favicon.svg'];

/** What a build wrote, in bytes. */
export interface WebBuildResult {
  readonly outDir: string;
  readonly files: Record<string, number>;
}

/** The esbuild options of the site bundle: one place for `npm run web:build` and the stack's synth-time asset. */
export function webEsbuildOptions(outDir: string): BuildOptions {
  return {
    entryPoints: { app: path.join(WEB_DIR, 'src', 'main.ts'), 'app-style': path.join(WEB_DIR, 'src', 'app.css') },
    outdir: outDir,
    bundle: true,
    minify: true,
    format: 'esm',
    // Code only one screen needs (the TOTP QR code) is loaded with import() from its own chunk.
    splitting: true,
    chunkNames: '[name]-[hash]',
    platform: 'browser',
    target: ['es2022'],
    // Apache-2.0 notices of the bundled libraries go to app.js.LEGAL.txt, linked from app.js.
    legalComments: 'linked',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
    absWorkingDir: WEB_DIR,
  };
}

/** Builds the site into `outDir` (emptied first, except amplify_outputs.json). */
export async function buildWeb(outDir: string = DEFAULT_OUT_DIR): Promise<WebBuildResult> {
  prepareOutDir(outDir);
  await build(webEsbuildOptions(outDir));
  return finishBuild(outDir);
}

/**
 * The same build, synchronously: CDK's local bundling (`tryBundle`) cannot
 * await, so the stack's web asset builds with this.
 */
export function buildWebSync(outDir: string): WebBuildResult & { readonly metafile?: Metafile } {
  prepareOutDir(outDir);
  // The metafile lists esbuild's inputs, for the synth's build cache (lib/web-app/web-bundle-source.ts).
  const { metafile } = buildSync({ ...webEsbuildOptions(outDir), metafile: true });
  return { ...finishBuild(outDir), metafile };
}

function prepareOutDir(outDir: string): void {
  fs.mkdirSync(outDir, { recursive: true });
  for (const entry of fs.readdirSync(outDir)) {
    if (entry !== 'amplify_outputs.json') fs.rmSync(path.join(outDir, entry), { recursive: true, force: true });
  }
}

function finishBuild(outDir: string): WebBuildResult {
  // esbuild names CSS after its entry; the page links /app.css.
  fs.renameSync(path.join(outDir, 'app-style.css'), path.join(outDir, 'app.css'));
  for (const file of COPIED_FILES) fs.copyFileSync(path.join(WEB_DIR, file), path.join(outDir, file));
  const files = Object.fromEntries(
    fs
      .readdirSync(outDir)
      .sort()
      .map((name) => [name, fs.statSync(path.join(outDir, name)).size]),
  );
  return { outDir, files };
}

if (require.main === module) {
  buildWeb().then(
    ({ outDir, files }) => {
      for (const [name, bytes] of Object.entries(files)) {
        process.stdout.write(`${path.relative(process.cwd(), path.join(outDir, name))}  ${(bytes / 1024).toFixed(1)} KB\n`);
      }
    },
    (error: unknown) => {
      process.stderr.write(`web build failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
