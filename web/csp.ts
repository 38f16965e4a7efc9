/**
 * The Content-Security-Policy the site is served with, locally and when
 * hosted: scripts and styles only from the site itself, network calls only to
 * the exact endpoints the stage's app calls (Cognito user pool and identity
 * pool of its Region, its bucket, its API, its sign-in domain), never to a
 * wildcard such as `*.amazonaws.com`, which would let an injected script send
 * data to any bucket in any account.
 */
import type { AmplifyOutputs } from '../contracts/amplify-outputs';

/** AWS's DNS suffix of a Region, as Amplify builds endpoint hosts. */
export function awsDnsSuffix(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/**
 * Every origin the app calls besides its own, from its outputs: Cognito's
 * user pool and identity pool endpoints, the bucket's virtual-hosted endpoint
 * (Amplify Storage's; path-style only for bucket names with dots, which the
 * stack never creates), the REST API, and the sign-in domain (token exchange).
 */
export function extraConnectOrigins(outputs: AmplifyOutputs): string[] {
  const authRegion = outputs.auth.aws_region;
  const storageRegion = outputs.storage.aws_region;
  const origins = [
    `https://cognito-idp.${authRegion}.${awsDnsSuffix(authRegion)}`,
    `https://cognito-identity.${authRegion}.${awsDnsSuffix(authRegion)}`,
    `https://${outputs.storage.bucket_name}.s3.${storageRegion}.${awsDnsSuffix(storageRegion)}`,
    ...Object.values(outputs.custom.API).map((api) => new URL(api.endpoint).origin),
  ];
  if (outputs.auth.oauth?.domain) origins.push(`https://${outputs.auth.oauth.domain}`);
  if (outputs.custom.auth.custom_domain) origins.push(`https://${outputs.custom.auth.custom_domain}`);
  return [...new Set(origins)].sort();
}

/** The policy as one header value; `connectOrigins` are the exact origins beyond the site's own. */
export function contentSecurityPolicy(connectOrigins: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self'${connectOrigins.map((o) => ` ${o}`).join('')}`,
    "img-src 'self' data:",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}
