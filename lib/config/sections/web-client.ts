/**
 * `webClient` and `machineClients`: the user pool's app clients, and the
 * UserDirectory props they become. Their retained-stage limits are checked
 * with the rest of that policy in stage-config.ts.
 */
import { Duration } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { z } from 'zod';
import { API_SCOPES, type ApiScopeName } from '../../../contracts/api-scopes';
import { webAppCallbackUrl, webAppLogoutUrl } from '../../../contracts/web-app-urls';
import { USER_DIRECTORY_DEFAULTS } from '../../user-directory/user-directory-defaults';
import type { UserDirectoryProps } from '../../user-directory/user-directory';
import { constructIdPart } from '../../util/construct-id';
import { redirectUrl } from '../fields';
import { LOOPBACK_TEXT, MAX_RETAINED_REFRESH_TOKEN_DAYS, MAX_RETAINED_TOKEN_MINUTES } from '../retained-stage-limits';
import type { StageConfig } from '../stage-config';

const TOKEN_MINUTES_TEXT = `At most ${MAX_RETAINED_TOKEN_MINUTES} in a retained stage: signing out does not revoke a token already issued (docs/api.md, "What signing out reaches").`;

export const webClient = z
  .strictObject({
    callbackUrls: z
      .array(redirectUrl)
      .min(1)
      .describe(
        `Where Cognito may send users after sign-in: https URLs without #fragments; https://example.com is refused. http://localhost and http://127.0.0.1 only in removal "destroy" stages. ${LOOPBACK_TEXT}`,
      ),
    logoutUrls: z.array(redirectUrl).min(1).describe('Where Cognito may send users after sign-out; the same rules as callbackUrls.'),
    scopes: z
      .array(z.enum(['openid', 'email', 'profile', 'phone', 'aws.cognito.signin.user.admin']))
      .min(1)
      .default([...USER_DIRECTORY_DEFAULTS.oAuthScopes])
      .refine((scopes) => scopes.includes('openid'), 'a scope list that includes "openid"')
      .describe('OAuth scopes of the web client; must include "openid".'),
    accessTokenMinutes: z
      .number()
      .int()
      .min(5)
      .max(1440)
      .default(USER_DIRECTORY_DEFAULTS.accessTokenMinutes)
      .describe(`Access token lifetime. ${TOKEN_MINUTES_TEXT}`),
    idTokenMinutes: z
      .number()
      .int()
      .min(5)
      .max(1440)
      .default(USER_DIRECTORY_DEFAULTS.idTokenMinutes)
      .describe(`ID token lifetime; the REST API accepts an ID token until it expires. ${TOKEN_MINUTES_TEXT}`),
    refreshTokenDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(USER_DIRECTORY_DEFAULTS.refreshTokenDays)
      .describe(
        `Refresh token lifetime; at most ${MAX_RETAINED_REFRESH_TOKEN_DAYS} in a retained stage (a stolen refresh token mints new tokens until it expires).`,
      ),
    authSessionMinutes: z
      .number()
      .int()
      .min(3)
      .max(15)
      .default(USER_DIRECTORY_DEFAULTS.authSessionMinutes)
      .describe('How long a sign-in session lasts between challenges (e.g. entering an MFA code).'),
    refreshTokenRotation: z
      .strictObject({
        enabled: z
          .boolean()
          .default(USER_DIRECTORY_DEFAULTS.refreshTokenRotation.enabled)
          .describe(
            "Each refresh returns a new refresh token (Cognito's GetTokensFromRefreshToken, which Amplify v6 uses); the client then no longer allows the legacy REFRESH_TOKEN_AUTH flow, which Cognito refuses on rotating clients.",
          ),
        retryGraceSeconds: z
          .number()
          .int()
          .min(0)
          .max(60)
          .default(USER_DIRECTORY_DEFAULTS.refreshTokenRotation.retryGraceSeconds)
          .describe('Seconds the replaced refresh token still works, for a retry after a lost response.'),
      })
      .prefault({})
      .describe('Refresh token rotation.'),
  })
  .describe('The public web client (no secret): SRP sign-in and the authorization-code grant, never the implicit grant.');

const API_SCOPE_NAMES: readonly string[] = Object.values(API_SCOPES);

const machineClient = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,62}$/, 'a name of letters, digits and hyphens, starting with a letter')
    .describe('Names the app client and its construct ID.'),
  scopes: z
    .array(z.string().refine((scope) => API_SCOPE_NAMES.includes(scope), `a scope of the "api" resource server: ${API_SCOPE_NAMES.join(', ')}`))
    .min(1)
    .refine((scopes) => new Set(scopes).size === scopes.length, 'each scope once')
    .describe(`Scopes of the "api" resource server, each once: ${API_SCOPE_NAMES.join(', ')}.`),
  accessTokenMinutes: z
    .number()
    .int()
    .min(5)
    .max(1440)
    .default(USER_DIRECTORY_DEFAULTS.machineAccessTokenMinutes)
    .describe(`Its access token lifetime; at most ${MAX_RETAINED_TOKEN_MINUTES} in a retained stage (a machine token cannot be revoked before it expires).`),
});

export const machineClients = z
  .array(machineClient)
  .default([])
  .superRefine((clients, ctx) => {
    const seen = new Map<string, string>();
    clients.forEach((client, i) => {
      const first = seen.get(constructIdPart(client.name));
      if (first !== undefined)
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `a name that differs from "${first}" by more than case or punctuation` });
      else seen.set(constructIdPart(client.name), client.name);
    });
  })
  .describe(
    'Confidential app clients (generated secret) for services: client credentials only, access tokens with scopes of the "api" resource server. Needs a domain (tokens come from <domain>/oauth2/token). The secret is never an output or SSM parameter; see docs/sign-in.md, "Machine clients".',
  );

type WebClientPropNames =
  | 'callbackUrls'
  | 'logoutUrls'
  | 'oAuthScopes'
  | 'accessTokenValidity'
  | 'idTokenValidity'
  | 'refreshTokenValidity'
  | 'authSessionValidity'
  | 'refreshTokenRotationGracePeriod'
  | 'machineClients';

/**
 * The app clients' part of UserDirectory's props. `siteUrl` is the hosted web
 * app's URL (a token) when the stage hosts it: its callback and logout URLs join the stage's own.
 */
export function webClientProps(config: StageConfig, siteUrl?: string): Pick<UserDirectoryProps, WebClientPropNames> {
  const client = config.webClient;
  return {
    callbackUrls: siteUrl ? [...client.callbackUrls, webAppCallbackUrl(siteUrl)] : client.callbackUrls,
    logoutUrls: siteUrl ? [...client.logoutUrls, webAppLogoutUrl(siteUrl)] : client.logoutUrls,
    oAuthScopes: client.scopes.map(toOAuthScope),
    accessTokenValidity: Duration.minutes(client.accessTokenMinutes),
    idTokenValidity: Duration.minutes(client.idTokenMinutes),
    refreshTokenValidity: Duration.days(client.refreshTokenDays),
    authSessionValidity: Duration.minutes(client.authSessionMinutes),
    refreshTokenRotationGracePeriod: client.refreshTokenRotation.enabled ? Duration.seconds(client.refreshTokenRotation.retryGraceSeconds) : 'off',
    machineClients: config.machineClients.map((machine) => ({
      name: machine.name,
      // The schema admits only scopes of the resource server.
      scopes: machine.scopes as ApiScopeName[],
      accessTokenValidity: Duration.minutes(machine.accessTokenMinutes),
    })),
  };
}

function toOAuthScope(scope: StageConfig['webClient']['scopes'][number]): cognito.OAuthScope {
  switch (scope) {
    case 'openid':
      return cognito.OAuthScope.OPENID;
    case 'email':
      return cognito.OAuthScope.EMAIL;
    case 'profile':
      return cognito.OAuthScope.PROFILE;
    case 'phone':
      return cognito.OAuthScope.PHONE;
    case 'aws.cognito.signin.user.admin':
      return cognito.OAuthScope.COGNITO_ADMIN;
  }
}
