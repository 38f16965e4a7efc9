/**
 * The REST API's routes as one table (docs/design.md, "REST API"). Adding a
 * route is one row here plus its handler file in `lambda/`: the API creates
 * the method, the handler's function and role, its grants and the CORS methods
 * from this row alone.
 */
import { API_SCOPES, fullScope } from '../../contracts/api-scopes';
import { handlerEntry } from '../handlers/handler-entry';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/** One route and the handler behind it. */
export interface ApiRoute {
  /** Construct ID of the handler, e.g. `ListFiles`. Stable: it names the function. */
  readonly id: string;
  /** Handler source file, e.g. `lambda/list-files.ts`. */
  readonly entry: string;
  readonly method: HttpMethod;
  /** Resource path such as `/files/{name}`. */
  readonly path: string;
  /**
   * The S3 actions this handler needs on the user-files bucket, and no more.
   * `s3:ListBucket` applies to the bucket ARN, the others to `<bucket ARN>/*`.
   */
  readonly s3Actions: readonly string[];
  /**
   * The handler resolves the caller's identity ID, so it reads and writes the
   * API's identity map (GetId itself needs no IAM permission).
   */
  readonly resolvesIdentity: boolean;
  /** The handler reads upload-check results (statuses). */
  readonly readsUploadResults?: boolean;
  /** The handler lists every identity's results, newest first (operators). */
  readonly listsUploadResults?: boolean;
  /**
   * The handler deletes the caller's whole account (docs/design.md, "Account deletion"):
   * its role gets the deletion grants of every concern that holds the caller's data.
   */
  readonly deletesAccount?: boolean;
  /**
   * OAuth scopes (`<resource server>/<scope>`) the method demands. With scopes,
   * API Gateway's Cognito authorizer accepts only an access token carrying one
   * of them and refuses ID tokens.
   * @default - none: the method takes a user pool ID token
   */
  readonly scopes?: readonly string[];
}

/** Every route of the API. */
export const API_ROUTES: readonly ApiRoute[] = [
  { id: 'Me', entry: handlerEntry('me'), method: 'GET', path: '/me', s3Actions: [], resolvesIdentity: false },
  {
    id: 'ListFiles',
    entry: handlerEntry('list-files'),
    method: 'GET',
    path: '/files',
    s3Actions: ['s3:ListBucket'],
    resolvesIdentity: true,
    readsUploadResults: true,
  },
  // Presigned POSTs are signed with the handler's role: the upload is allowed only if the role may PutObject.
  {
    id: 'CreateUploadUrl',
    entry: handlerEntry('create-upload-url'),
    method: 'POST',
    path: '/files/upload-url',
    s3Actions: ['s3:PutObject'],
    resolvesIdentity: true,
  },
  // HeadObject and the presigned GET need GetObject; ListBucket makes S3 answer 404 (not 403) for a missing key.
  {
    id: 'GetFile',
    entry: handlerEntry('get-file'),
    method: 'GET',
    path: '/files/{name}',
    s3Actions: ['s3:GetObject', 's3:ListBucket'],
    resolvesIdentity: true,
  },
  // HeadObject tells a pending upload (object, no result yet) from an unknown name.
  {
    id: 'GetFileStatus',
    entry: handlerEntry('get-file-status'),
    method: 'GET',
    path: '/files/{name}/status',
    s3Actions: ['s3:GetObject', 's3:ListBucket'],
    resolvesIdentity: true,
    readsUploadResults: true,
  },
  { id: 'DeleteFile', entry: handlerEntry('delete-file'), method: 'DELETE', path: '/files/{name}', s3Actions: ['s3:DeleteObject'], resolvesIdentity: true },
  // Its S3, table and Cognito permissions come from the owners' deletion grants (AccountDeletionTargets), not s3Actions.
  { id: 'DeleteMe', entry: handlerEntry('delete-me'), method: 'DELETE', path: '/me', s3Actions: [], resolvesIdentity: true, deletesAccount: true },
  // Machine clients only: an access token with the scope; the handler checks the claims again.
  {
    id: 'ListUploads',
    entry: handlerEntry('list-uploads'),
    method: 'GET',
    path: '/admin/uploads',
    s3Actions: [],
    resolvesIdentity: false,
    listsUploadResults: true,
    scopes: [fullScope(API_SCOPES.uploadsRead)],
  },
];

/** The methods a browser may call, for CORS preflights: every route's method plus OPTIONS. */
export function corsMethods(routes: readonly ApiRoute[]): string[] {
  return [...new Set([...routes.map((route) => route.method), 'OPTIONS'])];
}
