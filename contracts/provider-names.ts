/**
 * The social providers Cognito has built in, in one table: the stage file's
 * key, Cognito's provider name (the prefix of its users' names, and what
 * `custom.auth.identity_providers` lists), the Amplify outputs schema's enum
 * value, the name Amplify's `signInWithRedirect({ provider })` takes, a label
 * for messages, and whether the provider sends `email_verified`. The stack,
 * the client config and the web app all read their names from here.
 */
export const SOCIAL_PROVIDER = {
  google: { key: 'google', cognitoName: 'Google', amplifyName: 'GOOGLE', redirectName: 'Google', label: 'Google', sendsEmailVerified: true },
  facebook: { key: 'facebook', cognitoName: 'Facebook', amplifyName: 'FACEBOOK', redirectName: 'Facebook', label: 'Facebook', sendsEmailVerified: false },
  amazon: {
    key: 'amazon',
    cognitoName: 'LoginWithAmazon',
    amplifyName: 'LOGIN_WITH_AMAZON',
    redirectName: 'Amazon',
    label: 'Login with Amazon',
    sendsEmailVerified: false,
  },
  apple: {
    key: 'apple',
    cognitoName: 'SignInWithApple',
    amplifyName: 'SIGN_IN_WITH_APPLE',
    redirectName: 'Apple',
    label: 'Sign in with Apple',
    sendsEmailVerified: true,
  },
} as const;

export type SocialProviderKey = keyof typeof SOCIAL_PROVIDER;
export type SocialProvider = (typeof SOCIAL_PROVIDER)[SocialProviderKey];

/** Every social provider, in the order the client config lists them. */
export const SOCIAL_PROVIDERS: readonly SocialProvider[] = Object.values(SOCIAL_PROVIDER);

/** Social providers as the Amplify outputs schema names them; OIDC and SAML have no value there. */
export type AmplifySocialProvider = SocialProvider['amplifyName'];

/** What Amplify's `signInWithRedirect({ provider })` takes for a social provider. */
export type AmplifyRedirectProvider = SocialProvider['redirectName'];

/** Provider names Cognito keeps for itself, so an OIDC or SAML provider cannot take them. */
export const RESERVED_PROVIDER_NAMES: readonly string[] = ['Cognito', ...SOCIAL_PROVIDERS.map((provider) => provider.cognitoName)];
