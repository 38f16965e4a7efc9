/**
 * Environment parsing. Each handler reads the groups it needs once, at module
 * scope, through `loadOnce`: a bad or missing variable does not crash the init
 * (API Gateway would answer a bare 502); every request then fails closed with a
 * 500 and the problem is logged. Variable names come from `contracts/handler-env.ts`.
 */
import { HANDLER_ENV, UPLOAD_DEFAULTS } from '../../contracts/handler-env';
import type { LogFileNames } from './log';

/** Thrown for a missing or malformed environment variable. Logged, never shown to callers. */
export class ConfigError extends Error {
  constructor(problems: readonly string[]) {
    super(`Invalid environment: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** S3's single-request (and POST) upload ceiling. */
const MAX_S3_SINGLE_UPLOAD = 5 * 1024 ** 3;
/** SigV4 presigned requests are valid for at most 7 days. */
const MAX_PRESIGN_TTL = 7 * 24 * 3600;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const IDENTITY_POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d{1,2}):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const USER_POOL_PROVIDER = /^cognito-idp\.[a-z]{2}(-[a-z]+)+-\d{1,2}\.amazonaws\.com(\.cn)?\/[\w-]+_[0-9a-zA-Z]+$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

export interface CorsEnv {
  /** Exact origins whose requests get `Access-Control-Allow-Origin`. Empty: none. */
  readonly allowedOrigins: ReadonlySet<string>;
}

export interface IdentityEnv {
  readonly identityPoolId: string;
  /** Key of the `Logins` map, e.g. `cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC`. */
  readonly userPoolProviderName: string;
  /** The identity pool's region; identity IDs are `<region>:<uuid>`. */
  readonly identityRegion: string;
  /** Exact length of an identity ID of this pool, known before calling GetId. */
  readonly identityIdLength: number;
  /** DynamoDB table holding `sub` → identity ID, written once per user after GetId. */
  readonly identityMapTable: string;
}

export interface StorageEnv {
  readonly bucketName: string;
  readonly region: string;
  /** Lower-case media types, e.g. `text/csv`. */
  readonly allowedContentTypes: readonly string[];
  readonly maxUploadBytes: number;
  readonly uploadUrlTtlSeconds: number;
  readonly downloadUrlTtlSeconds: number;
}

export interface UploadResultsEnv {
  /** The DynamoDB table of upload check results and per-identity usage. */
  readonly uploadResultsTable: string;
}

export interface LogEnv {
  /** `hash` unless LOG_FILE_NAMES says `plain` (an unset variable fails safe). */
  readonly logFileNames: LogFileNames;
}

export interface UploadCheckEnv extends UploadResultsEnv, LogEnv {
  readonly bucketName: string;
  /** Lower-case media types a stored object's Content-Type must be one of. */
  readonly allowedContentTypes: readonly string[];
  readonly maxUploadBytes: number;
  readonly quotaBytesPerUser: number;
  readonly csvMaxColumns: number;
  readonly csvMaxFieldBytes: number;
}

/** ALLOWED_ORIGINS: comma-separated exact origins. Absent or empty: no origin is echoed (fails closed). */
export function readCorsEnv(env: Env): CorsEnv {
  const origins = (env[HANDLER_ENV.allowedOrigins] ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
  return { allowedOrigins: new Set(origins) };
}

export function readIdentityEnv(env: Env): IdentityEnv {
  const problems: string[] = [];
  const identityPoolId = required(env, HANDLER_ENV.identityPoolId, problems, IDENTITY_POOL_ID, '<region>:<uuid>');
  const userPoolProviderName = required(env, HANDLER_ENV.userPoolProviderName, problems, USER_POOL_PROVIDER, 'cognito-idp.<region>.amazonaws.com/<userPoolId>');
  const identityMapTable = required(env, HANDLER_ENV.identityMapTable, problems, TABLE_NAME, 'a DynamoDB table name');
  if (problems.length > 0) throw new ConfigError(problems);
  const identityRegion = identityPoolId.slice(0, identityPoolId.indexOf(':'));
  return { identityPoolId, userPoolProviderName, identityRegion, identityIdLength: identityRegion.length + 1 + 36, identityMapTable };
}

export function readStorageEnv(env: Env): StorageEnv {
  const problems: string[] = [];
  const bucketName = required(env, HANDLER_ENV.bucketName, problems, BUCKET, 'an S3 bucket name');
  const region = required(env, 'AWS_REGION', problems, REGION, 'an AWS region');
  const allowedContentTypes = contentTypes(env, problems);
  const maxUploadBytes = integer(env, HANDLER_ENV.maxUploadBytes, UPLOAD_DEFAULTS.maxUploadBytes, 1, MAX_S3_SINGLE_UPLOAD, problems);
  const uploadUrlTtlSeconds = integer(env, HANDLER_ENV.uploadUrlTtlSeconds, UPLOAD_DEFAULTS.uploadUrlTtlSeconds, 1, MAX_PRESIGN_TTL, problems);
  const downloadUrlTtlSeconds = integer(env, HANDLER_ENV.downloadUrlTtlSeconds, UPLOAD_DEFAULTS.downloadUrlTtlSeconds, 1, MAX_PRESIGN_TTL, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { bucketName, region, allowedContentTypes, maxUploadBytes, uploadUrlTtlSeconds, downloadUrlTtlSeconds };
}

export function readUploadResultsEnv(env: Env): UploadResultsEnv {
  const problems: string[] = [];
  const uploadResultsTable = required(env, HANDLER_ENV.uploadResultsTable, problems, TABLE_NAME, 'a DynamoDB table name');
  if (problems.length > 0) throw new ConfigError(problems);
  return { uploadResultsTable };
}

export interface AccountDeletionEnv extends UploadResultsEnv {
  /** The identity-scoped items table (partition `identityId`, sort `itemId`). */
  readonly itemsTable: string;
  /** The user pool the caller belongs to, from USER_POOL_PROVIDER_NAME (`…/<userPoolId>`). */
  readonly userPoolId: string;
}

/** What DELETE /me needs beyond the identity and storage variables. */
export function readAccountDeletionEnv(env: Env): AccountDeletionEnv {
  const problems: string[] = [];
  const itemsTable = required(env, HANDLER_ENV.itemsTable, problems, TABLE_NAME, 'a DynamoDB table name');
  const uploadResultsTable = required(env, HANDLER_ENV.uploadResultsTable, problems, TABLE_NAME, 'a DynamoDB table name');
  const provider = required(env, HANDLER_ENV.userPoolProviderName, problems, USER_POOL_PROVIDER, 'cognito-idp.<region>.amazonaws.com/<userPoolId>');
  if (problems.length > 0) throw new ConfigError(problems);
  return { itemsTable, uploadResultsTable, userPoolId: provider.slice(provider.lastIndexOf('/') + 1) };
}

/** LOG_FILE_NAMES: `plain` or `hash`; unset means `hash`, anything else is an error. */
export function readLogEnv(env: Env): LogEnv {
  const problems: string[] = [];
  const logFileNames = logMode(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { logFileNames };
}

/** The upload checker's variables (it needs no identity pool and no presigning settings). */
export function readUploadCheckEnv(env: Env): UploadCheckEnv {
  const problems: string[] = [];
  const bucketName = required(env, HANDLER_ENV.bucketName, problems, BUCKET, 'an S3 bucket name');
  const uploadResultsTable = required(env, HANDLER_ENV.uploadResultsTable, problems, TABLE_NAME, 'a DynamoDB table name');
  const allowedContentTypes = contentTypes(env, problems);
  const logFileNames = logMode(env, problems);
  const maxUploadBytes = integer(env, HANDLER_ENV.maxUploadBytes, UPLOAD_DEFAULTS.maxUploadBytes, 1, MAX_S3_SINGLE_UPLOAD, problems);
  const quotaBytesPerUser = integer(env, HANDLER_ENV.quotaBytesPerUser, UPLOAD_DEFAULTS.quotaBytesPerUser, 1, Number.MAX_SAFE_INTEGER, problems);
  const csvMaxColumns = integer(env, HANDLER_ENV.csvMaxColumns, UPLOAD_DEFAULTS.csvMaxColumns, 1, 100_000, problems);
  const csvMaxFieldBytes = integer(env, HANDLER_ENV.csvMaxFieldBytes, UPLOAD_DEFAULTS.csvMaxFieldBytes, 1, MAX_S3_SINGLE_UPLOAD, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { bucketName, uploadResultsTable, allowedContentTypes, logFileNames, maxUploadBytes, quotaBytesPerUser, csvMaxColumns, csvMaxFieldBytes };
}

/** ALLOWED_CONTENT_TYPES, lower-cased; the default list when unset. */
function contentTypes(env: Env, problems: string[]): string[] {
  const types = (env[HANDLER_ENV.allowedContentTypes] ?? UPLOAD_DEFAULTS.allowedContentTypes.join(','))
    .split(',')
    .map((type) => type.trim().toLowerCase())
    .filter((type) => type.length > 0);
  if (types.length === 0 || !types.every((type) => MEDIA_TYPE.test(type))) {
    problems.push(`${HANDLER_ENV.allowedContentTypes} must be a comma-separated list of type/subtype media types`);
  }
  return types;
}

function logMode(env: Env, problems: string[]): LogFileNames {
  const raw = env[HANDLER_ENV.logFileNames];
  if (raw === undefined || raw === '' || raw === 'hash') return 'hash';
  if (raw === 'plain') return 'plain';
  problems.push(`${HANDLER_ENV.logFileNames} must be plain or hash`);
  return 'hash';
}

/**
 * Runs `read` now (module scope) and remembers its value or error; `get()`
 * returns the value or rethrows, so each request fails closed the same way.
 */
export function loadOnce<T>(read: () => T): { readonly get: () => T; readonly value: T | undefined } {
  let value: T | undefined;
  let error: unknown;
  try {
    value = read();
  } catch (caught) {
    error = caught;
  }
  return {
    value,
    get: () => {
      if (error !== undefined) throw error instanceof Error ? error : new Error('the module-scope read failed', { cause: error });
      return value as T;
    },
  };
}

function required(env: Env, name: string, problems: string[], pattern: RegExp, expected: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    problems.push(`${name} is not set`);
    return '';
  }
  if (!pattern.test(value)) problems.push(`${name} must be ${expected}`);
  return value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = /^\d{1,12}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) {
    problems.push(`${name} must be an integer from ${min} to ${max}`);
    return fallback;
  }
  return value;
}
