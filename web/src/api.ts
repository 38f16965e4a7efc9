/**
 * The REST API with plain fetch (smaller than aws-amplify/api): the user
 * pool ID token goes in `Authorization`, as the API's Cognito authorizer expects.
 */
import { fetchAuthSession } from 'aws-amplify/auth';

/** An API answer outside 2xx, with the `{"error":{"code","message"}}` body's fields. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** One entry of `GET /files`. */
export interface ApiFile {
  readonly name: string;
  readonly size: number;
  readonly lastModified: string;
  readonly status?: 'pending' | 'accepted' | 'rejected';
}

/** GETs `path` (relative to the API's base URL) and returns the parsed JSON body. */
export async function apiGet<T>(apiUrl: string, path: string): Promise<T> {
  const idToken = (await fetchAuthSession()).tokens?.idToken?.toString();
  if (!idToken) throw new ApiError(401, 'NotSignedIn', 'Sign in first');
  const response = await fetch(new URL(path, apiUrl), { headers: { Authorization: idToken } });
  const body = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
  if (!response.ok) {
    throw new ApiError(response.status, body?.error?.code ?? `HTTP${response.status}`, body?.error?.message ?? response.statusText);
  }
  return body as T;
}

/** `GET /files`: the caller's files with their check status (first 1000). */
export async function listFileStatuses(apiUrl: string): Promise<ApiFile[]> {
  const body = await apiGet<{ files?: ApiFile[] }>(apiUrl, 'files?limit=1000');
  return body.files ?? [];
}
