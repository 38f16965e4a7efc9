/**
 * The stage rules on who can sign up through federated providers
 * (docs/design.md, "Who can sign up"), kept apart from the schema's shape.
 * Structural types, so this file does not depend on the schema it refines.
 */

type SignUpPolicyConfig = 'open' | 'existingUsers' | { readonly allowedEmailDomains: readonly string[] };
type ProviderBlock = { readonly signUp?: SignUpPolicyConfig } | undefined;

interface SignUpConfig {
  readonly userPool: { readonly selfSignUp: boolean; readonly triggers: { readonly allowedEmailDomains?: readonly string[] } };
  readonly identityProviders: {
    readonly google?: ProviderBlock;
    readonly facebook?: ProviderBlock;
    readonly amazon?: ProviderBlock;
    readonly apple?: ProviderBlock;
    readonly oidc: readonly ProviderBlock[];
    readonly saml: readonly ProviderBlock[];
  };
}

export interface SignUpIssue {
  readonly path: PropertyKey[];
  readonly message: string;
}

const POLICY_CHOICES = '"existingUsers" (only users an administrator created and linked), {"allowedEmailDomains": ["example.org"]} or "open"';

/**
 * - Without self sign-up each provider states its policy: Cognito creates a
 *   user on any first federated sign-in, whatever selfSignUp says.
 * - An email-domain check trusts only addresses the provider marks verified;
 *   Facebook, Login with Amazon and SAML send no email_verified, so there a
 *   check would refuse everyone, and the stage must say "existingUsers".
 */
export function signUpIssues(config: SignUpConfig): SignUpIssue[] {
  const idps = config.identityProviders;
  const providers: Array<[PropertyKey[], string, ProviderBlock, boolean]> = [
    [['google'], 'Google', idps.google, true],
    [['facebook'], 'Facebook', idps.facebook, false],
    [['amazon'], 'Login with Amazon', idps.amazon, false],
    [['apple'], 'Sign in with Apple', idps.apple, true],
    ...idps.oidc.map((block, i): [PropertyKey[], string, ProviderBlock, boolean] => [['oidc', i], 'an OIDC provider', block, true]),
    ...idps.saml.map((block, i): [PropertyKey[], string, ProviderBlock, boolean] => [['saml', i], 'SAML', block, false]),
  ];
  const poolAllowList = config.userPool.triggers.allowedEmailDomains !== undefined;
  const issues: SignUpIssue[] = [];
  for (const [at, label, block, sendsEmailVerified] of providers) {
    if (!block) continue;
    const path = ['identityProviders', ...at, 'signUp'];
    const policy = block.signUp ?? (config.userPool.selfSignUp ? 'open' : undefined);
    if (policy === undefined) {
      issues.push({ path, message: `a sign-up policy while userPool.selfSignUp is false (a first sign-in through any provider creates a user): ${POLICY_CHOICES}` });
    } else if (!sendsEmailVerified && typeof policy === 'object') {
      issues.push({ path, message: `"existingUsers" or "open" (${label} sends no email_verified, so an email-domain allow-list would refuse everyone)` });
    } else if (!sendsEmailVerified && poolAllowList && policy === 'open') {
      issues.push({
        path,
        message: `"existingUsers" while userPool.triggers.allowedEmailDomains is set (${label} sends no email_verified, so the allow-list would refuse every sign-up through it)`,
      });
    }
  }
  return issues;
}
