import * as path from 'node:path';
import type { BuildOptions } from 'esbuild';

const LAMBDA_DIR = path.join(__dirname, '..', '..', 'lambda');

/** One API route and the handler file behind it (structurally an `ApiRoute`). */
export interface HandlerRoute {
  /** Construct ID of the handler. Stable: it names the function. */
  readonly id: string;
  /** Absolute path of the handler source in `lambda/`; it exports `handler`. */
  readonly entry: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  /**
   * The S3 actions the handler needs on the files bucket, and no more.
   * `s3:ListBucket` applies to the bucket ARN, the others to `<bucket ARN>/*`.
   * Resolving the identity ID (Cognito Identity GetId) needs no IAM permission.
   */
  readonly s3Actions: string[];
}

/** The routes of DESIGN.md "REST API", one handler file each. */
export const HANDLER_ROUTES: readonly HandlerRoute[] = [
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
 * - target node24: the handlers run on `Runtime.NODEJS_24_X`. The sources stay
 *   within ES2022, so the same bundle also loads on Node 20 (the bundle test
 *   proves it on the local Node).
 * - `@aws-sdk/*` and `@smithy/*` are external: the Lambda Node runtime ships SDK
 *   v3, including s3-presigned-post and s3-request-presigner, so bundles hold
 *   only our own code (a few KB).
 * - CommonJS, minified, tree-shaken (esbuild's default when bundling).
 * - No source maps: errors are logged by name and message, so maps would only add weight.
 */
export function handlerEsbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    minify: true,
    treeShaking: true,
    sourcemap: false,
    legalComments: 'none',
    external: ['@aws-sdk/*', '@smithy/*'],
    logLevel: 'silent',
  };
}
