/**
 * `webOrigins`: the browser origins CORS allows on the bucket and the API.
 * The schema checks an origin's shape; that neither ever allows "*" is the
 * constructs' own rule (IdentityScopedStorage, AuthorizedApi).
 */
import { z } from 'zod';
import type { StageConfig } from '../stage-config';

/**
 * A browser origin: scheme, host and optional port, nothing else. https only,
 * except http://localhost for local development. `*` is never accepted.
 */
const webOrigin = z
  .string()
  .regex(
    /^(https:\/\/[a-z0-9.-]+|http:\/\/(localhost|127\.0\.0\.1))(:\d{1,5})?$/,
    'an origin such as https://app.example.org (http:// only for localhost; no path, no "*")',
  );

export const webOrigins = z
  .array(webOrigin)
  .default([])
  .describe(
    'Browser origins allowed by CORS on the bucket and the API: https only (http://localhost in removal "destroy" stages), never "*". A retained stage refuses any origin whose host is this machine, as for callback URLs.',
  );

/**
 * The stage's `webOrigins`, plus the hosted web app's origin when the stage
 * hosts it (`siteUrl`, `https://<distribution domain>`, a token; it has no path).
 */
export function webOriginsOf(config: StageConfig, siteUrl: string | undefined): string[] {
  return siteUrl ? [...config.webOrigins, siteUrl] : [...config.webOrigins];
}
