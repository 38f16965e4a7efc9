/**
 * The schema of `config/<stage>.json`: plain data validation, no CDK.
 *
 * Every default lives here, so a reader finds what a stage gets without a key
 * in one place. `z.infer` of the output type is what the stack consumes;
 * `scripts/write-config-schema.ts` emits the JSON Schema from the same source.
 */
import { z } from 'zod';
import { API_SCOPES } from '../../lambda/shared/api-scopes';
import { UPLOAD_DEFAULTS } from '../../lambda/shared/handler-env';
import { API_DEFAULTS } from '../api/api-defaults';
import { STORAGE_DEFAULTS } from '../identity-storage/storage-defaults';
import { UPLOAD_CHECK_DEFAULTS } from '../upload-checks/upload-check-defaults';
import { PROTECTION_DEFAULTS } from '../protection/protection-defaults';
import { USER_DIRECTORY_DEFAULTS } from '../user-directory/user-directory-defaults';
import { constructIdPart } from '../util/construct-id';
import { isLoopbackUrl } from './loopback-host';
import { signUpIssues } from './sign-up-rules';
import { WEB_APP_DEFAULTS } from '../web-app/web-app-defaults';

const PASSWORD = USER_DIRECTORY_DEFAULTS.passwordPolicy;
const MFA = USER_DIRECTORY_DEFAULTS.mfa;

/** Cognito reserves these words inside a domain prefix. */
const RESERVED_DOMAIN_WORDS = ['aws', 'amazon', 'cognito'] as const;

/** Longest ID/access token lifetime a retained stage accepts: revocation does not reach a token already issued. */
const MAX_RETAINED_TOKEN_MINUTES = 60;
/** Longest refresh token lifetime a retained stage accepts. */
const MAX_RETAINED_REFRESH_TOKEN_DAYS = 30;

/** Provider names Cognito keeps for its own social providers. */
const RESERVED_PROVIDER_NAMES = ['cognito', 'google', 'facebook', 'loginwithamazon', 'signinwithapple'];

const secretReference = z
  .strictObject({
    secretName: z
      .string()
      .regex(
        // A full ARN contains colons; a bare name cannot.
        /^(?:arn:aws[a-z-]*:secretsmanager:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}$/,
        'a Secrets Manager secret name or ARN (letters, digits and /_+=.@-)',
      )
      .describe('Name or ARN of the Secrets Manager secret. Only a {{resolve:secretsmanager:…}} reference reaches the template.'),
    jsonField: z
      .string()
      .regex(/^[^:]+$/, 'a JSON key without ":" (a colon would split the {{resolve:…}} reference)')
      .optional()
      .describe('Key inside a JSON secret. Omit when the secret string is the value itself.'),
    versionId: z
      .string()
      .regex(/^[A-Za-z0-9-]{32,64}$/, 'a Secrets Manager version ID (the VersionId that put-secret-value printed)')
      .optional()
      .describe('Pin one version of the secret. Change it to roll out a rotated value: CloudFormation re-reads a secret only when the reference changes. @default the AWSCURRENT version'),
    versionStage: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, 'a Secrets Manager staging label such as AWSCURRENT')
      .optional()
      .describe('Pin the version carrying this staging label instead of a version ID. @default AWSCURRENT'),
  })
  .refine((ref) => !(ref.versionId && ref.versionStage), { message: 'either versionId or versionStage, not both', path: ['versionStage'] })
  .describe('A Secrets Manager reference; the secret value never appears in config or template.');

const httpsUrl = z.url({ protocol: /^https$/, error: 'an https:// URL' });

/**
 * Callback and logout URLs: https everywhere, plain http only for localhost
 * (Cognito allows it there for local development). The CDK default
 * `https://example.com` is refused so it can never ship by accident.
 */
const redirectUrl = z
  // abort: the refinements below call new URL(), which throws on a non-URL.
  .url({ error: 'an absolute URL', abort: true })
  .refine((value) => {
    const url = new URL(value);
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname);
  }, 'an https:// URL (http:// only for localhost)')
  // By host, so https://example.com:443/ or https://example.com?x cannot slip through.
  .refine((value) => new URL(value).hostname.replace(/\.$/, '') !== 'example.com', 'a real URL of your app, not the CDK placeholder https://example.com')
  .refine((value) => !new URL(value).hash, 'a URL without a #fragment (OAuth forbids fragments in redirect URIs)');

/** Domain names and host names (lowercase, at least one dot, or `localhost`). */
const HOST_NAME = /^(?=.{1,253}$)(localhost|([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})$/;

/** A lowercase email domain such as example.org (exact: subdomains are not included). */
const emailDomain = z.string().regex(HOST_NAME, 'a lowercase email domain such as example.org');

/**
 * Who may join the pool on a first sign-in through one provider. Cognito creates
 * a user for any first federated sign-in, even with selfSignUp false, so a stage
 * without self sign-up must say this for every provider.
 */
const signUpPolicy = z
  .union([
    z.enum(['open', 'existingUsers']),
    z.strictObject({
      allowedEmailDomains: z
        .array(emailDomain)
        .min(1)
        .describe('Only addresses at these exact domains that the provider marks verified (email_verified); Google, Apple and OIDC providers send it.'),
    }),
  ])
  .optional()
  .describe(
    'Who may join the pool on a first sign-in through this provider (a pre sign-up trigger): "open"; "existingUsers" (only users an administrator created and linked with AdminLinkProviderForUser); or {"allowedEmailDomains": [...]}. Required when userPool.selfSignUp is false. See docs/sign-in.md, "Who can sign up". @default "open" with self sign-up; required without',
  );

const providerName = z
  .string()
  // No "_": Cognito's ProviderName pattern ([^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+) refuses it.
  .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{1,30}[A-Za-z0-9]$/, '3 to 32 letters, digits, "." or "-", starting and ending with a letter or digit')
  .refine((name) => !RESERVED_PROVIDER_NAMES.includes(name.toLowerCase()), 'a name other than Cognito\'s built-in provider names');

/** A social provider's block (Google, Facebook, Amazon); only the descriptions differ. */
function socialProvider(what: string, clientId: string, clientSecret: string) {
  return z
    .strictObject({
      clientId: z.string().min(1).describe(clientId),
      clientSecret: secretReference.describe(clientSecret),
      signUp: signUpPolicy,
    })
    .optional()
    .describe(what);
}

const providerNameText = `The provider's name: 3-32 letters, digits, "." or "-" (Cognito refuses "_"), unique among the OIDC and SAML providers, and not one of Cognito's own provider names.`;

const identityProviders = z
  .strictObject({
    google: socialProvider('Sign in with Google.', 'The OAuth client ID from Google.', 'The OAuth client secret from Google.'),
    facebook: socialProvider('Sign in with Facebook.', 'The Facebook app ID.', 'The Facebook app secret.'),
    amazon: socialProvider('Login with Amazon.', 'The client ID of the Login with Amazon security profile.', 'Its client secret.'),
    apple: z
      .strictObject({
        servicesId: z.string().min(1).describe('The Services ID registered with Apple (the OAuth client ID).'),
        teamId: z.string().regex(/^[A-Z0-9]{10}$/, 'a 10-character Apple team ID').describe('Your 10-character Apple team ID.'),
        keyId: z.string().regex(/^[A-Z0-9]{10}$/, 'a 10-character Apple key ID').describe('The 10-character ID of the Sign in with Apple key.'),
        privateKey: secretReference.describe('The .p8 private key, as a Secrets Manager reference.'),
        signUp: signUpPolicy,
      })
      .optional()
      .describe('Sign in with Apple.'),
    oidc: z
      .array(
        z.strictObject({
          name: providerName.describe(providerNameText),
          issuerUrl: httpsUrl.describe('The provider\'s issuer URL (https); Cognito reads its discovery document.'),
          clientId: z.string().min(1).describe('The client ID registered at the provider (a confidential web client).'),
          clientSecret: secretReference.describe('The client secret registered at the provider.'),
          scopes: z.array(z.string().min(1)).min(1).default([...USER_DIRECTORY_DEFAULTS.oidcScopes]).describe('Scopes Cognito asks the provider for.'),
          signUp: signUpPolicy,
        }),
      )
      .default([])
      .describe('OpenID Connect providers (Okta, Entra ID, Auth0, Keycloak…).'),
    saml: z
      .array(
        z.strictObject({
          name: providerName.describe(providerNameText),
          metadataUrl: httpsUrl.describe('The URL of the IdP\'s SAML metadata document (https).'),
          signUp: signUpPolicy,
        }),
      )
      .default([])
      .describe('SAML 2.0 providers.'),
  })
  .superRefine((idps, ctx) => {
    const seen = new Set<string>();
    // Names become construct IDs ("corp-sso" and "corp.sso" both give SamlCorpSso); a clash would crash synth.
    const constructIds = new Map<string, string>();
    const named = [...idps.oidc.map((p, i) => ['oidc', i, p.name] as const), ...idps.saml.map((p, i) => ['saml', i, p.name] as const)];
    for (const [kind, index, name] of named) {
      const key = name.toLowerCase();
      const constructId = `${kind}:${constructIdPart(name)}`;
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: [kind, index, 'name'], message: `a provider name used once (found "${name}" twice)` });
      } else if (constructIds.has(constructId)) {
        ctx.addIssue({ code: 'custom', path: [kind, index, 'name'], message: `a name that differs from "${constructIds.get(constructId)}" by more than punctuation` });
      }
      seen.add(key);
      if (!constructIds.has(constructId)) constructIds.set(constructId, name);
    }
  })
  .prefault({})
  .describe('Federated sign-in. Each provider is enabled by its block.');

/** The hosted sign-in pages' version (the same for both kinds of domain). */
function managedLoginVersion() {
  return z
    .enum(['classic', 'managed'])
    .default('managed')
    .describe('"managed" (managed login, with a default branding style; needed for passwordless and passkey sign-in on hosted pages) or "classic" (the hosted UI).');
}

const domain = z
  .union([
    z.strictObject({
      prefix: z
        .string()
        .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'a Cognito domain prefix: 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen')
        .refine(
          (prefix) => !RESERVED_DOMAIN_WORDS.some((word) => prefix.includes(word)),
          `a prefix without the reserved words ${RESERVED_DOMAIN_WORDS.join(', ')}`,
        )
        .describe(`Cognito domain prefix (<prefix>.auth.<region>.amazoncognito.com): 1-63 lowercase letters, digits and hyphens, without ${RESERVED_DOMAIN_WORDS.join(', ')}.`),
      managedLoginVersion: managedLoginVersion(),
    }),
    z.strictObject({
      customDomain: z
        .strictObject({
          name: z
            .string()
            .regex(/^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a lowercase fully qualified domain name')
            .describe('The sign-in domain name, e.g. auth.example.org. Its parent domain must already resolve (an A record).'),
          certificateArn: z
            .string()
            .regex(
              /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/,
              'an ACM certificate ARN in us-east-1 (Cognito custom domains are served through CloudFront)',
            )
            .describe('ACM certificate for the name, in us-east-1 (Cognito serves custom domains through CloudFront).'),
        })
        .describe('A custom sign-in domain. After the deploy, point an alias (A/AAAA, or CNAME) record for name at the SignInDomainAliasTarget output.'),
      managedLoginVersion: managedLoginVersion(),
    }),
  ])
  .optional()
  .describe('Sign-in domain for managed login and OAuth: a Cognito prefix or a custom domain. Omit for no hosted sign-in.');

const passwordPolicy = z
  .strictObject({
    minLength: z.number().int().min(8).max(99).default(PASSWORD.minLength).describe('Shortest password accepted.'),
    requireLowercase: z.boolean().default(PASSWORD.requireLowercase).describe('Passwords need a lowercase letter.'),
    requireUppercase: z.boolean().default(PASSWORD.requireUppercase).describe('Passwords need an uppercase letter.'),
    requireDigits: z.boolean().default(PASSWORD.requireDigits).describe('Passwords need a digit.'),
    requireSymbols: z.boolean().default(PASSWORD.requireSymbols).describe('Passwords need a symbol.'),
    tempPasswordValidityDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .default(PASSWORD.tempPasswordValidityDays)
      .describe('Days an administrator-issued temporary password stays valid.'),
    passwordHistorySize: z.number().int().min(0).max(24).default(PASSWORD.passwordHistorySize).describe('Previous passwords a user cannot reuse.'),
  })
  .prefault({})
  .describe('Password rules.');

const mfa = z
  .strictObject({
    mode: z.enum(['off', 'optional', 'required']).default(MFA.mode).describe('Whether users need a second factor. "required" allows only "password" as a first factor.'),
    totp: z.boolean().default(MFA.totp).describe('Authenticator apps (TOTP) as a second factor.'),
    sms: z
      .boolean()
      .default(MFA.sms)
      .describe(
        'SMS as a second factor. Adds an SNS-publishing role that only Cognito may assume, with an external ID, from this account and for user pools in this Region (aws:SourceAccount, aws:SourceArn).',
      ),
    email: z.boolean().default(MFA.email).describe('Email as a second factor. Needs userPool.email (`email.sesFromAddress`): Cognito sends MFA email only through SES.'),
  })
  .prefault({})
  .describe('Multi-factor authentication.');

const email = z
  .strictObject({
    sesFromAddress: z.email().describe('Verified SES identity Cognito sends from.'),
    sesFromName: z.string().min(1).optional().describe('Sender name shown with the address.'),
    sesRegion: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1')
      .optional()
      .describe('Region of the SES identity. Required when the stack has no region. @default the stack region'),
    sesConfigurationSet: z.string().min(1).optional().describe('SES configuration set to send with.'),
    replyTo: z.email().optional().describe('Reply-to address.'),
  })
  .optional()
  .describe('Send user-pool email through Amazon SES instead of Cognito\'s built-in sender (50 emails/day).');

const group = z.strictObject({
  name: z.string().regex(/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u, 'a group name of 1-128 characters without spaces').describe('Group name: 1-128 characters without spaces.'),
  description: z.string().max(2048).optional().describe('Shown in the Cognito console.'),
  precedence: z.number().int().min(0).optional().describe('Lower wins when a user is in several groups.'),
  fileAccess: z
    .enum(['own', 'read-all'])
    .default('own')
    .describe('"read-all" gives members an IAM role that also reads every user\'s files (chosen through cognito:preferred_role); "own" gives no extra role.'),
});

const FIRST_FACTORS = ['password', 'emailOtp', 'smsOtp', 'passkey'] as const;
/** Factors other than a password: any of them turns on choice-based sign-in. */
export const PASSWORDLESS_FACTORS: readonly (typeof FIRST_FACTORS)[number][] = ['emailOtp', 'smsOtp', 'passkey'];

const signIn = z
  .strictObject({
    firstFactors: z
      .array(z.enum(FIRST_FACTORS))
      .min(1)
      .default([...USER_DIRECTORY_DEFAULTS.firstFactors])
      .refine((factors) => new Set(factors).size === factors.length, 'each factor once')
      .refine((factors) => factors.includes('password'), 'a list that includes "password" (Cognito cannot turn password sign-in off)')
      .describe(
        'What users may sign in with first; "password" must stay in the list. Any factor besides "password" turns on choice-based sign-in (ALLOW_USER_AUTH on the web client). See docs/sign-in.md, "Choosing sign-in methods".',
      ),
    passkeyRelyingPartyId: z
      .string()
      .max(63)
      .regex(HOST_NAME, 'a host name such as auth.example.org (or localhost)')
      .optional()
      .describe('The WebAuthn relying party of passkeys: a host name such as auth.example.org, or localhost. Required with "passkey" when there is no domain. @default the sign-in domain\'s host'),
    passkeyUserVerification: z
      .enum(['preferred', 'required'])
      .default(USER_DIRECTORY_DEFAULTS.passkeyUserVerification)
      .describe('"required" makes every passkey sign-in verify the user (PIN or biometrics); "preferred" asks for it where the device can.'),
  })
  .prefault({})
  .describe('First sign-in factors (choice-based sign-in) and passkey settings.');

const triggers = z
  .strictObject({
    allowedEmailDomains: z
      .array(emailDomain)
      .min(1)
      .optional()
      .describe(
        'Only addresses at these exact domains (case-insensitive, no subdomains) may sign up, from any source: self sign-up, administrators, and federated providers, whose addresses must also be marked verified (a pre sign-up trigger refuses the rest). Users then cannot change their email unless a federated provider needs it writable. See docs/sign-in.md, "Who can sign up". @default any domain',
      ),
    defaultGroup: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Every user who confirms a sign-up joins this group (a post-confirmation trigger with AdminAddUserToGroup on this pool only). Must be one of userPool.groups whose fileAccess is "own" (with "read-all" every new user would read every file). Users an administrator creates do not go through sign-up confirmation; add them to groups yourself. @default none',
      ),
  })
  .prefault({})
  .describe('User pool Lambda triggers.');

const userPool = z
  .strictObject({
    selfSignUp: z.boolean().default(false).describe('Let users sign themselves up (email verified by code).'),
    featurePlan: z.enum(['essentials', 'plus']).default('essentials').describe('Cognito feature plan; threat protection and user auth event logs need "plus".'),
    threatProtection: z
      .enum(['off', 'audit', 'enforced'])
      .optional()
      .describe('Threat protection mode; requires featurePlan "plus". @default "enforced" with plus, "off" otherwise'),
    passwordPolicy,
    mfa,
    email,
    groups: z.array(group).default([]).describe('User pool groups.'),
    signIn,
    triggers,
  })
  .describe('The Cognito user pool.')
  .superRefine((pool, ctx) => {
    const factors = pool.signIn.firstFactors;
    const passwordless = factors.filter((factor) => PASSWORDLESS_FACTORS.includes(factor));
    if (passwordless.length > 0 && pool.mfa.mode === 'required') {
      ctx.addIssue({
        code: 'custom',
        path: ['signIn', 'firstFactors'],
        message: `only "password" while mfa.mode is "required" (Cognito allows ${passwordless.join(', ')} only when MFA is optional or off)`,
      });
    }
    if (factors.includes('emailOtp') && !pool.email) {
      ctx.addIssue({ code: 'custom', path: ['signIn', 'firstFactors'], message: 'userPool.email (SES) set too for "emailOtp" (Cognito sends sign-in codes by email only through SES)' });
    }
    if (factors.includes('smsOtp') && !pool.mfa.sms) {
      ctx.addIssue({ code: 'custom', path: ['signIn', 'firstFactors'], message: 'mfa.sms true too for "smsOtp" (it gives the pool its SMS role)' });
    }
    const defaultGroup = pool.triggers.defaultGroup;
    const defaultGroupConfig = pool.groups.find((g) => g.name === defaultGroup);
    if (defaultGroup !== undefined && !defaultGroupConfig) {
      ctx.addIssue({ code: 'custom', path: ['triggers', 'defaultGroup'], message: `one of userPool.groups (${pool.groups.map((g) => `"${g.name}"`).join(', ') || 'none defined'})` });
    } else if (defaultGroupConfig?.fileAccess === 'read-all') {
      // Every new user, federated ones included, would get the role that reads all files.
      ctx.addIssue({ code: 'custom', path: ['triggers', 'defaultGroup'], message: `a group whose fileAccess is "own" ("${defaultGroup}" is "read-all", and every new user would join it)` });
    }
    if (pool.threatProtection && pool.threatProtection !== 'off' && pool.featurePlan !== 'plus') {
      ctx.addIssue({ code: 'custom', path: ['threatProtection'], message: 'featurePlan "plus" for threat protection (or threatProtection "off")' });
    }
    if (pool.mfa.mode !== 'off' && !pool.mfa.totp && !pool.mfa.sms && !pool.mfa.email) {
      ctx.addIssue({ code: 'custom', path: ['mfa'], message: 'at least one of totp, sms or email when MFA is on' });
    }
    if (pool.mfa.email && !pool.email) {
      ctx.addIssue({ code: 'custom', path: ['mfa', 'email'], message: 'email.sesFromAddress set too (email MFA is sent through SES only)' });
    }
    // Group names become construct IDs ("admins" and "Admins" both give GroupAdmins); a clash would crash synth.
    const constructIds = new Map<string, string>();
    pool.groups.forEach((g, i) => {
      const first = constructIds.get(constructIdPart(g.name));
      if (first === g.name) ctx.addIssue({ code: 'custom', path: ['groups', i, 'name'], message: `a unique group name (found "${g.name}" twice)` });
      else if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['groups', i, 'name'], message: `a group name that differs from "${first}" by more than case or punctuation` });
      else constructIds.set(constructIdPart(g.name), g.name);
    });
  })
  .prefault({});

/** The loopback rule of retained stages, in words (the check is isLoopbackUrl below). */
const LOOPBACK_TEXT =
  'A retained stage refuses any URL whose host is this machine (localhost, *.localhost, 127.0.0.0/8 in any spelling such as 127.1 or 0x7f000001, [::1], 0.0.0.0), over http or https.';
const TOKEN_MINUTES_TEXT = `At most ${MAX_RETAINED_TOKEN_MINUTES} in a retained stage: signing out does not revoke a token already issued (docs/api.md, "What signing out reaches").`;

const webClient = z.strictObject({
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
  accessTokenMinutes: z.number().int().min(5).max(1440).default(USER_DIRECTORY_DEFAULTS.accessTokenMinutes).describe(`Access token lifetime. ${TOKEN_MINUTES_TEXT}`),
  idTokenMinutes: z.number().int().min(5).max(1440).default(USER_DIRECTORY_DEFAULTS.idTokenMinutes).describe(`ID token lifetime; the REST API accepts an ID token until it expires. ${TOKEN_MINUTES_TEXT}`),
  refreshTokenDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(USER_DIRECTORY_DEFAULTS.refreshTokenDays)
    .describe(`Refresh token lifetime; at most ${MAX_RETAINED_REFRESH_TOKEN_DAYS} in a retained stage (a stolen refresh token mints new tokens until it expires).`),
  authSessionMinutes: z.number().int().min(3).max(15).default(USER_DIRECTORY_DEFAULTS.authSessionMinutes).describe('How long a sign-in session lasts between challenges (e.g. entering an MFA code).'),
  refreshTokenRotation: z
    .strictObject({
      enabled: z
        .boolean()
        .default(USER_DIRECTORY_DEFAULTS.refreshTokenRotation.enabled)
        .describe(
          'Each refresh returns a new refresh token (Cognito\'s GetTokensFromRefreshToken, which Amplify v6 uses); the client then no longer allows the legacy REFRESH_TOKEN_AUTH flow, which Cognito refuses on rotating clients.',
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
}).describe('The public web client (no secret): SRP sign-in and the authorization-code grant, never the implicit grant.');

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

const machineClients = z
  .array(machineClient)
  .default([])
  .superRefine((clients, ctx) => {
    const seen = new Map<string, string>();
    clients.forEach((client, i) => {
      const first = seen.get(constructIdPart(client.name));
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `a name that differs from "${first}" by more than case or punctuation` });
      else seen.set(constructIdPart(client.name), client.name);
    });
  })
  .describe(
    'Confidential app clients (generated secret) for services: client credentials only, access tokens with scopes of the "api" resource server. Needs a domain (tokens come from <domain>/oauth2/token). The secret is never an output or SSM parameter; see docs/sign-in.md, "Machine clients".',
  );

/**
 * A browser origin: scheme, host and optional port, nothing else. https only,
 * except http://localhost for local development. `*` is never accepted.
 */
const webOrigin = z
  .string()
  .regex(/^(https:\/\/[a-z0-9.-]+|http:\/\/(localhost|127\.0\.0\.1))(:\d{1,5})?$/, 'an origin such as https://app.example.org (http:// only for localhost; no path, no "*")');

const identityPool = z
  .strictObject({
    allowGuests: z.boolean().default(false).describe('Unauthenticated identities; their role reaches no files or items.'),
  })
  .prefault({})
  .describe('The identity pool.');

const storage = z
  .strictObject({
    kmsEncryption: z.boolean().default(STORAGE_DEFAULTS.kmsEncryption).describe('Encrypt user files with a customer managed KMS key (rotation on); S3-managed keys otherwise.'),
    noncurrentVersionDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(STORAGE_DEFAULTS.noncurrentVersionDays)
      .describe('Days after which a noncurrent object version (a replaced or deleted file) expires; it counts against the quota until then.'),
    abortIncompleteUploadDays: z.number().int().min(1).max(365).default(STORAGE_DEFAULTS.abortIncompleteUploadDays).describe('Days after which incomplete multipart uploads are aborted.'),
    accessLogs: z.boolean().default(STORAGE_DEFAULTS.accessLogs).describe('S3 server access logs into a separate bucket.'),
    accessLogRetentionDays: z.number().int().min(1).max(3650).default(STORAGE_DEFAULTS.accessLogRetentionDays).describe('Days access-log objects are kept.'),
    allowedContentTypes: z
      .array(z.string().regex(/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/, 'a MIME type such as text/csv'))
      .min(1)
      .default([...UPLOAD_DEFAULTS.allowedContentTypes])
      .describe('Content types an upload URL accepts; the checker rejects any other stored Content-Type as content_type, and the web app offers and sends only these (custom.cognito_access.allowed_content_types in amplify_outputs.json).'),
    maxUploadBytes: z
      .number()
      .int()
      .min(1)
      .max(5 * 1024 ** 3)
      .default(UPLOAD_DEFAULTS.maxUploadBytes)
      .describe('Largest upload (bytes): an upload URL allows no more, the checker rejects a larger object as too_large, and the web app states it and refuses a larger file before sending it (custom.cognito_access.max_upload_bytes).'),
    quotaBytesPerUser: z
      .number()
      .int()
      .min(1)
      .default(UPLOAD_DEFAULTS.quotaBytesPerUser)
      .describe(
        'Bytes of accepted files each identity may keep, counting every stored version (replaced and deleted files count until their versions expire); an upload past it is rejected as quota_exceeded.',
      ),
    csv: z
      .strictObject({
        maxColumns: z.number().int().min(1).max(100000).default(UPLOAD_DEFAULTS.csvMaxColumns).describe('More columns are rejected as too_many_columns.'),
        maxFieldBytes: z.number().int().min(1).max(16 * 1024 * 1024).default(UPLOAD_DEFAULTS.csvMaxFieldBytes).describe('A larger field is rejected as parse_error.'),
      })
      .prefault({})
      .describe('Limits of the upload checker.'),
    checker: z
      .strictObject({
        reservedConcurrency: z
          .number()
          .int()
          // 2: an SQS event source polls with at least 2 concurrent invocations; fewer reserved would throttle them.
          .min(2)
          .max(1000)
          .default(UPLOAD_CHECK_DEFAULTS.reservedConcurrency)
          .describe(
            'Upload checks that run at once: the checker\'s reserved concurrency, taken from the account\'s Lambda concurrency quota, which must keep 100 unreserved. The queue holds the rest for up to 14 days; see docs/performance.md, "Upload checker throughput".',
          ),
      })
      .prefault({})
      .describe('The upload checker function.'),
  })
  .prefault({})
  .describe('The user-files bucket and the upload checks.');

const webApp = z
  .strictObject({
    enabled: z
      .boolean()
      .default(WEB_APP_DEFAULTS.enabled)
      .describe(
        'Host the web app in web/ in the stack: a private S3 bucket behind CloudFront (origin access control, HTTPS only, CSP, HSTS, no framing, nosniff, strict referrer policy, access logs). Its https://<distribution domain> URL is added to the callback URLs (/auth/callback), logout URLs (/) and CORS origins, and published as WebAppUrl. The CSP\'s connect-src names exactly what the page calls, no wildcard: the Cognito user pool and identity endpoints of the Region, the bucket, the API and the sign-in domain, if any; because it names the bucket, a custom resource writes the bucket\'s CORS rule once the distribution exists. CloudFront access logs (standard logging v2, delivered through CloudWatch Logs in us-east-1) leave out the query string and cookies, so /auth/callback\'s code and state are never logged.',
      ),
  })
  .prefault({})
  .describe('The web app in web/, hosted by the stack.');

/** The retention periods CloudWatch Logs accepts, in days. */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
const retentionDays = z
  .number()
  .int()
  .refine((days) => (RETENTION_DAYS as readonly number[]).includes(days), `a CloudWatch Logs retention: one of ${RETENTION_DAYS.join(', ')}`);
const RETENTION_TEXT = `one of ${RETENTION_DAYS.join(', ')}`;

const api = z
  .strictObject({
    throttling: z
      .strictObject({
        rateLimit: z.number().int().min(1).max(10000).default(API_DEFAULTS.throttlingRateLimit).describe('Steady-state requests per second for the stage.'),
        burstLimit: z.number().int().min(1).max(5000).default(API_DEFAULTS.throttlingBurstLimit).describe('Requests the stage takes at once above the rate.'),
      })
      .prefault({})
      .describe('Stage throttling; see docs/scale.md for where it binds.'),
    authorizerCacheSeconds: z.number().int().min(0).max(3600).default(API_DEFAULTS.authorizerCacheSeconds).describe('How long API Gateway caches a validated token (0 turns the cache off).'),
    accessLogRetentionDays: retentionDays.default(API_DEFAULTS.accessLogRetentionDays).describe(`Days the JSON access logs are kept (${RETENTION_TEXT}).`),
    executionLogLevel: z
      .enum(['off', 'error', 'info'])
      .default(API_DEFAULTS.executionLogLevel)
      .describe(
        'Execution logging, never with bodies. Other than "off" it needs the account\'s API Gateway CloudWatch role, which this stack does not create (docs/delivery.md, "Deploying to a real account").',
      ),
    tracing: z.boolean().default(API_DEFAULTS.tracing).describe('X-Ray tracing of the stage and handlers.'),
    webAclArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+$/, 'a regional WAFv2 web ACL ARN')
      .optional()
      .describe('Associate an existing regional WAFv2 web ACL with the API stage: the alternative to protection.waf (both set is an error).'),
    handlerMemoryMb: z.number().int().min(128).max(10240).default(API_DEFAULTS.handlerMemoryMb).describe('Memory of each API handler function, in MB.'),
    handlerTimeoutSeconds: z.number().int().min(1).max(29).default(API_DEFAULTS.handlerTimeoutSeconds).describe('At most 29: API Gateway\'s integration timeout.'),
    handlerLogRetentionDays: retentionDays.default(API_DEFAULTS.handlerLogRetentionDays).describe(`Days the handler logs are kept (${RETENTION_TEXT}).`),
    uploadUrlTtlSeconds: z.number().int().min(60).max(3600).default(UPLOAD_DEFAULTS.uploadUrlTtlSeconds).describe('Seconds a presigned upload URL stays valid.'),
    downloadUrlTtlSeconds: z.number().int().min(10).max(3600).default(UPLOAD_DEFAULTS.downloadUrlTtlSeconds).describe('Seconds a presigned download URL stays valid.'),
  })
  .prefault({})
  .describe('The REST API and its handlers.');

const WAF = PROTECTION_DEFAULTS.waf;

const protection = z
  .strictObject({
    waf: z
      .strictObject({
        enabled: z
          .boolean()
          .default(WAF.enabled)
          .describe(
            'Create a regional WAFv2 web ACL for the user pool and the API stage (instead of api.webAclArn). WAF logs go to the aws-waf-logs-<stackName> log group (1 year) with the Authorization and Cookie headers and the query string redacted.',
          ),
        rateLimitPer5Minutes: z
          .number()
          .int()
          .min(10)
          .max(2_000_000_000)
          .default(WAF.rateLimitPer5Minutes)
          .describe('Requests one client IP may send in any 5 minutes before WAF blocks it (rule RateLimitPerIp).'),
        managedRuleGroups: z
          .array(z.string().regex(/^AWSManagedRules[A-Za-z0-9]+$/, 'an AWS managed rule group name such as AWSManagedRulesCommonRuleSet'))
          .default([...WAF.managedRuleGroups])
          .refine((groups) => new Set(groups).size === groups.length, 'each rule group once')
          .describe('AWS managed rule groups the web ACL runs, in order, before the rate rule.'),
      })
      .prefault({})
      .describe('The regional web ACL.'),
    alarmEmail: z
      .email()
      .optional()
      .describe('Email subscribed to the alarm topic (confirm the subscription mail). Without it the alarms and the topic still exist; subscribe to the AlarmTopicArn output yourself.'),
    logEncryption: z
      .boolean()
      .default(PROTECTION_DEFAULTS.logEncryption)
      .describe(
        'Encrypt every log group of the stack (API access logs, handlers, WAF, Cognito) with one customer managed KMS key (rotation on) that only CloudWatch Logs in this Region may use, for log groups of this account and Region.',
      ),
  })
  .prefault({})
  .describe('WAF, alarms and log encryption.');

/**
 * A finding the stage accepts: the rule ID as the pack reports it (e.g.
 * `AwsSolutions-COG2`, or `AwsSolutions-IAM5[Resource::…]`), why, and
 * optionally the construct path below the stack it is limited to.
 */
/** Both kinds of acknowledgement share the key, so they share its text. */
const ACK_REASON_TEXT = 'Why this stage accepts it, true of this stage (at least 20 characters).';

const acknowledgement = z.strictObject({
  id: z
    .string()
    .regex(
      /^((AwsSolutions|Serverless|NIST\.800\.53\.R[45]|HIPAA\.Security|PCI\.DSS\.321)-[A-Za-z0-9]+(\[.+\])?|cdk-validator-cfnguard::[a-z0-9_]+)$/,
      'a rule-pack finding ID such as "AwsSolutions-COG2" or "cdk-validator-cfnguard::s3_bucket_versioning_enabled_check"',
    )
    .describe('A cdk-nag finding (AwsSolutions-…, Serverless-…, optionally with [Resource::…]) or a Control Tower one (cdk-validator-cfnguard::<rule>).'),
  reason: z.string().min(20, 'a reason of at least 20 characters that says why this stage accepts the finding').describe(ACK_REASON_TEXT),
  path: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9/_.-]*$/, 'a construct path below the stack, e.g. "UserDirectory/UserPool"')
    .optional()
    .describe('Limit the acknowledgement to this construct and its children. @default the whole stack'),
});

/**
 * A stateful resource this release replaces, removes or orphans on purpose:
 * its logical ID and why. Only this (never a CLI flag) lets the release guard
 * pass such a change (docs/design.md, "Release guard and pipeline").
 */
const replacementAcknowledgement = z.strictObject({
  replacement: z
    .string()
    .regex(/^[A-Za-z0-9]{1,255}$/, 'a CloudFormation logical ID such as "IdentityStorageTable1A2B3C4D"')
    .describe('Logical ID of the stateful resource this release replaces, removes or orphans on purpose.'),
  reason: z.string().min(20, 'a reason of at least 20 characters that says why losing this resource\'s data is intended').describe(ACK_REASON_TEXT),
});

export const stageConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path to the JSON Schema, for editors.'),
    stackName: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'a CloudFormation stack name (letters, digits, hyphens; starts with a letter)')
      .optional()
      .describe('CloudFormation stack name; also the prefix of the export names. @default "CognitoAccess-<stage>"'),
    account: z
      .string()
      .regex(/^\d{12}$/, 'a 12-digit AWS account ID')
      .optional()
      .describe('Pin the stack to an account. Without account and region, synth is environment-agnostic. @default the CLI\'s account'),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1')
      .optional()
      .describe('Pin the stack to a region. @default the CLI\'s region'),
    ssmPrefix: z
      .string()
      .regex(/^(\/[A-Za-z0-9_.-]+)+$/, 'an SSM path such as /cognito-access/prod (no trailing slash)')
      .optional()
      .describe('Where the stack writes its SSM parameters. @default "/cognito-access/<stage>"'),
    removal: z
      .enum(['retain', 'destroy'])
      .default('retain')
      .describe(
        '"retain": the user pool (deletion protection on), identity pool, buckets, table (deletion-protected) and log groups survive stack deletion and replacement. "destroy": for throwaway stages; cdk destroy removes everything, emptying the buckets first, and the stage may relax a fixed list of rule-pack findings.',
      ),
    userPool,
    webClient,
    machineClients,
    domain,
    identityProviders,
    webOrigins: z
      .array(webOrigin)
      .default([])
      .describe('Browser origins allowed by CORS on the bucket and the API: https only (http://localhost in removal "destroy" stages), never "*". A retained stage refuses any origin whose host is this machine, as for callback URLs.'),
    identityPool,
    storage,
    api,
    webApp,
    protection,
    tags: z.record(z.string().min(1).max(128), z.string().max(256)).default({}).describe('Extra tags on every resource (app and stage are always set).'),
    acknowledgements: z
      .array(z.union([acknowledgement, replacementAcknowledgement]))
      .default([])
      .describe(
        'Rule-pack findings ({ id, reason, path? }) and stateful-resource replacements ({ replacement, reason }) this stage accepts on purpose, each with a reason that is true of this stage. Any other finding fails synth; any other replacement fails the release guard.',
      ),
  })
  .superRefine((config, ctx) => {
    const idps = config.identityProviders;
    const anyIdp = Boolean(idps.google || idps.facebook || idps.amazon || idps.apple || idps.oidc.length || idps.saml.length);
    if (config.userPool.email && !config.userPool.email.sesRegion && !config.region) {
      ctx.addIssue({ code: 'custom', path: ['userPool', 'email', 'sesRegion'], message: 'an SES region (or a top-level "region" for the stack)' });
    }
    if (config.machineClients.length > 0 && !config.domain) {
      ctx.addIssue({ code: 'custom', path: ['machineClients'], message: 'a sign-in domain too (machine clients get tokens from <domain>/oauth2/token)' });
    }
    const signIn = config.userPool.signIn;
    if (signIn.firstFactors.includes('passkey') && !config.domain && !signIn.passkeyRelyingPartyId) {
      ctx.addIssue({ code: 'custom', path: ['userPool', 'signIn', 'passkeyRelyingPartyId'], message: 'a passkey relying party (or a sign-in domain, whose host is the default) for "passkey"' });
    }
    // Cognito caps a relying party ID at 63 characters; a long prefix domain's host can exceed it.
    const defaultHost = config.domain && 'prefix' in config.domain && config.region ? `${config.domain.prefix}.auth.${config.region}.amazoncognito.com` : undefined;
    if (signIn.firstFactors.includes('passkey') && !signIn.passkeyRelyingPartyId && defaultHost && defaultHost.length > 63) {
      ctx.addIssue({
        code: 'custom',
        path: ['userPool', 'signIn', 'passkeyRelyingPartyId'],
        message: `a relying party of at most 63 characters (the default, ${defaultHost}, has ${defaultHost.length}); set one or shorten domain.prefix`,
      });
    }
    if (config.removal === 'retain') {
      // Whatever listens on a user's own machine must never receive production codes or tokens,
      // nor be a CORS origin of production data. Judged on the parsed host, so no spelling slips past.
      const loopback = `a URL whose host is not this machine in a retained (production) stage (localhost, *.localhost, 127.0.0.0/8 and [::1] are for removal "destroy" stages)`;
      for (const field of ['callbackUrls', 'logoutUrls'] as const) {
        config.webClient[field].forEach((url, i) => {
          if (isLoopbackUrl(url)) ctx.addIssue({ code: 'custom', path: ['webClient', field, i], message: loopback });
        });
      }
      config.webOrigins.forEach((origin, i) => {
        if (isLoopbackUrl(origin)) ctx.addIssue({ code: 'custom', path: ['webOrigins', i], message: loopback.replace('a URL', 'an origin') });
      });
      // A signed-out or disabled user's ID and access tokens stay valid until they expire.
      for (const field of ['idTokenMinutes', 'accessTokenMinutes'] as const) {
        if (config.webClient[field] > MAX_RETAINED_TOKEN_MINUTES) {
          ctx.addIssue({ code: 'custom', path: ['webClient', field], message: `at most ${MAX_RETAINED_TOKEN_MINUTES} minutes in a retained (production) stage (a revoked token works until it expires)` });
        }
      }
      config.machineClients.forEach((machine, i) => {
        if (machine.accessTokenMinutes > MAX_RETAINED_TOKEN_MINUTES) {
          ctx.addIssue({ code: 'custom', path: ['machineClients', i, 'accessTokenMinutes'], message: `at most ${MAX_RETAINED_TOKEN_MINUTES} minutes in a retained (production) stage (a machine token cannot be revoked before it expires)` });
        }
      });
      // A stolen refresh token mints new tokens for as long as it lives.
      if (config.webClient.refreshTokenDays > MAX_RETAINED_REFRESH_TOKEN_DAYS) {
        ctx.addIssue({ code: 'custom', path: ['webClient', 'refreshTokenDays'], message: `at most ${MAX_RETAINED_REFRESH_TOKEN_DAYS} days in a retained (production) stage (a stolen refresh token mints new tokens until it expires)` });
      }
    }
    signUpIssues(config).forEach((issue) => ctx.addIssue({ code: 'custom', ...issue }));
    if (config.protection.waf.enabled && config.api.webAclArn) {
      ctx.addIssue({ code: 'custom', path: ['protection', 'waf', 'enabled'], message: 'either protection.waf or api.webAclArn, not both (an API stage takes one web ACL)' });
    }
    if (anyIdp && !config.domain) {
      ctx.addIssue({ code: 'custom', path: ['domain'], message: 'a sign-in domain (identity providers redirect to <domain>/oauth2/idpresponse)' });
    }
  });

/** A stage config as written in the file (defaults not yet applied). */
export type StageConfigInput = z.input<typeof stageConfigSchema>;
/** A validated stage config with every default applied. */
export type StageConfig = z.output<typeof stageConfigSchema>;
export type IdentityProvidersConfig = StageConfig['identityProviders'];
export type SecretReferenceConfig = z.output<typeof secretReference>;
export type RulePackAcknowledgement = z.output<typeof acknowledgement>;
export type ReplacementAcknowledgement = z.output<typeof replacementAcknowledgement>;
