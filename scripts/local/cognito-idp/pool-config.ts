/**
 * What the local user pool reads from the synthesized template: the one
 * AWS::Cognito::UserPool, its clients and groups. A setting the emulator
 * cannot honour stops the run with a message naming it; one it can ignore
 * without changing behaviour becomes a note printed on start.
 */
import { CliInputError } from '../../common/cli-error';
import type { LambdaInvoker, LocalTemplate } from '../contracts';
import { COGNITO_DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from './password-policy';
import type { UntypedJson } from '../../common/untyped-json';

export type MfaType = 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP';
export type FirstFactor = 'PASSWORD' | 'EMAIL_OTP' | 'WEB_AUTHN';

export interface ClientConfig {
  readonly logicalId: string;
  readonly name: string;
  /** ExplicitAuthFlows; absent in the template means Cognito's default (SRP, refresh, custom). */
  readonly explicitAuthFlows: ReadonlySet<string>;
  readonly accessTokenSeconds: number;
  readonly idTokenSeconds: number;
  readonly refreshTokenSeconds: number;
  readonly refreshTokenRotation: { readonly enabled: boolean; readonly retryGraceSeconds: number };
  readonly enableTokenRevocation: boolean;
  readonly preventUserExistenceErrors: boolean;
  readonly authSessionSeconds: number;
  readonly generateSecret: boolean;
  /** OAuth-only clients (client_credentials) have no user flows here. */
  readonly allowedOAuthFlows: readonly string[];
}

export interface GroupConfig {
  readonly logicalId: string;
  readonly name: string;
  readonly precedence?: number;
  readonly roleArn?: string;
}

export interface PoolConfig {
  readonly logicalId: string;
  readonly name: string;
  readonly passwordPolicy: PasswordPolicy;
  readonly selfSignUp: boolean;
  readonly mfa: 'OFF' | 'OPTIONAL' | 'ON';
  readonly enabledMfas: ReadonlySet<MfaType>;
  /** Policies.SignInPolicy.AllowedFirstAuthFactors (PASSWORD when absent). */
  readonly firstFactors: ReadonlySet<FirstFactor>;
  readonly usernameAttributes: readonly string[];
  readonly autoVerifiedAttributes: readonly string[];
  /** Schema attributes marked Required. */
  readonly requiredAttributes: readonly string[];
  readonly caseSensitiveUsernames: boolean;
  readonly triggers: { readonly preSignUp?: string; readonly postConfirmation?: string };
  readonly verificationEmail: { readonly subject: string; readonly message: string };
  readonly webAuthn: { readonly relyingPartyId?: string; readonly userVerification: 'required' | 'preferred' };
  readonly clients: readonly ClientConfig[];
  readonly groups: readonly GroupConfig[];
  readonly notes: readonly string[];
}

const SUPPORTED_TRIGGERS = new Set(['PreSignUp', 'PostConfirmation']);

type Props = Record<string, UntypedJson>;

function unsupported(logicalId: string, setting: string, why: string): never {
  throw new CliInputError(`local run: AWS::Cognito::UserPool ${logicalId} sets ${setting}, which the local user pool cannot emulate (${why}).`);
}

export function seconds(value: unknown, unit: unknown, defaultValue: number, defaultUnit: string): number {
  if (typeof value !== 'number') return defaultValue * { hours: 3600, days: 86400 }[defaultUnit as 'hours' | 'days'];
  const amount = value;
  // CloudFormation's units default to hours for access and ID tokens, days for refresh tokens.
  const factor = { seconds: 1, minutes: 60, hours: 3600, days: 86400 }[String(unit ?? defaultUnit)];
  if (!factor) throw new CliInputError(`local run: unknown TokenValidityUnits value ${JSON.stringify(unit)}.`);
  return amount * factor;
}

/** The user pool's logical ID; exactly one pool is emulated. */
export function userPoolLogicalId(template: LocalTemplate): string {
  const pools = template.resourcesOfType('AWS::Cognito::UserPool');
  if (pools.length !== 1)
    throw new CliInputError(`local run: the local user pool emulates exactly one AWS::Cognito::UserPool; the template has ${pools.length}.`);
  return pools[0];
}

/** True when `value` (a Ref or literal) names the pool `poolLogicalId`. */
function refersTo(template: LocalTemplate, value: unknown, poolLogicalId: string): boolean {
  return (value as Props)?.Ref === poolLogicalId || template.resolve(value) === template.resolve({ Ref: poolLogicalId });
}

export function clientLogicalIds(template: LocalTemplate, poolLogicalId: string): string[] {
  return template
    .resourcesOfType('AWS::Cognito::UserPoolClient')
    .filter((id) => refersTo(template, template.resources[id].Properties?.UserPoolId, poolLogicalId));
}

export function groupLogicalIds(template: LocalTemplate, poolLogicalId: string): string[] {
  return template
    .resourcesOfType('AWS::Cognito::UserPoolGroup')
    .filter((id) => refersTo(template, template.resources[id].Properties?.UserPoolId, poolLogicalId));
}

/** Reads the pool. Call after the pool's, clients' and groups' physical IDs are set. */
export function readPoolConfig(template: LocalTemplate, lambda: LambdaInvoker | undefined): PoolConfig {
  const logicalId = userPoolLogicalId(template);
  const p: Props = template.resources[logicalId].Properties ?? {};
  const notes: string[] = [];

  const pw: Props = p.Policies?.PasswordPolicy ?? {};
  const d = COGNITO_DEFAULT_PASSWORD_POLICY;
  const passwordPolicy: PasswordPolicy = {
    minimumLength: pw.MinimumLength ?? d.minimumLength,
    requireLowercase: pw.RequireLowercase ?? (p.Policies?.PasswordPolicy ? false : d.requireLowercase),
    requireUppercase: pw.RequireUppercase ?? (p.Policies?.PasswordPolicy ? false : d.requireUppercase),
    requireNumbers: pw.RequireNumbers ?? (p.Policies?.PasswordPolicy ? false : d.requireNumbers),
    requireSymbols: pw.RequireSymbols ?? (p.Policies?.PasswordPolicy ? false : d.requireSymbols),
    passwordHistorySize: pw.PasswordHistorySize ?? 0,
    temporaryPasswordValidityDays: pw.TemporaryPasswordValidityDays ?? d.temporaryPasswordValidityDays,
  };

  const mfa = (p.MfaConfiguration ?? 'OFF') as PoolConfig['mfa'];
  if (!['OFF', 'OPTIONAL', 'ON'].includes(mfa)) unsupported(logicalId, `MfaConfiguration ${JSON.stringify(mfa)}`, 'unknown value');
  const enabledMfas = new Set<MfaType>();
  for (const m of (p.EnabledMfas ?? (mfa === 'OFF' ? [] : ['SMS_MFA'])) as string[]) {
    if (m === 'SOFTWARE_TOKEN_MFA' || m === 'EMAIL_OTP') enabledMfas.add(m);
    else if (mfa !== 'OFF') unsupported(logicalId, `EnabledMfas ${m}`, 'SMS is not sent locally');
  }

  const firstFactors = new Set<FirstFactor>();
  for (const f of (p.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? ['PASSWORD']) as string[]) {
    if (f === 'PASSWORD' || f === 'EMAIL_OTP' || f === 'WEB_AUTHN') firstFactors.add(f);
    else unsupported(logicalId, `Policies.SignInPolicy.AllowedFirstAuthFactors ${f}`, 'SMS is not sent locally');
  }

  const usernameAttributes = (p.UsernameAttributes ?? []) as string[];
  if (usernameAttributes.some((a) => a !== 'email'))
    unsupported(logicalId, `UsernameAttributes ${JSON.stringify(usernameAttributes)}`, 'only email is emulated');
  if (p.AliasAttributes) unsupported(logicalId, 'AliasAttributes', 'only UsernameAttributes [email] is emulated');
  const autoVerifiedAttributes = (p.AutoVerifiedAttributes ?? []) as string[];
  if (autoVerifiedAttributes.some((a) => a !== 'email'))
    unsupported(logicalId, `AutoVerifiedAttributes ${JSON.stringify(autoVerifiedAttributes)}`, 'SMS is not sent locally');

  const triggers: { preSignUp?: string; postConfirmation?: string } = {};
  for (const [key, value] of Object.entries((p.LambdaConfig ?? {}) as Props)) {
    if (!SUPPORTED_TRIGGERS.has(key)) unsupported(logicalId, `LambdaConfig.${key}`, `only ${[...SUPPORTED_TRIGGERS].join(' and ')} triggers run locally`);
    const fn = lambda?.functionFor(value);
    if (!fn)
      throw new CliInputError(
        `local run: AWS::Cognito::UserPool ${logicalId} LambdaConfig.${key} names no AWS::Lambda::Function of the template the local run can invoke.`,
      );
    if (key === 'PreSignUp') triggers.preSignUp = fn;
    else triggers.postConfirmation = fn;
  }

  const security = p.UserPoolAddOns?.AdvancedSecurityMode;
  if (security === 'ENFORCED')
    unsupported(
      logicalId,
      'UserPoolAddOns.AdvancedSecurityMode ENFORCED',
      'adaptive authentication and compromised-credential checks need the real risk engine',
    );
  if (security === 'AUDIT')
    notes.push('user pool: AdvancedSecurityMode AUDIT only records risk in AWS; nothing is recorded locally (sign-in behaves the same).');
  if (p.DeviceConfiguration) unsupported(logicalId, 'DeviceConfiguration', 'remembered devices are not emulated');
  const template_ = p.VerificationMessageTemplate ?? {};
  if (template_.DefaultEmailOption === 'CONFIRM_WITH_LINK')
    unsupported(logicalId, 'VerificationMessageTemplate.DefaultEmailOption CONFIRM_WITH_LINK', 'links need the hosted domain');
  if (p.EmailConfiguration) notes.push('user pool: EmailConfiguration is not used; every message goes to the local mailbox.');
  if (p.UserPoolTier) notes.push(`user pool: UserPoolTier ${p.UserPoolTier} has no local effect (features are emulated as the template configures them).`);

  const webAuthnUv = String(p.WebAuthnUserVerification ?? 'preferred');
  const pool: Omit<PoolConfig, 'clients' | 'groups'> = {
    logicalId,
    name: String(p.UserPoolName ?? logicalId),
    passwordPolicy,
    selfSignUp: p.AdminCreateUserConfig?.AllowAdminCreateUserOnly !== true,
    mfa,
    enabledMfas,
    firstFactors,
    usernameAttributes,
    autoVerifiedAttributes,
    requiredAttributes: ((p.Schema ?? []) as Props[]).filter((a) => a.Required === true).map((a) => String(a.Name)),
    caseSensitiveUsernames: p.UsernameConfiguration?.CaseSensitive === true,
    triggers,
    verificationEmail: {
      subject: String(template_.EmailSubject ?? p.EmailVerificationSubject ?? 'Your verification code'),
      message: String(template_.EmailMessage ?? p.EmailVerificationMessage ?? 'Your verification code is {####}. '),
    },
    webAuthn: {
      relyingPartyId: p.WebAuthnRelyingPartyID ? String(template.resolve(p.WebAuthnRelyingPartyID)) : undefined,
      userVerification: webAuthnUv === 'required' ? 'required' : 'preferred',
    },
    notes,
  };

  const clients = clientLogicalIds(template, logicalId).map((id) => readClient(template, id, notes));
  const groups = groupLogicalIds(template, logicalId).map((id): GroupConfig => {
    const g: Props = template.resources[id].Properties ?? {};
    return {
      logicalId: id,
      name: String(g.GroupName ?? id),
      precedence: typeof g.Precedence === 'number' ? g.Precedence : undefined,
      roleArn: g.RoleArn === undefined ? undefined : template.resolve<string>(g.RoleArn),
    };
  });
  const listedOnly: Record<string, string> = {
    'AWS::Cognito::UserPoolIdentityProvider': 'federated sign-in (Google, SAML, OIDC, …) needs the hosted domain; only local users sign in',
    'AWS::Cognito::UserPoolDomain': 'no hosted sign-in pages or OAuth endpoints (/oauth2/*) locally',
    'AWS::Cognito::UserPoolResourceServer': 'its scopes come only from the OAuth token endpoint, which is not emulated',
    'AWS::Cognito::ManagedLoginBranding': 'no hosted sign-in pages locally',
  };
  for (const [type, why] of Object.entries(listedOnly)) {
    if (template.resourcesOfType(type).length > 0) notes.push(`user pool: ${type} is not emulated (${why}).`);
  }
  return { ...pool, clients, groups };
}

function readClient(template: LocalTemplate, logicalId: string, notes: string[]): ClientConfig {
  const c: Props = template.resources[logicalId].Properties ?? {};
  const units: Props = c.TokenValidityUnits ?? {};
  const flows = new Set<string>((c.ExplicitAuthFlows as string[] | undefined) ?? ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_CUSTOM_AUTH']);
  for (const flow of flows) {
    if (['ALLOW_CUSTOM_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'CUSTOM_AUTH_FLOW_ONLY', 'ADMIN_NO_SRP_AUTH'].includes(flow)) {
      notes.push(`user pool client ${logicalId}: ${flow} is allowed in the template but not emulated; such sign-ins are refused locally.`);
    }
  }
  const rotation: Props = c.RefreshTokenRotation ?? {};
  return {
    logicalId,
    name: String(c.ClientName ?? logicalId),
    explicitAuthFlows: flows,
    accessTokenSeconds: seconds(c.AccessTokenValidity, units.AccessToken, 1, 'hours'),
    idTokenSeconds: seconds(c.IdTokenValidity, units.IdToken, 1, 'hours'),
    refreshTokenSeconds: seconds(c.RefreshTokenValidity, units.RefreshToken, 30, 'days'),
    refreshTokenRotation: {
      enabled: rotation.Feature === 'ENABLED',
      retryGraceSeconds: typeof rotation.RetryGracePeriodSeconds === 'number' ? rotation.RetryGracePeriodSeconds : 0,
    },
    enableTokenRevocation: c.EnableTokenRevocation !== false,
    preventUserExistenceErrors: c.PreventUserExistenceErrors === 'ENABLED',
    authSessionSeconds: (typeof c.AuthSessionValidity === 'number' ? c.AuthSessionValidity : 3) * 60,
    generateSecret: c.GenerateSecret === true,
    allowedOAuthFlows: (c.AllowedOAuthFlows as string[] | undefined) ?? [],
  };
}
