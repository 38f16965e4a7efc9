/**
 * The Content-Security-Policy the site is served with, locally and when
 * hosted: scripts and styles only from the site itself, network calls only to
 * AWS endpoints and the stage's API (and custom sign-in domain, if any).
 */
import type { AmplifyOutputs } from '../scripts/client-config/amplify-outputs';

/** Origins beyond AWS's own that the app calls: the REST API and a custom sign-in domain. */
export function extraConnectOrigins(outputs: AmplifyOutputs): string[] {
  const origins = Object.values(outputs.custom.API).map((api) => new URL(api.endpoint).origin);
  if (outputs.custom.auth.custom_domain) origins.push(`https://${outputs.custom.auth.custom_domain}`);
  return [...new Set(origins)].sort();
}

/** The policy as one header value. */
export function contentSecurityPolicy(connectOrigins: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self' https://*.amazonaws.com https://*.amazoncognito.com${connectOrigins.map((o) => ` ${o}`).join('')}`,
    "img-src 'self' data:",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}
