import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Where builds are kept: under node_modules (ignored by git, gone with a fresh `npm ci`). */
export const DEFAULT_BUILD_CACHE_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'cognito-access-builds');

export interface CachedBuildOptions {
  /** What is built, e.g. a handler's entry; names the cache entry. */
  readonly name: string;
  /**
   * Everything besides the input files that decides the output (the esbuild
   * options, with the output folder written as a placeholder). JSON-serializable.
   */
  readonly key: unknown;
  /** The folder the output is wanted in (CDK's bundling output folder). */
  readonly outDir: string;
  /**
   * Builds into the folder it is given and returns the absolute path of every
   * file the output was made from (for esbuild: the metafile's inputs, `esbuildInputs`).
   */
  readonly build: (outDir: string) => readonly string[];
  /** @default DEFAULT_BUILD_CACHE_DIR, or `BUILD_CACHE_DIR` from the environment */
  readonly cacheDir?: string;
}

interface Manifest {
  /** Input path → sha256 of its content, or of its folder's file names when the path is a `dir:` entry. */
  readonly inputs: Record<string, string>;
}

/**
 * Builds into `outDir`, or copies the output of an earlier build with the
 * same name and key whose inputs have not changed since (docs/performance.md,
 * "Suite and synth"). Inputs are compared by content, not by time, so a
 * checkout or a copied tree never reuses a stale build; the folder listing of
 * each input outside node_modules is compared too, so a new file that would
 * shadow a resolved import also forces a build. The lockfile is part of the key,
 * so an `npm ci` of other package versions does. `BUILD_CACHE=off` builds every time.
 * Returns whether the cache was used.
 */
export function cachedBuild(options: CachedBuildOptions): boolean {
  if (process.env.BUILD_CACHE === 'off') {
    options.build(options.outDir);
    return false;
  }
  const cacheDir = options.cacheDir ?? process.env.BUILD_CACHE_DIR ?? DEFAULT_BUILD_CACHE_DIR;
  const entry = path.join(cacheDir, `${slug(options.name)}-${sha256(JSON.stringify({ key: options.key, lockfile: lockfileHash() })).slice(0, 16)}`);
  if (isFresh(entry)) {
    try {
      fs.mkdirSync(options.outDir, { recursive: true });
      fs.cpSync(path.join(entry, 'out'), options.outDir, { recursive: true });
      return true;
    } catch {
      // The entry went while we copied (another process replaced it) or is damaged: build, and store anew.
      fs.rmSync(options.outDir, { recursive: true, force: true });
      fs.rmSync(entry, { recursive: true, force: true });
    }
  }
  const inputs = options.build(options.outDir);
  store(entry, options.outDir, manifestOf(inputs));
  return false;
}

/** The files an esbuild metafile lists, as absolute paths (virtual inputs such as `(disabled):…` are left out). */
export function esbuildInputs(metafile: { inputs: Record<string, unknown> } | undefined, workingDir: string): string[] {
  if (!metafile) throw new Error('esbuild ran without metafile: true; the build cache needs its inputs');
  return Object.keys(metafile.inputs)
    .filter((input) => !/^\([a-z-]+\):|^[a-z-]{2,}:/i.test(input))
    .map((input) => path.resolve(workingDir, input));
}

function isFresh(entry: string): boolean {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(entry, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return false;
  }
  return Object.entries(manifest.inputs).every(([input, hash]) => fingerprint(input) === hash);
}

function manifestOf(files: readonly string[]): Manifest {
  const inputs: Record<string, string> = {};
  for (const file of files) {
    inputs[file] = fingerprint(file) ?? '';
    if (file.split(path.sep).includes('node_modules')) continue;
    // Our own sources' folders: a file added beside an input can change what an import resolves to.
    inputs[`dir:${path.dirname(file)}`] = fingerprint(`dir:${path.dirname(file)}`) ?? '';
    // esbuild reads these without listing them as inputs (target, paths, decorators, sideEffects…).
    for (const config of configFilesAbove(file)) inputs[config] = fingerprint(config) ?? '';
  }
  return { inputs };
}

/** The tsconfig.json and package.json files from a source file's folder up to the repository root (or the filesystem's). */
function configFilesAbove(file: string): string[] {
  const found: string[] = [];
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    for (const name of ['tsconfig.json', 'package.json']) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate)) found.push(candidate);
    }
    if (dir === REPO_ROOT || dir === path.dirname(dir)) return found;
  }
}

/** Content hashes already taken in this process, by path, size and modification time (ns). */
const hashes = new Map<string, string>();

/** sha256 of a file's content, or of a folder's sorted names for `dir:` entries; undefined when gone. */
function fingerprint(input: string): string | undefined {
  try {
    if (input.startsWith('dir:')) return sha256(fs.readdirSync(input.slice(4)).sort().join('\n'));
    // Handlers share most of their inputs (the AWS SDK): each file is read once per synth.
    const stat = fs.statSync(input, { bigint: true });
    const key = `${input}\0${stat.size}\0${stat.mtimeNs}`;
    let hash = hashes.get(key);
    if (hash === undefined) {
      hash = sha256(fs.readFileSync(input));
      hashes.set(key, hash);
    }
    return hash;
  } catch {
    return undefined;
  }
}

/**
 * Writes the entry beside its final place and renames it in, so a concurrent
 * synth never reads half of one. A fresh entry another process stored first is
 * left alone (a reader may be copying it); a stale one is moved aside first.
 */
function store(entry: string, outDir: string, manifest: Manifest): void {
  if (isFresh(entry)) return;
  const suffix = `${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  const staging = `${entry}.${suffix}`;
  const stale = `${entry}.stale.${suffix}`;
  try {
    fs.mkdirSync(staging, { recursive: true });
    fs.cpSync(outDir, path.join(staging, 'out'), { recursive: true });
    fs.writeFileSync(path.join(staging, 'manifest.json'), JSON.stringify(manifest));
    if (fs.existsSync(entry)) fs.renameSync(entry, stale);
    fs.renameSync(staging, entry);
  } catch {
    // Another process stored the same entry first, or the cache is not writable: the build itself stands.
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(stale, { recursive: true, force: true });
  }
}

let lockfile: string | undefined;
function lockfileHash(): string {
  lockfile ??= fingerprint(path.join(REPO_ROOT, 'package-lock.json')) ?? 'none';
  return lockfile;
}

const sha256 = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const slug = (name: string) => name.replace(/[^A-Za-z0-9.-]+/g, '_').slice(-60);
