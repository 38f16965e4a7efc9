/**
 * Where the web app sends Cognito's redirects, relative to its base URL
 * (`https://<distribution domain>`, no trailing slash). The stack registers
 * these on the web client and the client config lists them, from this one place.
 */

/** The page the hosted sign-in returns to: web/src/main.ts finishes the code exchange there. */
export const CALLBACK_PATH = '/auth/callback';

/** `<siteUrl>/auth/callback`. */
export function webAppCallbackUrl(siteUrl: string): string {
  return `${siteUrl}${CALLBACK_PATH}`;
}

/** `<siteUrl>/`: where sign-out lands. */
export function webAppLogoutUrl(siteUrl: string): string {
  return `${siteUrl}/`;
}
