/**
 * The stage rule on who can sign up through federated providers
 * (docs/design.md, "Who can sign up"), kept apart from the schema's shape.
 * Structural types, so this file does not depend on the schema it refines.
 *
 * Whether a provider may use an email-domain allow-list (it must send
 * email_verified) is the provider's own rule, in
 * lib/user-directory/federated-providers.ts and UserDirectory.
 */

type SignUpPolicyConfig = 'open' | 'existingUsers' | { readonly allowedEmailDomains: readonly string[] };
type ProviderBlock = { readonly signUp?: SignUpPolicyConfig } | undefined;

interface SignUpConfig {
  readonly userPool: { readonly selfSignUp: boolean };
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
 * Without self sign-up each provider states its policy: Cognito creates a user
 * on any first federated sign-in, whatever selfSignUp says. The construct would
 * default to "existingUsers"; a stage file must say so, so nobody is surprised.
 */
export function signUpIssues(config: SignUpConfig): SignUpIssue[] {
  if (config.userPool.selfSignUp) return [];
  const idps = config.identityProviders;
  const providers: Array<[PropertyKey[], ProviderBlock]> = [
    [['google'], idps.google],
    [['facebook'], idps.facebook],
    [['amazon'], idps.amazon],
    [['apple'], idps.apple],
    ...idps.oidc.map((block, i): [PropertyKey[], ProviderBlock] => [['oidc', i], block]),
    ...idps.saml.map((block, i): [PropertyKey[], ProviderBlock] => [['saml', i], block]),
  ];
  return providers
    .filter(([, block]) => block && block.signUp === undefined)
    .map(([at]) => ({
      path: ['identityProviders', ...at, 'signUp'],
      message: `a sign-up policy while userPool.selfSignUp is false (a first sign-in through any provider creates a user): ${POLICY_CHOICES}`,
    }));
}
