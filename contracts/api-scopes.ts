/**
 * The API's OAuth resource server and its scopes: pure data with no imports,
 * so the stack (lib/) creates the resource server and the scoped methods from
 * the same names the handlers (lambda/) check.
 */

/** The resource server's identifier; a scope in a token reads `<identifier>/<scope>`. */
export const API_RESOURCE_SERVER_ID = 'api';

/** Scope names on the resource server, by what they allow. */
export const API_SCOPES = {
  /** Read every user's upload check results (GET /admin/uploads). */
  uploadsRead: 'uploads.read',
} as const;

export type ApiScopeName = (typeof API_SCOPES)[keyof typeof API_SCOPES];

/** What each scope allows, for the resource server's scope descriptions. */
export const API_SCOPE_DESCRIPTIONS: Readonly<Record<ApiScopeName, string>> = {
  'uploads.read': 'Read the upload check results of every user',
};

/** The scope as it appears in an access token's `scope` claim, e.g. `api/uploads.read`. */
export function fullScope(scope: ApiScopeName): string {
  return `${API_RESOURCE_SERVER_ID}/${scope}`;
}
