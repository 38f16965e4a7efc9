import * as path from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { cachedBuild, esbuildInputs } from '../util/build-cache';
import { buildWebSync, COPIED_FILES, WEB_DIR, webEsbuildOptions } from '../../web/build';

/**
 * The web app's static files (index.html, app.js, app.css, favicon.svg), built
 * at synth by the same esbuild build as `npm run web:build`, in the synth
 * process: no Docker, so `cdk synth` works on a fresh clone.
 *
 * It is ordinary CDK asset bundling, so `aws:cdk:bundling-stacks` skips it
 * (as the unit tests do), and the asset hash is that of the built files.
 * `amplify_outputs.json` is not part of it: the stack writes that at deploy time.
 */
export function webBundleSource(): s3deploy.ISource {
  return s3deploy.Source.asset(WEB_DIR, {
    assetHashType: AssetHashType.OUTPUT,
    // A local build of the site would otherwise be fingerprinted with the sources.
    exclude: ['dist'],
    bundling: {
      // Never pulled: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
      // CDK caches bundles per source directory and (JSON-serializable) options, and `local`
      // is a function: a key of its own keeps any other asset of web/ from sharing this bundle.
      environment: { WEB_BUNDLE: path.basename(WEB_DIR) },
      local: {
        tryBundle(outputDir: string): boolean {
          // Built once per source hash: the same files as last synth unless an input changed (lib/util/build-cache.ts).
          cachedBuild({
            name: 'web',
            key: webEsbuildOptions('<out>'),
            outDir: outputDir,
            build: (outDir) => [
              ...esbuildInputs(buildWebSync(outDir).metafile, WEB_DIR),
              ...COPIED_FILES.map((file) => path.join(WEB_DIR, file)),
              // The build script itself: how the files are put together.
              path.join(WEB_DIR, 'build.ts'),
            ],
          });
          return true;
        },
      },
    },
  });
}
