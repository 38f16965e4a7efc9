import * as path from 'node:path';
import type { BuildOptions } from 'esbuild';
import type { ApiRoute } from './authorized-api';

const LAMBDA_DIR = path.join(__dirname, '..', '..', 'lambda');
const LAMBDA_CREDENTIALS = path.join(LAMBDA_DIR, 'shared', 'lambda-credentials.ts');

/** The routes of DESIGN.md "REST API", one handler file each. */
/** Resolving the identity ID (Cognito Identity GetId) needs no IAM permission, so no route lists one. */
export const HANDLER_ROUTES: readonly ApiRoute[] = [
  { id: 'Me', entry: path.join(LAMBDA_DIR, 'me.ts'), method: 'GET', path: '/me', s3Actions: [] },
  { id: 'ListFiles', entry: path.join(LAMBDA_DIR, 'list-files.ts'), method: 'GET', path: '/files', s3Actions: ['s3:ListBucket'] },
  // Presigned POSTs are signed with the handler's role: the upload is allowed only if the role may PutObject.
  { id: 'CreateUploadUrl', entry: path.join(LAMBDA_DIR, 'create-upload-url.ts'), method: 'POST', path: '/files/upload-url', s3Actions: ['s3:PutObject'] },
  // HeadObject and the presigned GET need GetObject; ListBucket makes S3 answer 404 (not 403) for a missing key.
  { id: 'GetFile', entry: path.join(LAMBDA_DIR, 'get-file.ts'), method: 'GET', path: '/files/{name}', s3Actions: ['s3:GetObject', 's3:ListBucket'] },
  { id: 'DeleteFile', entry: path.join(LAMBDA_DIR, 'delete-file.ts'), method: 'DELETE', path: '/files/{name}', s3Actions: ['s3:DeleteObject'] },
];

/**
 * The esbuild options of every handler bundle, used by the synth
 * (`bundledHandlerCode`), the bundle test and the benchmark alike.
 *
 * - The AWS SDK is bundled, not taken from the Lambda runtime: measured with
 *   `npm run bench`, a fresh process loads a handler in ~46-58 ms with the SDK
 *   tree-shaken into one minified file, against ~73-91 ms resolving the same
 *   clients from node_modules (README, Performance). It also pins the SDK to
 *   the version the tests ran against. Our own code stays a few KB.
 * - `mainFields: module` picks the SDK's ES module builds so tree-shaking works.
 * - The SDK's default credential chain is replaced by `lambda/shared/lambda-credentials.ts`
 *   (environment credentials, which is all Lambda provides): ~100 KB less to
 *   parse at every cold start.
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
