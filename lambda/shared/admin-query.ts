/**
 * Input rules of GET /admin/uploads: who may call (an access token with the
 * scope), `?limit=1..100` and the opaque `nextToken` (base64url of the JSON of
 * DynamoDB's LastEvaluatedKey, checked on the way back in). No SDK here.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type Claims } from './claims';
import { badRequest, forbidden } from './http';

export const DEFAULT_ADMIN_LIMIT = 100;
export const MAX_ADMIN_LIMIT = 100;
/** The GSI's partition value shared by every upload result. */
import { RESULT_KIND as UPLOAD_KIND } from '../../contracts/upload-results-table';

export { UPLOAD_KIND };

type Query = Record<string, string | undefined> | null | undefined;
type MultiQuery = Record<string, string[] | undefined> | null | undefined;

export interface AdminListQuery {
  readonly limit: number;
  readonly exclusiveStartKey?: Record<string, AttributeValue>;
}

/**
 * Defence in depth behind the authorizer's scope check: the verified claims must
 * be those of an access token whose `scope` names `requiredScope`. ID tokens,
 * user access tokens without the scope and machine tokens without it are refused.
 */
export function requireAccessTokenScope(claims: Claims, requiredScope: string): void {
  if (claims.token_use !== 'access') throw forbidden('This route needs an access token');
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  if (!scopes.includes(requiredScope)) throw forbidden(`This route needs the ${requiredScope} scope`);
}

export function parseAdminListQuery(query: Query, multi: MultiQuery): AdminListQuery {
  const params = query && typeof query === 'object' ? query : {};
  for (const name of ['limit', 'nextToken']) {
    const values = multi && typeof multi === 'object' ? multi[name] : undefined;
    if (Array.isArray(values) && values.length > 1) throw badRequest(`${name} must be given at most once`);
  }
  let limit = DEFAULT_ADMIN_LIMIT;
  if (params.limit !== undefined) {
    if (typeof params.limit !== 'string' || !/^[1-9]\d{0,2}$/.test(params.limit) || Number(params.limit) > MAX_ADMIN_LIMIT) {
      throw badRequest(`limit must be an integer from 1 to ${MAX_ADMIN_LIMIT}`);
    }
    limit = Number(params.limit);
  }
  if (params.nextToken === undefined) return { limit };
  return { limit, exclusiveStartKey: decodeStartKey(params.nextToken) };
}

/** A LastEvaluatedKey as an opaque, URL-safe token. */
export function encodeStartKey(key: Record<string, AttributeValue>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

const KEY_NAME = /^[A-Za-z0-9_.-]{1,255}$/;

/**
 * Only what a GSI page key can be: 2 to 4 string or number attributes, with
 * `kind` = "upload" (so a token can never start a query in another partition).
 */
function decodeStartKey(token: unknown): Record<string, AttributeValue> {
  const invalid = () => badRequest('nextToken is invalid');
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{1,4096}$/.test(token)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid();
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length < 2 || entries.length > 4) throw invalid();
  const key: Record<string, AttributeValue> = {};
  for (const [name, value] of entries) {
    if (!KEY_NAME.test(name) || value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid();
    const fields = Object.entries(value as Record<string, unknown>);
    if (fields.length !== 1) throw invalid();
    const [type, scalar] = fields[0];
    if (type === 'S' && typeof scalar === 'string' && scalar.length > 0 && scalar.length <= 1024) key[name] = { S: scalar };
    else if (type === 'N' && typeof scalar === 'string' && /^-?\d{1,38}(\.\d{1,38})?$/.test(scalar)) key[name] = { N: scalar };
    else throw invalid();
  }
  if (key.kind?.S !== UPLOAD_KIND || key.checkedAt === undefined) throw invalid();
  return key;
}
