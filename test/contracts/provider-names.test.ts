/**
 * The one table of social provider names (contracts/provider-names.ts) must
 * agree with the names Cognito, the Amplify outputs schema and Amplify's
 * `signInWithRedirect` use; everything else in the project reads them from it.
 */
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { SignInWithRedirectInput } from 'aws-amplify/auth';
import { RESERVED_PROVIDER_NAMES, SOCIAL_PROVIDER, SOCIAL_PROVIDERS } from '../../contracts/provider-names';

/** `LoginWithAmazon` → `LOGIN_WITH_AMAZON`, as the Amplify outputs schema spells Cognito's names. */
const screamingSnake = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

describe('contracts/provider-names', () => {
  test('GIVEN each social provider THEN its Cognito name is the one CDK gives the app client', () => {
    expect({
      google: SOCIAL_PROVIDER.google.cognitoName,
      facebook: SOCIAL_PROVIDER.facebook.cognitoName,
      amazon: SOCIAL_PROVIDER.amazon.cognitoName,
      apple: SOCIAL_PROVIDER.apple.cognitoName,
    }).toEqual({
      google: cognito.UserPoolClientIdentityProvider.GOOGLE.name,
      facebook: cognito.UserPoolClientIdentityProvider.FACEBOOK.name,
      amazon: cognito.UserPoolClientIdentityProvider.AMAZON.name,
      apple: cognito.UserPoolClientIdentityProvider.APPLE.name,
    });
  });

  test('GIVEN each social provider THEN its key names its row and its Amplify schema name is its Cognito name in SCREAMING_SNAKE_CASE', () => {
    for (const [key, row] of Object.entries(SOCIAL_PROVIDER)) {
      expect(row.key).toBe(key);
      expect(row.amplifyName).toBe(screamingSnake(row.cognitoName));
    }
  });

  test("GIVEN the redirect names THEN Amplify's signInWithRedirect accepts each (checked by tsc) and they are distinct", () => {
    const redirect: ReadonlyArray<NonNullable<SignInWithRedirectInput['provider']>> = SOCIAL_PROVIDERS.map((row) => row.redirectName);
    expect(new Set(redirect).size).toBe(SOCIAL_PROVIDERS.length);
  });

  test("GIVEN the reserved names THEN they are Cognito's own name and every social provider's", () => {
    expect(RESERVED_PROVIDER_NAMES).toEqual(['Cognito', 'Google', 'Facebook', 'LoginWithAmazon', 'SignInWithApple']);
  });
});
