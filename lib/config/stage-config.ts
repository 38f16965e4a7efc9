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
import { PROTECTION_DEFAULTS } from '../protection/protection-defaults';
import { USER_DIRECTORY_DEFAULTS } from '../user-directory/user-directory-defaults';
import { constructIdPart } from '../util/construct-id';
import { WEB_APP_DEFAULTS } from '../web-app/web-app-defaults';

const PASSWORD = USER_DIRECTORY_DEFAULTS.passwordPolicy;
const MFA = USER_DIRECTORY_DEFAULTS.mfa;

/** Cognito reserves these words inside a domain prefix. */
const RESERVED_DOMAIN_WORDS = ['aws', 'amazon', 'cognito'] as const;

/** Longest ID/access token lifetime a retained stage accepts: revocation does not reach a token already issued. */
const MAX_RETAINED_TOKEN_MINUTES = 60;

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

const providerName = z
  .string()
  // No "_": Cognito's ProviderName pattern ([^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+) refuses it.
  .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{1,30}[A-Za-z0-9]$/, '3 to 32 letters, digits, "." or "-", starting and ending with a letter or digit')
  .refine((name) => !RESERVED_PROVIDER_NAMES.includes(name.toLowerCase()), 'a name other than Cognito\'s built-in provider names');

const identityProviders = z
  .strictObject({
    google: z.strictObject({ clientId: z.string().min(1), clientSecret: secretReference }).optional(),
    facebook: z.strictObject({ clientId: z.string().min(1), clientSecret: secretReference }).optional(),
    amazon: z.strictObject({ clientId: z.string().min(1), clientSecret: secretReference }).optional(),
    apple: z
      .strictObject({
        servicesId: z.string().min(1).describe('The Services ID registered with Apple (the OAuth client ID).'),
        teamId: z.string().regex(/^[A-Z0-9]{10}$/, 'a 10-character Apple team ID'),
        keyId: z.string().regex(/^[A-Z0-9]{10}$/, 'a 10-character Apple key ID'),
        privateKey: secretReference.describe('The .p8 private key, as a Secrets Manager reference.'),
      })
      .optional(),
    oidc: z
      .array(
        z.strictObject({
          name: providerName,
          issuerUrl: httpsUrl,
          clientId: z.string().min(1),
          clientSecret: secretReference,
          scopes: z.array(z.string().min(1)).min(1).default([...USER_DIRECTORY_DEFAULTS.oidcScopes]),
        }),
      )
      .default([]),
    saml: z
      .array(
        z.strictObject({
          name: providerName,
          metadataUrl: httpsUrl,
        }),
      )
      .default([]),
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

const domain = z
  .union([
    z.strictObject({
      prefix: z
        .string()
        .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'a Cognito domain prefix: 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen')
        .refine(
          (prefix) => !RESERVED_DOMAIN_WORDS.some((word) => prefix.includes(word)),
          `a prefix without the reserved words ${RESERVED_DOMAIN_WORDS.join(', ')}`,
        ),
      managedLoginVersion: z.enum(['classic', 'managed']).default('managed'),
    }),
    z.strictObject({
      customDomain: z.strictObject({
        name: z.string().regex(/^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a lowercase fully qualified domain name'),
        certificateArn: z
          .string()
          .regex(
            /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/,
            'an ACM certificate ARN in us-east-1 (Cognito custom domains are served through CloudFront)',
          ),
      }),
      managedLoginVersion: z.enum(['classic', 'managed']).default('managed'),
    }),
  ])
  .optional()
  .describe('Sign-in domain for managed login and OAuth: a Cognito prefix or a custom domain. Omit for no hosted sign-in.');

const passwordPolicy = z
  .strictObject({
    minLength: z.number().int().min(8).max(99).default(PASSWORD.minLength),
    requireLowercase: z.boolean().default(PASSWORD.requireLowercase),
    requireUppercase: z.boolean().default(PASSWORD.requireUppercase),
    requireDigits: z.boolean().default(PASSWORD.requireDigits),
    requireSymbols: z.boolean().default(PASSWORD.requireSymbols),
    tempPasswordValidityDays: z.number().int().min(1).max(365).default(PASSWORD.tempPasswordValidityDays),
    passwordHistorySize: z.number().int().min(0).max(24).default(PASSWORD.passwordHistorySize),
  })
  .prefault({});

const mfa = z
  .strictObject({
    mode: z.enum(['off', 'optional', 'required']).default(MFA.mode),
    totp: z.boolean().default(MFA.totp),
    sms: z.boolean().default(MFA.sms),
    email: z.boolean().default(MFA.email).describe('Email as a second factor. Needs `email.sesFromAddress` (Cognito sends MFA email only through SES).'),
  })
  .prefault({});

const email = z
  .strictObject({
    sesFromAddress: z.email().describe('Verified SES identity Cognito sends from.'),
    sesFromName: z.string().min(1).optional(),
    sesRegion: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1').optional(),
    sesConfigurationSet: z.string().min(1).optional(),
    replyTo: z.email().optional(),
  })
  .optional()
  .describe('Send user-pool email through Amazon SES instead of Cognito\'s built-in sender (50 emails/day).');

const group = z.strictObject({
  name: z.string().regex(/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u, 'a group name of 1-128 characters without spaces'),
  description: z.string().max(2048).optional(),
  precedence: z.number().int().min(0).optional().describe('Lower wins when a user is in several groups.'),
  fileAccess: z
    .enum(['own', 'read-all'])
    .default('own')
    .describe('"read-all" gives members an IAM role that also reads every user\'s files (chosen through cognito:preferred_role).'),
});

/** Domain names and host names (lowercase, at least one dot, or `localhost`). */
const HOST_NAME = /^(?=.{1,253}$)(localhost|([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})$/;

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
      .describe('What users may sign in with first. Any factor besides "password" turns on choice-based sign-in (ALLOW_USER_AUTH).'),
    passkeyRelyingPartyId: z
      .string()
      .max(63)
      .regex(HOST_NAME, 'a host name such as auth.example.org (or localhost)')
      .optional()
      .describe('The WebAuthn relying party of passkeys. @default the sign-in domain\'s host; required with "passkey" when there is no domain'),
    passkeyUserVerification: z
      .enum(['preferred', 'required'])
      .default(USER_DIRECTORY_DEFAULTS.passkeyUserVerification)
      .describe('"required" makes every passkey sign-in verify the user (PIN or biometrics).'),
  })
  .prefault({})
  .describe('First sign-in factors (choice-based sign-in) and passkey settings.');

const triggers = z
  .strictObject({
    allowedEmailDomains: z
      .array(z.string().regex(HOST_NAME, 'a lowercase email domain such as example.org'))
      .min(1)
      .optional()
      .describe('Only these email domains may sign up, federated sign-ups included (a pre sign-up trigger). @default any domain'),
    defaultGroup: z
      .string()
      .min(1)
      .optional()
      .describe('Every confirmed new user joins this group (a post-confirmation trigger); it must be one of userPool.groups. @default none'),
  })
  .prefault({})
  .describe('User pool Lambda triggers.');

const userPool = z
  .strictObject({
    selfSignUp: z.boolean().default(false).describe('Let users sign themselves up (email verified by code).'),
    featurePlan: z.enum(['essentials', 'plus']).default('essentials'),
    threatProtection: z
      .enum(['off', 'audit', 'enforced'])
      .optional()
      .describe('Threat protection mode; requires featurePlan "plus". @default "enforced" with plus, "off" otherwise'),
    passwordPolicy,
    mfa,
    email,
    groups: z.array(group).default([]),
    signIn,
    triggers,
  })
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
    if (defaultGroup !== undefined && !pool.groups.some((g) => g.name === defaultGroup)) {
      ctx.addIssue({ code: 'custom', path: ['triggers', 'defaultGroup'], message: `one of userPool.groups (${pool.groups.map((g) => `"${g.name}"`).join(', ') || 'none defined'})` });
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

const webClient = z.strictObject({
  callbackUrls: z.array(redirectUrl).min(1).describe('Where Cognito may send users after sign-in.'),
  logoutUrls: z.array(redirectUrl).min(1).describe('Where Cognito may send users after sign-out.'),
  scopes: z
    .array(z.enum(['openid', 'email', 'profile', 'phone', 'aws.cognito.signin.user.admin']))
    .min(1)
    .default([...USER_DIRECTORY_DEFAULTS.oAuthScopes])
    .refine((scopes) => scopes.includes('openid'), 'a scope list that includes "openid"'),
  accessTokenMinutes: z.number().int().min(5).max(1440).default(USER_DIRECTORY_DEFAULTS.accessTokenMinutes),
  idTokenMinutes: z.number().int().min(5).max(1440).default(USER_DIRECTORY_DEFAULTS.idTokenMinutes),
  refreshTokenDays: z.number().int().min(1).max(3650).default(USER_DIRECTORY_DEFAULTS.refreshTokenDays),
  authSessionMinutes: z.number().int().min(3).max(15).default(USER_DIRECTORY_DEFAULTS.authSessionMinutes),
  refreshTokenRotation: z
    .strictObject({
      enabled: z.boolean().default(USER_DIRECTORY_DEFAULTS.refreshTokenRotation.enabled),
      retryGraceSeconds: z
        .number()
        .int()
        .min(0)
        .max(60)
        .default(USER_DIRECTORY_DEFAULTS.refreshTokenRotation.retryGraceSeconds)
        .describe('How long the replaced refresh token still works, for a retry after a lost response.'),
    })
    .prefault({})
    .describe('Each refresh returns a new refresh token (GetTokensFromRefreshToken); the client then cannot use the legacy REFRESH_TOKEN_AUTH flow.'),
});

const API_SCOPE_NAMES: readonly string[] = Object.values(API_SCOPES);

const machineClient = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,62}$/, 'a name of letters, digits and hyphens, starting with a letter')
    .describe('Names the app client and its construct ID.'),
  scopes: z
    .array(z.string().refine((scope) => API_SCOPE_NAMES.includes(scope), `a scope of the "api" resource server: ${API_SCOPE_NAMES.join(', ')}`))
    .min(1)
    .refine((scopes) => new Set(scopes).size === scopes.length, 'each scope once'),
  accessTokenMinutes: z.number().int().min(5).max(1440).default(USER_DIRECTORY_DEFAULTS.machineAccessTokenMinutes),
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
  .describe('Confidential app clients that get access tokens with client credentials (no user); the secret is never an output.');

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
  .prefault({});

const storage = z
  .strictObject({
    kmsEncryption: z.boolean().default(STORAGE_DEFAULTS.kmsEncryption).describe('Encrypt user files with a customer managed KMS key (S3-managed keys otherwise).'),
    noncurrentVersionDays: z.number().int().min(1).max(3650).default(STORAGE_DEFAULTS.noncurrentVersionDays),
    abortIncompleteUploadDays: z.number().int().min(1).max(365).default(STORAGE_DEFAULTS.abortIncompleteUploadDays),
    accessLogs: z.boolean().default(STORAGE_DEFAULTS.accessLogs).describe('S3 server access logs into a separate bucket.'),
    accessLogRetentionDays: z.number().int().min(1).max(3650).default(STORAGE_DEFAULTS.accessLogRetentionDays),
    allowedContentTypes: z
      .array(z.string().regex(/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/, 'a MIME type such as text/csv'))
      .min(1)
      .default([...UPLOAD_DEFAULTS.allowedContentTypes]),
    maxUploadBytes: z
      .number()
      .int()
      .min(1)
      .max(5 * 1024 ** 3)
      .default(UPLOAD_DEFAULTS.maxUploadBytes)
      .describe('Largest upload (bytes): an upload URL allows no more, and the checker rejects a larger object as too_large.'),
    quotaBytesPerUser: z
      .number()
      .int()
      .min(1)
      .default(UPLOAD_DEFAULTS.quotaBytesPerUser)
      .describe('Bytes of accepted files each identity may keep; an upload past it is rejected as quota_exceeded.'),
    csv: z
      .strictObject({
        maxColumns: z.number().int().min(1).max(100000).default(UPLOAD_DEFAULTS.csvMaxColumns).describe('More columns are rejected as too_many_columns.'),
        maxFieldBytes: z.number().int().min(1).max(16 * 1024 * 1024).default(UPLOAD_DEFAULTS.csvMaxFieldBytes).describe('A larger field is rejected as parse_error.'),
      })
      .prefault({})
      .describe('Limits of the upload checker.'),
  })
  .prefault({});

const webApp = z
  .strictObject({
    enabled: z
      .boolean()
      .default(WEB_APP_DEFAULTS.enabled)
      .describe(
        'Host the web app in the stack: private S3 bucket behind CloudFront (origin access control, security headers). Its https://<distribution domain> URL joins the callback/logout URLs and the CORS origins.',
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

const api = z
  .strictObject({
    throttling: z
      .strictObject({
        rateLimit: z.number().int().min(1).max(10000).default(API_DEFAULTS.throttlingRateLimit).describe('Steady-state requests per second for the stage.'),
        burstLimit: z.number().int().min(1).max(5000).default(API_DEFAULTS.throttlingBurstLimit),
      })
      .prefault({}),
    authorizerCacheSeconds: z.number().int().min(0).max(3600).default(API_DEFAULTS.authorizerCacheSeconds).describe('How long API Gateway caches a validated token (0 turns the cache off).'),
    accessLogRetentionDays: retentionDays.default(API_DEFAULTS.accessLogRetentionDays),
    executionLogLevel: z
      .enum(['off', 'error', 'info'])
      .default(API_DEFAULTS.executionLogLevel)
      .describe('Execution logging, never with bodies. Needs the account\'s API Gateway CloudWatch role (see README).'),
    tracing: z.boolean().default(API_DEFAULTS.tracing).describe('X-Ray tracing of the stage and handlers.'),
    webAclArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+$/, 'a regional WAFv2 web ACL ARN')
      .optional(),
    handlerMemoryMb: z.number().int().min(128).max(10240).default(API_DEFAULTS.handlerMemoryMb),
    handlerTimeoutSeconds: z.number().int().min(1).max(29).default(API_DEFAULTS.handlerTimeoutSeconds).describe('At most 29: API Gateway\'s integration timeout.'),
    handlerLogRetentionDays: retentionDays.default(API_DEFAULTS.handlerLogRetentionDays),
    uploadUrlTtlSeconds: z.number().int().min(60).max(3600).default(UPLOAD_DEFAULTS.uploadUrlTtlSeconds),
    downloadUrlTtlSeconds: z.number().int().min(10).max(3600).default(UPLOAD_DEFAULTS.downloadUrlTtlSeconds),
  })
  .prefault({});

const WAF = PROTECTION_DEFAULTS.waf;

const protection = z
  .strictObject({
    waf: z
      .strictObject({
        enabled: z.boolean().default(WAF.enabled).describe('Create a regional WAFv2 web ACL for the user pool and the API stage (instead of api.webAclArn).'),
        rateLimitPer5Minutes: z
          .number()
          .int()
          .min(10)
          .max(2_000_000_000)
          .default(WAF.rateLimitPer5Minutes)
          .describe('Requests one client IP may send in any 5 minutes before WAF blocks it.'),
        managedRuleGroups: z
          .array(z.string().regex(/^AWSManagedRules[A-Za-z0-9]+$/, 'an AWS managed rule group name such as AWSManagedRulesCommonRuleSet'))
          .default([...WAF.managedRuleGroups])
          .refine((groups) => new Set(groups).size === groups.length, 'each rule group once')
          .describe('AWS managed rule groups the web ACL runs, in order.'),
      })
      .prefault({}),
    alarmEmail: z.email().optional().describe('Email subscribed to the alarm topic. Without it the alarms still exist; subscribe to the AlarmTopicArn output yourself.'),
    logEncryption: z.boolean().default(PROTECTION_DEFAULTS.logEncryption).describe('Encrypt every log group of the stack with one customer managed KMS key.'),
  })
  .prefault({})
  .describe('WAF, alarms and log encryption.');

/**
 * A finding the stage accepts: the rule ID as the pack reports it (e.g.
 * `AwsSolutions-COG2`, or `AwsSolutions-IAM5[Resource::…]`), why, and
 * optionally the construct path below the stack it is limited to.
 */
const acknowledgement = z.strictObject({
  id: z
    .string()
    .regex(
      /^((AwsSolutions|Serverless|NIST\.800\.53\.R[45]|HIPAA\.Security|PCI\.DSS\.321)-[A-Za-z0-9]+(\[.+\])?|cdk-validator-cfnguard::[a-z0-9_]+)$/,
      'a rule-pack finding ID such as "AwsSolutions-COG2" or "cdk-validator-cfnguard::s3_bucket_versioning_enabled_check"',
    ),
  reason: z.string().min(20, 'a reason of at least 20 characters that says why this stage accepts the finding'),
  path: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9/_.-]*$/, 'a construct path below the stack, e.g. "UserDirectory/UserPool"')
    .optional()
    .describe('Limit the acknowledgement to this construct and its children. @default the whole stack'),
});

export const stageConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path to the JSON Schema, for editors.'),
    stackName: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'a CloudFormation stack name (letters, digits, hyphens; starts with a letter)')
      .optional()
      .describe('@default "CognitoAccess-<stage>"'),
    account: z.string().regex(/^\d{12}$/, 'a 12-digit AWS account ID').optional().describe('Pin the stack to an account. @default the CLI\'s account'),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1').optional().describe('Pin the stack to a region. @default the CLI\'s region'),
    ssmPrefix: z
      .string()
      .regex(/^(\/[A-Za-z0-9_.-]+)+$/, 'an SSM path such as /cognito-access/prod (no trailing slash)')
      .optional()
      .describe('Where the stack writes its SSM parameters. @default "/cognito-access/<stage>"'),
    removal: z
      .enum(['retain', 'destroy'])
      .default('retain')
      .describe('"retain" keeps the user pool (with deletion protection) when the stack is deleted; "destroy" is for throwaway stages.'),
    userPool,
    webClient,
    machineClients,
    domain,
    identityProviders,
    webOrigins: z.array(webOrigin).default([]).describe('Browser origins allowed by CORS on the bucket and the API.'),
    identityPool,
    storage,
    api,
    webApp,
    protection,
    tags: z.record(z.string().min(1).max(128), z.string().max(256)).default({}),
    acknowledgements: z
      .array(acknowledgement)
      .default([])
      .describe('Rule-pack findings this stage accepts on purpose, each with a reason that is true of this stage. Any other finding fails synth.'),
  })
  .superRefine((config, ctx) => {
    const idps = config.identityProviders;
    const anyIdp = Boolean(idps.google || idps.facebook || idps.amazon || idps.apple || idps.oidc.length || idps.saml.length);
    if (config.userPool.email && !config.userPool.email.sesRegion && !config.region) {
      ctx.addIssue({ code: 'custom', path: ['userPool', 'email', 'sesRegion'], message: 'an SES region (or a top-level "region" for the stack)' });
    }
    if (config.removal === 'retain' && config.webOrigins.some((origin) => origin.startsWith('http://'))) {
      ctx.addIssue({ code: 'custom', path: ['webOrigins'], message: 'https origins only in a retained (production) stage' });
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
      // A local dev server on a user's machine must never receive production codes or tokens.
      for (const field of ['callbackUrls', 'logoutUrls'] as const) {
        config.webClient[field].forEach((url, i) => {
          if (/^http:\/\/(localhost|127\.0\.0\.1)([:/?]|$)/.test(url)) ctx.addIssue({ code: 'custom', path: ['webClient', field, i], message: `https ${field} only in a retained (production) stage (http://localhost is for removal "destroy" stages)` });
        });
      }
      // A signed-out or disabled user's ID and access tokens stay valid until they expire.
      for (const field of ['idTokenMinutes', 'accessTokenMinutes'] as const) {
        if (config.webClient[field] > MAX_RETAINED_TOKEN_MINUTES) {
          ctx.addIssue({ code: 'custom', path: ['webClient', field], message: `at most ${MAX_RETAINED_TOKEN_MINUTES} minutes in a retained (production) stage (a revoked token works until it expires)` });
        }
      }
    }
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
