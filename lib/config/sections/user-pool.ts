/**
 * `userPool`: the Cognito user pool's own settings (password, MFA, email,
 * groups, sign-in factors, triggers), and the UserDirectory props they become.
 * Rules between props of the pool itself live in UserDirectory (docs/design.md,
 * "Stage configuration"); this file keeps shapes and ranges.
 */
import { Duration } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { z } from 'zod';
import { USER_DIRECTORY_DEFAULTS } from '../../user-directory/user-directory-defaults';
import type { UserDirectoryProps } from '../../user-directory/user-directory';
import { constructIdPart } from '../../util/construct-id';
import { AWS_REGION, emailDomain, HOST_NAME } from '../fields';
import { removalPolicyOf } from '../removal';
import type { StageConfig } from '../stage-config';

const PASSWORD = USER_DIRECTORY_DEFAULTS.passwordPolicy;
const MFA_DEFAULTS = USER_DIRECTORY_DEFAULTS.mfa;

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
    mode: z
      .enum(['off', 'optional', 'required'])
      .default(MFA_DEFAULTS.mode)
      .describe('Whether users need a second factor. "required" allows only "password" as a first factor.'),
    totp: z.boolean().default(MFA_DEFAULTS.totp).describe('Authenticator apps (TOTP) as a second factor.'),
    sms: z
      .boolean()
      .default(MFA_DEFAULTS.sms)
      .describe(
        'SMS as a second factor. Adds an SNS-publishing role that only Cognito may assume, with an external ID, from this account and for user pools in this Region (aws:SourceAccount, aws:SourceArn).',
      ),
    email: z
      .boolean()
      .default(MFA_DEFAULTS.email)
      .describe('Email as a second factor. Needs userPool.email (`email.sesFromAddress`): Cognito sends MFA email only through SES.'),
  })
  .prefault({})
  .describe('Multi-factor authentication.');

const email = z
  .strictObject({
    sesFromAddress: z.email().describe('Verified SES identity Cognito sends from.'),
    sesFromName: z.string().min(1).optional().describe('Sender name shown with the address.'),
    sesRegion: z
      .string()
      .regex(AWS_REGION, 'an AWS region such as eu-west-1')
      .optional()
      .describe('Region of the SES identity. Required when the stack has no region. @default the stack region'),
    sesConfigurationSet: z.string().min(1).optional().describe('SES configuration set to send with.'),
    replyTo: z.email().optional().describe('Reply-to address.'),
  })
  .optional()
  .describe("Send user-pool email through Amazon SES instead of Cognito's built-in sender (50 emails/day).");

const group = z.strictObject({
  name: z
    .string()
    .regex(/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u, 'a group name of 1-128 characters without spaces')
    .describe('Group name: 1-128 characters without spaces.'),
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
      .describe(
        'The WebAuthn relying party of passkeys: a host name such as auth.example.org, or localhost. Required with "passkey" when there is no domain. @default the sign-in domain\'s host',
      ),
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

export const userPool = z
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
      ctx.addIssue({
        code: 'custom',
        path: ['signIn', 'firstFactors'],
        message: 'userPool.email (SES) set too for "emailOtp" (Cognito sends sign-in codes by email only through SES)',
      });
    }
    if (factors.includes('smsOtp') && !pool.mfa.sms) {
      ctx.addIssue({ code: 'custom', path: ['signIn', 'firstFactors'], message: 'mfa.sms true too for "smsOtp" (it gives the pool its SMS role)' });
    }
    // Whether the default group exists is UserDirectory's rule; fileAccess is the stack's (it decides the identity pool's roles).
    const defaultGroup = pool.groups.find((g) => g.name === pool.triggers.defaultGroup);
    if (defaultGroup?.fileAccess === 'read-all') {
      // Every new user, federated ones included, would get the role that reads all files.
      ctx.addIssue({
        code: 'custom',
        path: ['triggers', 'defaultGroup'],
        message: `a group whose fileAccess is "own" ("${defaultGroup.name}" is "read-all", and every new user would join it)`,
      });
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
      else if (first !== undefined)
        ctx.addIssue({ code: 'custom', path: ['groups', i, 'name'], message: `a group name that differs from "${first}" by more than case or punctuation` });
      else constructIds.set(constructIdPart(g.name), g.name);
    });
  })
  .prefault({});

/** The user pool's part of UserDirectory's props; the web client and federation sections add theirs. */
export function userPoolProps(config: StageConfig): Omit<UserDirectoryProps, 'callbackUrls' | 'logoutUrls'> {
  const pool = config.userPool;
  return {
    selfSignUp: pool.selfSignUp,
    featurePlan: pool.featurePlan === 'plus' ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
    threatProtection: pool.threatProtection ? THREAT_PROTECTION[pool.threatProtection] : undefined,
    passwordPolicy: {
      minLength: pool.passwordPolicy.minLength,
      requireLowercase: pool.passwordPolicy.requireLowercase,
      requireUppercase: pool.passwordPolicy.requireUppercase,
      requireDigits: pool.passwordPolicy.requireDigits,
      requireSymbols: pool.passwordPolicy.requireSymbols,
      tempPasswordValidity: Duration.days(pool.passwordPolicy.tempPasswordValidityDays),
      passwordHistorySize: pool.passwordPolicy.passwordHistorySize,
    },
    mfa: MFA[pool.mfa.mode],
    mfaSecondFactor: { otp: pool.mfa.totp, sms: pool.mfa.sms, email: pool.mfa.email },
    email: pool.email
      ? cognito.UserPoolEmail.withSES({
          fromEmail: pool.email.sesFromAddress,
          fromName: pool.email.sesFromName,
          replyTo: pool.email.replyTo,
          sesRegion: pool.email.sesRegion,
          configurationSetName: pool.email.sesConfigurationSet,
          sesVerifiedDomain: pool.email.sesFromAddress.split('@')[1],
        })
      : undefined,
    groups: pool.groups,
    firstFactors: {
      password: true,
      emailOtp: pool.signIn.firstFactors.includes('emailOtp'),
      smsOtp: pool.signIn.firstFactors.includes('smsOtp'),
      passkey: pool.signIn.firstFactors.includes('passkey'),
    },
    passkeyRelyingPartyId: pool.signIn.passkeyRelyingPartyId,
    passkeyUserVerification:
      pool.signIn.passkeyUserVerification === 'required' ? cognito.PasskeyUserVerification.REQUIRED : cognito.PasskeyUserVerification.PREFERRED,
    allowedEmailDomains: pool.triggers.allowedEmailDomains,
    defaultGroup: pool.triggers.defaultGroup,
    // The pool's logs are kept as long as the API's access logs.
    logRetention: config.api.accessLogRetentionDays,
    removalPolicy: removalPolicyOf(config),
  };
}

const MFA: Record<StageConfig['userPool']['mfa']['mode'], cognito.Mfa> = {
  off: cognito.Mfa.OFF,
  optional: cognito.Mfa.OPTIONAL,
  required: cognito.Mfa.REQUIRED,
};

const THREAT_PROTECTION: Record<NonNullable<StageConfig['userPool']['threatProtection']>, cognito.StandardThreatProtectionMode> = {
  off: cognito.StandardThreatProtectionMode.NO_ENFORCEMENT,
  audit: cognito.StandardThreatProtectionMode.AUDIT_ONLY,
  enforced: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
};
