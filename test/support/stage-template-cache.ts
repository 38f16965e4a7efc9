/**
 * A shipped stage's synthesized template and assembly, kept on disk across
 * test files and runs while nothing that can change them has changed, for
 * tests that read the template but never the construct tree (the local
 * services' tests). A hit loads neither aws-cdk-lib nor lib/: about 2.5 s of
 * a test file (docs/performance.md, "Suite and synth").
 *
 * The key is a hash of the stage name and every file outside the folders that
 * cannot affect a synth (tests, docs, scripts, build output), so a new source
 * folder is covered without listing it here.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CACHE_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'cognito-access-stage-templates');

/** Top-level entries that no synth reads; everything else is part of the key. */
const NOT_SYNTH_INPUTS = new Set([
  '.git',
  'node_modules',
  'test',
  'docs',
  'scripts',
  'bench',
  'release',
  'cdk.out',
  '.ci',
  '.github',
  '.bench',
  '.local',
  '.bundle-test',
  '.cdk.staging',
  'coverage',
  'tmp',
  'README.md',
]);
/** Build output inside source folders (web/dist is excluded from the web asset too). */
const NOT_SYNTH_PATHS = new Set([path.join('web', 'dist')]);

export interface CachedStageTemplate {
  readonly template: { [key: string]: any };
  readonly stackName: string;
  /** The cached assembly (its asset folders): read it, never write to it. */
  readonly assemblyDir: string;
}

/** The stage as `synthStage({ stage, rulePacks: false })` synthesizes it (no bundling), from the cache when fresh. */
export function cachedStageTemplate(stage: string): CachedStageTemplate {
  const entry = path.join(CACHE_DIR, `${stage}-${sourceHash()}`);
  const meta = path.join(entry, 'meta.json');
  if (!fs.existsSync(meta)) {
    const unstored = store(entry, stage);
    if (unstored) return unstored;
  }
  const { stackName, templateFile } = JSON.parse(fs.readFileSync(meta, 'utf8')) as { stackName: string; templateFile: string };
  const assemblyDir = path.join(entry, 'assembly');
  return { template: JSON.parse(fs.readFileSync(path.join(assemblyDir, templateFile), 'utf8')), stackName, assemblyDir };
}

/** Synthesizes the stage into the cache; returns it directly when the cache cannot be written (a read-only node_modules). */
function store(entry: string, stage: string): CachedStageTemplate | undefined {
  // Loaded only on a miss: a hit needs no CDK at all.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see the line above
  const { synthStage } = require('./synth') as typeof import('./synth');
  const { stack, assembly } = synthStage({ stage, rulePacks: false });
  const staging = `${entry}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  try {
    fs.mkdirSync(staging, { recursive: true });
    fs.cpSync(assembly.directory, path.join(staging, 'assembly'), { recursive: true });
    fs.writeFileSync(path.join(staging, 'meta.json'), JSON.stringify({ stackName: stack.stackName, templateFile: stack.templateFile }));
  } catch {
    fs.rmSync(staging, { recursive: true, force: true });
    const template = JSON.parse(fs.readFileSync(path.join(assembly.directory, stack.templateFile), 'utf8')) as CachedStageTemplate['template'];
    return { template, stackName: stack.stackName, assemblyDir: assembly.directory };
  }
  try {
    fs.renameSync(staging, entry);
  } catch {
    // Another test file stored the same entry first: same inputs, same content.
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return undefined;
}

let hash: string | undefined;
/** sha256 over the path and content of every file a synth may read, the support code included. */
function sourceHash(): string {
  if (hash) return hash;
  const digest = crypto.createHash('sha256');
  // A stage without account or region takes the CLI's (stackEnvFor), so the environment is an input too.
  digest.update(`${process.env.CDK_DEFAULT_ACCOUNT ?? ''}\0${process.env.CDK_DEFAULT_REGION ?? ''}\0`);
  const files = [...walk(''), path.join('test', 'support', 'synth.ts'), path.join('test', 'support', 'stage-template-cache.ts')];
  for (const file of files.sort())
    digest
      .update(`${file}\0`)
      .update(fs.readFileSync(path.join(REPO_ROOT, file)))
      .update('\0');
  hash = digest.digest('hex').slice(0, 16);
  return hash;
}

function walk(dir: string): string[] {
  return fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if ((dir === '' && NOT_SYNTH_INPUTS.has(entry.name)) || NOT_SYNTH_PATHS.has(rel)) return [];
    if (entry.isDirectory()) return walk(rel);
    return entry.isFile() ? [rel] : [];
  });
}
