/**
 * The schema of `config/<stage>.json`: the top-level keys, the rules that span
 * sections or constructs, and the retained-stage policy. Each section's keys,
 * and the construct props they become, live in `sections/` (one file per
 * section); rules a construct can judge from its own props live in that
 * construct (docs/design.md, "Stage configuration").
 *
 * Every default lives in the schema, so a reader finds what a stage gets
 * without a key in one place. `z.infer` of the output type is what the stack
 * consumes; `scripts/write-config-schema.ts` emits the JSON Schema from the same source.
 */
import { z } from 'zod';
import { AWS_REGION } from './fields';
import { isLoopbackUrl } from './loopback-host';
import { MAX_RETAINED_REFRESH_TOKEN_DAYS, MAX_RETAINED_TOKEN_MINUTES } from './retained-stage-limits';
import { acknowledgements } from './sections/acknowledgements';
import { api } from './sections/api';
import { domain, identityProviders } from './sections/federation';
import { identityPool } from './sections/identity-pool';
import { protection } from './sections/protection';
import { storage } from './sections/storage';
import { userPool } from './sections/user-pool';
import { webApp } from './sections/web-app';
import { machineClients, webClient } from './sections/web-client';
import { webOrigins } from './sections/web-origins';
import { signUpIssues } from './sign-up-rules';

export { PASSWORDLESS_FACTORS } from './sections/user-pool';
export type { SecretReferenceConfig } from './fields';
export type { IdentityProvidersConfig } from './sections/federation';
export type { ReplacementAcknowledgement, RulePackAcknowledgement } from './sections/acknowledgements';

/** Cognito caps a passkey relying party ID at this many characters. */
const MAX_RELYING_PARTY_LENGTH = 63;

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
      .describe("Pin the stack to an account. Without account and region, synth is environment-agnostic. @default the CLI's account"),
    region: z.string().regex(AWS_REGION, 'an AWS region such as eu-west-1').optional().describe("Pin the stack to a region. @default the CLI's region"),
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
    webOrigins,
    identityPool,
    storage,
    api,
    webApp,
    protection,
    tags: z.record(z.string().min(1).max(128), z.string().max(256)).default({}).describe('Extra tags on every resource (app and stage are always set).'),
    acknowledgements,
  })
  .superRefine((config, ctx) => {
    // Rules that span sections: each reads keys of more than one.
    if (config.userPool.email && !config.userPool.email.sesRegion && !config.region) {
      ctx.addIssue({ code: 'custom', path: ['userPool', 'email', 'sesRegion'], message: 'an SES region (or a top-level "region" for the stack)' });
    }
    // The default relying party is the prefix domain's host, which only the stack's region completes.
    const signIn = config.userPool.signIn;
    const defaultHost =
      config.domain && 'prefix' in config.domain && config.region ? `${config.domain.prefix}.auth.${config.region}.amazoncognito.com` : undefined;
    if (signIn.firstFactors.includes('passkey') && !signIn.passkeyRelyingPartyId && defaultHost && defaultHost.length > MAX_RELYING_PARTY_LENGTH) {
      ctx.addIssue({
        code: 'custom',
        path: ['userPool', 'signIn', 'passkeyRelyingPartyId'],
        message: `a relying party of at most ${MAX_RELYING_PARTY_LENGTH} characters (the default, ${defaultHost}, has ${defaultHost.length}); set one or shorten domain.prefix`,
      });
    }
    if (config.removal === 'retain') retainedStageIssues(config).forEach((issue) => ctx.addIssue({ code: 'custom', ...issue }));
    signUpIssues(config).forEach((issue) => ctx.addIssue({ code: 'custom', ...issue }));
    if (config.protection.waf.enabled && config.api.webAclArn) {
      ctx.addIssue({
        code: 'custom',
        path: ['protection', 'waf', 'enabled'],
        message: 'either protection.waf or api.webAclArn, not both (an API stage takes one web ACL)',
      });
    }
  });

/**
 * The retained-stage policy: what a production stage refuses that a throwaway
 * one allows. Plain reads of the parsed config, so every line names its field.
 */
function retainedStageIssues(config: {
  readonly webClient: {
    readonly callbackUrls: string[];
    readonly logoutUrls: string[];
    readonly idTokenMinutes: number;
    readonly accessTokenMinutes: number;
    readonly refreshTokenDays: number;
  };
  readonly webOrigins: string[];
  readonly machineClients: ReadonlyArray<{ readonly accessTokenMinutes: number }>;
}): Array<{ path: PropertyKey[]; message: string }> {
  const issues: Array<{ path: PropertyKey[]; message: string }> = [];
  // Whatever listens on a user's own machine must never receive production codes or tokens,
  // nor be a CORS origin of production data. Judged on the parsed host, so no spelling slips past.
  const loopback = `a URL whose host is not this machine in a retained (production) stage (localhost, *.localhost, 127.0.0.0/8 and [::1] are for removal "destroy" stages)`;
  for (const field of ['callbackUrls', 'logoutUrls'] as const) {
    config.webClient[field].forEach((url, i) => {
      if (isLoopbackUrl(url)) issues.push({ path: ['webClient', field, i], message: loopback });
    });
  }
  config.webOrigins.forEach((origin, i) => {
    if (isLoopbackUrl(origin)) issues.push({ path: ['webOrigins', i], message: loopback.replace('a URL', 'an origin') });
  });
  // A signed-out or disabled user's ID and access tokens stay valid until they expire.
  for (const field of ['idTokenMinutes', 'accessTokenMinutes'] as const) {
    if (config.webClient[field] > MAX_RETAINED_TOKEN_MINUTES) {
      issues.push({
        path: ['webClient', field],
        message: `at most ${MAX_RETAINED_TOKEN_MINUTES} minutes in a retained (production) stage (a revoked token works until it expires)`,
      });
    }
  }
  config.machineClients.forEach((machine, i) => {
    if (machine.accessTokenMinutes > MAX_RETAINED_TOKEN_MINUTES) {
      issues.push({
        path: ['machineClients', i, 'accessTokenMinutes'],
        message: `at most ${MAX_RETAINED_TOKEN_MINUTES} minutes in a retained (production) stage (a machine token cannot be revoked before it expires)`,
      });
    }
  });
  // A stolen refresh token mints new tokens for as long as it lives.
  if (config.webClient.refreshTokenDays > MAX_RETAINED_REFRESH_TOKEN_DAYS) {
    issues.push({
      path: ['webClient', 'refreshTokenDays'],
      message: `at most ${MAX_RETAINED_REFRESH_TOKEN_DAYS} days in a retained (production) stage (a stolen refresh token mints new tokens until it expires)`,
    });
  }
  return issues;
}

/** A stage config as written in the file (defaults not yet applied). */
export type StageConfigInput = z.input<typeof stageConfigSchema>;
/** A validated stage config with every default applied. */
export type StageConfig = z.output<typeof stageConfigSchema>;
