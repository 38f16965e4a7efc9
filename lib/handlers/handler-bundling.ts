import * as path from 'node:path';
import type { BuildOptions } from 'esbuild';

const LAMBDA_CREDENTIALS = path.join(__dirname, '..', '..', 'lambda', 'shared', 'lambda-credentials.ts');

/**
 * The esbuild options of every handler bundle, used by the synth
 * (`bundledHandlerCode`), the bundle test and the benchmark alike.
 *
 * - The AWS SDK is bundled, not taken from the Lambda runtime: measured with
 *   `npm run bench`, a fresh process loads a handler in about 41-44 ms with the
 *   SDK tree-shaken into one minified file, against 73-91 ms resolving the same
 *   clients from node_modules (README, Performance). It also pins the SDK to
 *   the version the tests ran against. Our own code stays a few KB.
 * - `mainFields: module` picks the SDK's ES module builds so tree-shaking works.
 * - The SDK's default credential chain is replaced by `lambda/shared/lambda-credentials.ts`
 *   (environment credentials, which is all Lambda provides): about 100 KB less
 *   to parse at every cold start.
 * - target node24: the handlers run on `Runtime.NODEJS_24_X`; the output still
 *   loads on Node 20 (the bundle test proves it on the local Node).
 * - CommonJS, minified, no source maps (errors are logged by name and message).
 */
export function handlerEsbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    mainFields: ['module', 'main'],
    alias: { '@aws-sdk/credential-provider-node': LAMBDA_CREDENTIALS },
    minify: true,
    treeShaking: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
  };
}
