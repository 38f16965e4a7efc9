/**
 * How the handlers' Cognito Identity and DynamoDB clients retry, and which of
 * their failures mean "busy, try again" (503) rather than a fault (500).
 *
 * The SDK's own `standard` retry strategy is used, not a hand-written loop: it
 * backs off with full jitter (a uniformly random delay up to base × 2^attempt,
 * base 1 s for throttling errors and 50 ms otherwise) and retries only errors
 * it classifies as throttling or transient. `maxAttempts: 3` bounds it to two
 * retries; the per-attempt timeouts and the caller's abort signal (see
 * identity.ts) bound the wall time well inside the handler timeout.
 */
import type { NodeHttpHandlerOptions } from '@smithy/types';

export const SDK_RETRY_SETTINGS = {
  maxAttempts: 3,
  retryMode: 'standard',
  requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 } satisfies NodeHttpHandlerOptions,
} as const;

/** Error names that mean "slow down": the SDK's throttling list, for the services these handlers call. */
const THROTTLING = new Set([
  'TooManyRequestsException', // Cognito Identity
  'LimitExceededException', // Cognito Identity
  'ProvisionedThroughputExceededException', // DynamoDB
  'ThrottlingException', // DynamoDB
  'RequestLimitExceeded', // DynamoDB (account-level)
  'Throttling',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * True when an SDK error (after the SDK's own retries) is throttling, a 5xx, a
 * timeout or a network failure: worth a 503 with Retry-After, not a 500.
 */
export function isThrottledOrTransient(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: number } } | null | undefined;
  if (e === null || typeof e !== 'object') return false;
  const status = e.$metadata?.httpStatusCode ?? 0;
  return (
    (typeof e.name === 'string' && (THROTTLING.has(e.name) || e.name === 'TimeoutError' || e.name === 'AbortError')) ||
    status === 429 ||
    status >= 500 ||
    e.$retryable !== undefined ||
    (typeof e.code === 'string' && NETWORK_CODES.has(e.code))
  );
}
