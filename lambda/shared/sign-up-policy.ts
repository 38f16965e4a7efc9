/**
 * Who may sign up, decided from the pre sign-up event alone: plain functions,
 * no SDK, so they are tested with any input. The stack writes the rules into
 * the trigger's environment (TRIGGER_ENV and ProviderSignUpPolicy, in
 * contracts/trigger-env.ts); anything unreadable refuses.
 */
import { isAllowedEmail, parseAllowedDomains } from './email-domains';

type ParsedPolicy = { readonly kind: 'open' } | { readonly kind: 'existingUsers' } | { readonly kind: 'allowList'; readonly domains: ReadonlySet<string> };

export interface SignUpRules {
  /** The pool-level allow-list, applied to every source; undefined: any domain. */
  readonly allowedDomains?: ReadonlySet<string>;
  /** Each provider's policy, by lowercased Cognito provider name. */
  readonly providers: ReadonlyMap<string, ParsedPolicy>;
}

/** Why a sign-up was refused; each reason has its own message for the user. */
export type RefusalReason = 'domain' | 'unverifiedEmail' | 'existingUsersOnly' | 'unknownProvider' | 'unknownSource';

export type SignUpDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: RefusalReason; readonly provider?: string };

/** The subset of a PreSignUp event the decision reads. */
export interface SignUpEvent {
  readonly triggerSource?: unknown;
  readonly userName?: unknown;
  readonly request?: { readonly userAttributes?: Record<string, unknown> };
}

/**
 * The rules from the trigger's two variables, or undefined when they cannot
 * be trusted (provider map missing or malformed, or a pool allow-list that is
 * set but names no domain): the caller then refuses every sign-up.
 */
export function parseSignUpRules(allowedEmailDomains: string | undefined, providerSignUp: string | undefined): SignUpRules | undefined {
  let allowedDomains: ReadonlySet<string> | undefined;
  if (allowedEmailDomains !== undefined) {
    allowedDomains = parseAllowedDomains(allowedEmailDomains);
    if (allowedDomains.size === 0) return undefined;
  }
  const providers = parseProviderPolicies(providerSignUp);
  return providers && { allowedDomains, providers };
}

function parseProviderPolicies(raw: string | undefined): Map<string, ParsedPolicy> | undefined {
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const providers = new Map<string, ParsedPolicy>();
  for (const [name, value] of Object.entries(parsed)) {
    const key = name.toLowerCase();
    const policy = parsePolicy(value);
    // Names differing only in case would make the lookup ambiguous.
    if (key.length === 0 || key.includes('_') || providers.has(key) || !policy) return undefined;
    providers.set(key, policy);
  }
  return providers;
}

function parsePolicy(value: unknown): ParsedPolicy | undefined {
  if (value === 'open' || value === 'existingUsers') return { kind: value };
  if (!isRecord(value) || Object.keys(value).length !== 1 || !Array.isArray(value.allowedEmailDomains)) return undefined;
  const list: unknown[] = value.allowedEmailDomains;
  if (!list.every((domain) => typeof domain === 'string')) return undefined;
  const domains = parseAllowedDomains(list.join(','));
  return domains.size > 0 ? { kind: 'allowList', domains } : undefined;
}

/**
 * The decision for one pre sign-up event:
 * - `PreSignUp_SignUp` and `PreSignUp_AdminCreateUser`: the pool allow-list, if set.
 * - `PreSignUp_ExternalProvider`: the provider's policy, then the pool
 *   allow-list; every domain check also needs `email_verified` "true", since
 *   the address comes from the provider, not from a code Cognito sent.
 * - any other source, or a provider the rules do not name: refused.
 */
export function decideSignUp(event: SignUpEvent, rules: SignUpRules): SignUpDecision {
  const attributes = isRecord(event?.request?.userAttributes) ? event.request.userAttributes : {};
  const email = attributes.email;
  switch (event?.triggerSource) {
    case 'PreSignUp_SignUp':
    case 'PreSignUp_AdminCreateUser':
      return !rules.allowedDomains || isAllowedEmail(email, rules.allowedDomains) ? ALLOWED : refused('domain');
    case 'PreSignUp_ExternalProvider': {
      const provider = providerOf(event.userName);
      const policy = provider === undefined ? undefined : rules.providers.get(provider.toLowerCase());
      if (!policy) return refused('unknownProvider', provider);
      if (policy.kind === 'existingUsers') return refused('existingUsersOnly', provider);
      const lists = [...(policy.kind === 'allowList' ? [policy.domains] : []), ...(rules.allowedDomains ? [rules.allowedDomains] : [])];
      if (lists.length === 0) return ALLOWED;
      // Cognito passes attributes as strings; a provider that sends no email_verified is not trusted.
      if (attributes.email_verified !== 'true') return refused('unverifiedEmail', provider);
      return lists.every((domains) => isAllowedEmail(email, domains)) ? ALLOWED : refused('domain', provider);
    }
    default:
      return refused('unknownSource');
  }
}

/**
 * The provider of a federated user name, `<ProviderName>_<id>` (Cognito's
 * provider names cannot contain "_", the id can). Cognito may lowercase the
 * prefix, so callers compare case-insensitively.
 */
export function providerOf(userName: unknown): string | undefined {
  if (typeof userName !== 'string') return undefined;
  const at = userName.indexOf('_');
  return at > 0 && at < userName.length - 1 ? userName.slice(0, at) : undefined;
}

const ALLOWED: SignUpDecision = { allowed: true };

function refused(reason: RefusalReason, provider?: string): SignUpDecision {
  return { allowed: false, reason, ...(provider === undefined ? {} : { provider }) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
