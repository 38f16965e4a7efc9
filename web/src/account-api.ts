/**
 * The two account calls whose failure the page must see: `DELETE /me` on the
 * REST API, and Cognito's `GlobalSignOut`. Amplify's `signOut({ global: true })`
 * swallows a failed `GlobalSignOut` and clears the local tokens anyway, so the
 * page would say "signed out everywhere" while every other device stays
 * signed in; calling it here first lets a failure keep the user signed in.
 */
import { fetchAuthSession } from 'aws-amplify/auth';
import { ApiError } from './api';

/**
 * How often, and how patiently, `DELETE /me` is repeated while it answers 202,
 * and how many 503s (`unavailable`, throttled: docs/design.md, "Identity
 * resolution") it rides out; the deletion is safe to repeat.
 */
const DELETE_RETRY = { attempts: 40, unavailable: 3, defaultDelayMs: 1_000, maxDelayMs: 5_000 } as const;

export type DeleteOutcome = 'deleted' | 'stillRunning';

/**
 * `DELETE /me` with the ID token, repeated while it answers 202 ("in progress,
 * call again"); 204 means everything of the caller is gone.
 */
export async function deleteAccount(apiUrl: string, sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))): Promise<DeleteOutcome> {
  let unavailable = 0;
  for (let attempt = 0; attempt < DELETE_RETRY.attempts; attempt++) {
    // Asked each time: a long deletion may outlive the ID token, and Amplify refreshes it.
    const idToken = (await fetchAuthSession()).tokens?.idToken?.toString();
    if (!idToken) throw new ApiError(401, 'NotSignedIn', 'Sign in first');
    const response = await fetch(new URL('me', apiUrl), { method: 'DELETE', headers: { Authorization: idToken }, cache: 'no-store' });
    if (response.status === 204) return 'deleted';
    if (response.status === 503 && unavailable++ < DELETE_RETRY.unavailable) {
      await sleep(retryDelayMs(response));
      continue;
    }
    if (response.status !== 202) throw await apiError(response);
    await sleep(retryDelayMs(response));
  }
  return 'stillRunning';
}

/** `Retry-After` (seconds), capped; a default when absent. */
function retryDelayMs(response: Response): number {
  const retryAfter = Number(response.headers.get('Retry-After'));
  return Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, DELETE_RETRY.maxDelayMs) : DELETE_RETRY.defaultDelayMs;
}

/**
 * Cognito `GlobalSignOut` with the access token: revokes every refresh token
 * of the user (docs/api.md, "What signing out reaches"). Throws when Cognito
 * refuses, so the caller can keep the user signed in and say so.
 */
export async function globalSignOut(region: string, userPoolEndpoint?: string): Promise<void> {
  const accessToken = (await fetchAuthSession()).tokens?.accessToken?.toString();
  if (!accessToken) throw new ApiError(401, 'NotSignedIn', 'Sign in first');
  // The endpoint Amplify itself calls: the local run's, else the Region's.
  const endpoint = userPoolEndpoint ?? `https://cognito-idp.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}/`;
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.GlobalSignOut' },
    body: JSON.stringify({ AccessToken: accessToken }),
    cache: 'no-store',
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { __type?: string; message?: string; Message?: string };
    throw new ApiError(response.status, (body.__type ?? `HTTP${response.status}`).split('#').pop()!, body.message ?? body.Message ?? response.statusText);
  }
}

async function apiError(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
  return new ApiError(response.status, body?.error?.code ?? `HTTP${response.status}`, body?.error?.message ?? response.statusText);
}
