import * as path from 'node:path';
import { AssetHashType } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';
import { cachedBuild, esbuildInputs } from '../util/build-cache';
import { handlerEsbuildOptions } from './handler-bundling';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * A handler bundled locally by esbuild's API, in the synth process, with the
 * same options the bundle test uses. NodejsFunction's own bundling spawns
 * `npx --no-install esbuild` per function (about 330 ms of npm start-up each,
 * most of a synth); this is the same esbuild build without the spawn.
 *
 * It is ordinary CDK asset bundling, so `aws:cdk:bundling-stacks` still skips
 * it (as the unit tests do), and the asset hash is that of the bundle itself.
 */
export function bundledHandlerCode(entry: string): lambda.Code {
  return lambda.Code.fromAsset(path.dirname(entry), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling always succeeds or throws.
      image: lambda.Runtime.NODEJS_24_X.bundlingImage,
      // CDK caches bundles per source directory and (JSON-serializable) options, and
      // `local` is a function: without a per-entry value every handler in lambda/
      // would receive the first one's bundle. The relative path keeps synth deterministic.
      environment: { HANDLER_ENTRY: path.basename(entry) },
      local: {
        tryBundle(outputDir: string): boolean {
          // The same bundle as last synth unless one of its inputs changed (lib/util/build-cache.ts).
          cachedBuild({
            name: `handler-${path.basename(entry)}`,
            key: { entry: path.relative(REPO_ROOT, entry), options: handlerEsbuildOptions(entry, path.join('<out>', 'index.js')) },
            outDir: outputDir,
            build: (outDir) => {
              const options = handlerEsbuildOptions(entry, path.join(outDir, 'index.js'));
              return esbuildInputs(buildSync({ ...options, metafile: true }).metafile, process.cwd());
            },
          });
          return true;
        },
      },
    },
  });
}
