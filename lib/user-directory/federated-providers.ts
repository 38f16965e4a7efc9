import type { SecretValue } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { USER_DIRECTORY_DEFAULTS } from './user-directory-defaults';
import { SOCIAL_PROVIDER, type SocialProvider } from '../../contracts/provider-names';
import type { ProviderSignUpPolicy } from '../../contracts/trigger-env';
import { constructIdPart } from '../util/construct-id';
import { ValidationError } from '../util/validation-error';

export type { ProviderSignUpPolicy };

/** What every provider block has in common: who may join the pool through it. */
export interface ProviderSignUpProps {
  /**
   * Who may join the pool on a first sign-in through this provider (the pre
   * sign-up trigger enforces it): `'open'`, `'existingUsers'` (only users an
   * administrator created and linked with AdminLinkProviderForUser), or
   * `{ allowedEmailDomains }` (only addresses the provider marks verified at
   * these domains, at least one, lowercase; needs a provider that sends `email_verified`).
   * @default - 'open' when the pool allows self sign-up, 'existingUsers' otherwise
   */
  readonly signUp?: ProviderSignUpPolicy;
}

/** Google sign-in. */
export interface GoogleProviderProps extends ProviderSignUpProps {
  readonly clientId: string;
  /** Client secret, as a Secrets Manager reference. */
  readonly clientSecret: SecretValue;
}

/** Facebook Login. */
export interface FacebookProviderProps extends ProviderSignUpProps {
  /** The Facebook app ID. */
  readonly clientId: string;
  /** The app secret, as a Secrets Manager reference. */
  readonly clientSecret: SecretValue;
}

/** Login with Amazon. */
export interface AmazonProviderProps extends ProviderSignUpProps {
  readonly clientId: string;
  /** Client secret, as a Secrets Manager reference. */
  readonly clientSecret: SecretValue;
}

/** Sign in with Apple. */
export interface AppleProviderProps extends ProviderSignUpProps {
  /** The Services ID registered with Apple. */
  readonly servicesId: string;
  readonly teamId: string;
  readonly keyId: string;
  /** The .p8 private key, as a Secrets Manager reference. */
  readonly privateKey: SecretValue;
}

/** An OpenID Connect provider. */
export interface OidcProviderProps extends ProviderSignUpProps {
  /** Provider name shown on managed login and used as `identity_provider`. */
  readonly name: string;
  readonly issuerUrl: string;
  readonly clientId: string;
  /** Client secret, as a Secrets Manager reference. */
  readonly clientSecret: SecretValue;
  /**
   * @default ['openid', 'email', 'profile']
   */
  readonly scopes?: string[];
}

/** A SAML 2.0 provider, configured from its metadata URL. */
export interface SamlProviderProps extends ProviderSignUpProps {
  /** Provider name shown on managed login and used as `identity_provider`. */
  readonly name: string;
  readonly metadataUrl: string;
}

/** Every federated provider a user directory can enable; each is optional. */
export interface FederatedProvidersProps {
  /** @default - Google sign-in is not enabled */
  readonly google?: GoogleProviderProps;
  /** @default - Facebook Login is not enabled */
  readonly facebook?: FacebookProviderProps;
  /** @default - Login with Amazon is not enabled */
  readonly amazon?: AmazonProviderProps;
  /** @default - Sign in with Apple is not enabled */
  readonly apple?: AppleProviderProps;
  /** @default - no OIDC providers */
  readonly oidc?: OidcProviderProps[];
  /** @default - no SAML providers */
  readonly saml?: SamlProviderProps[];
}

/** A created provider and the name an app client lists it under. */
export interface FederatedProvider {
  readonly provider: cognito.IUserPoolIdentityProvider;
  readonly clientProvider: cognito.UserPoolClientIdentityProvider;
  /** Cognito's provider name (`Google`, `LoginWithAmazon`, an OIDC or SAML name), the prefix of its users' names. */
  readonly providerName: string;
  /** The provider's policy as given; undefined leaves the choice to the pool's default. */
  readonly signUp?: ProviderSignUpPolicy;
  /** Whether the provider's `email_verified` claim is mapped, so an allow-list can trust its addresses. */
  readonly mapsEmailVerified: boolean;
}

// Standard SAML claim URIs (Microsoft Entra ID, AD FS, Okta and most IdPs send these).
const SAML_EMAIL_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
const SAML_NAME_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';

/**
 * Creates each enabled provider under `scope`. Every one maps the provider's
 * email (and name where it has one), because the user pool requires email, and
 * `email_verified` where the provider sends it (Google, Apple, OIDC), so an
 * email-domain allow-list can tell a verified address from a typed one.
 * Facebook, Login with Amazon and SAML send no such claim.
 *
 * Facebook, Amazon and OIDC L2s take the secret as a plain string, so the
 * SecretValue is unwrapped to its token: it still renders as a
 * `{{resolve:secretsmanager:…}}` dynamic reference, never the value.
 */
export function createFederatedProviders(scope: Construct, userPool: cognito.IUserPool, props: FederatedProvidersProps): FederatedProvider[] {
  const created: FederatedProvider[] = [];
  const add = (
    providerName: string,
    block: ProviderSignUpProps,
    mapsEmailVerified: boolean,
    make: () => cognito.IUserPoolIdentityProvider,
    clientProvider: cognito.UserPoolClientIdentityProvider,
  ) => {
    validateSignUpPolicy(scope, providerName, block.signUp, mapsEmailVerified);
    created.push({ provider: make(), clientProvider, providerName, signUp: block.signUp, mapsEmailVerified });
  };
  // A social provider's name and email_verified claim come from its row; its attribute mapping below maps that claim.
  const addSocial = (
    row: SocialProvider,
    block: ProviderSignUpProps,
    make: () => cognito.IUserPoolIdentityProvider,
    clientProvider: cognito.UserPoolClientIdentityProvider,
  ) => add(row.cognitoName, block, row.sendsEmailVerified, make, clientProvider);

  const google = props.google;
  if (google) {
    addSocial(
      SOCIAL_PROVIDER.google,
      google,
      () =>
        new cognito.UserPoolIdentityProviderGoogle(scope, 'Google', {
          userPool,
          clientId: google.clientId,
          clientSecretValue: google.clientSecret,
          scopes: ['openid', 'email', 'profile'],
          attributeMapping: {
            email: cognito.ProviderAttribute.GOOGLE_EMAIL,
            emailVerified: cognito.ProviderAttribute.GOOGLE_EMAIL_VERIFIED,
            fullname: cognito.ProviderAttribute.GOOGLE_NAME,
          },
        }),
      cognito.UserPoolClientIdentityProvider.GOOGLE,
    );
  }

  const facebook = props.facebook;
  if (facebook) {
    addSocial(
      SOCIAL_PROVIDER.facebook,
      facebook,
      () =>
        new cognito.UserPoolIdentityProviderFacebook(scope, 'Facebook', {
          userPool,
          clientId: facebook.clientId,
          clientSecret: facebook.clientSecret.unsafeUnwrap(),
          scopes: ['public_profile', 'email'],
          attributeMapping: { email: cognito.ProviderAttribute.FACEBOOK_EMAIL, fullname: cognito.ProviderAttribute.FACEBOOK_NAME },
        }),
      cognito.UserPoolClientIdentityProvider.FACEBOOK,
    );
  }

  const amazon = props.amazon;
  if (amazon) {
    addSocial(
      SOCIAL_PROVIDER.amazon,
      amazon,
      () =>
        new cognito.UserPoolIdentityProviderAmazon(scope, 'Amazon', {
          userPool,
          clientId: amazon.clientId,
          clientSecret: amazon.clientSecret.unsafeUnwrap(),
          scopes: ['profile'],
          attributeMapping: { email: cognito.ProviderAttribute.AMAZON_EMAIL, fullname: cognito.ProviderAttribute.AMAZON_NAME },
        }),
      cognito.UserPoolClientIdentityProvider.AMAZON,
    );
  }

  const apple = props.apple;
  if (apple) {
    addSocial(
      SOCIAL_PROVIDER.apple,
      apple,
      () =>
        new cognito.UserPoolIdentityProviderApple(scope, 'Apple', {
          userPool,
          clientId: apple.servicesId,
          teamId: apple.teamId,
          keyId: apple.keyId,
          privateKeyValue: apple.privateKey,
          scopes: ['name', 'email'],
          attributeMapping: {
            email: cognito.ProviderAttribute.APPLE_EMAIL,
            emailVerified: cognito.ProviderAttribute.APPLE_EMAIL_VERIFIED,
            fullname: cognito.ProviderAttribute.APPLE_NAME,
          },
        }),
      cognito.UserPoolClientIdentityProvider.APPLE,
    );
  }

  for (const oidc of props.oidc ?? []) {
    add(
      oidc.name,
      oidc,
      true,
      () =>
        new cognito.UserPoolIdentityProviderOidc(scope, `Oidc${constructIdPart(oidc.name)}`, {
          userPool,
          name: oidc.name,
          issuerUrl: oidc.issuerUrl,
          clientId: oidc.clientId,
          clientSecret: oidc.clientSecret.unsafeUnwrap(),
          scopes: oidc.scopes ?? [...USER_DIRECTORY_DEFAULTS.oidcScopes],
          attributeRequestMethod: cognito.OidcAttributeRequestMethod.GET,
          attributeMapping: {
            email: cognito.ProviderAttribute.other('email'),
            emailVerified: cognito.ProviderAttribute.other('email_verified'),
            fullname: cognito.ProviderAttribute.other('name'),
          },
        }),
      cognito.UserPoolClientIdentityProvider.custom(oidc.name),
    );
  }

  for (const saml of props.saml ?? []) {
    add(
      saml.name,
      saml,
      false,
      () =>
        new cognito.UserPoolIdentityProviderSaml(scope, `Saml${constructIdPart(saml.name)}`, {
          userPool,
          name: saml.name,
          metadata: cognito.UserPoolIdentityProviderSamlMetadata.url(saml.metadataUrl),
          requestSigningAlgorithm: cognito.SigningAlgorithm.RSA_SHA256,
          attributeMapping: { email: cognito.ProviderAttribute.other(SAML_EMAIL_CLAIM), fullname: cognito.ProviderAttribute.other(SAML_NAME_CLAIM) },
        }),
      cognito.UserPoolClientIdentityProvider.custom(saml.name),
    );
  }

  return created;
}

/**
 * An allow-list trusts only addresses the provider marks verified, so a provider
 * without email_verified would refuse everyone. The domains' shape (lowercase,
 * at least one) is the stage schema's to check (docs/design.md, "Stage configuration").
 */
function validateSignUpPolicy(scope: Construct, providerName: string, policy: ProviderSignUpPolicy | undefined, mapsEmailVerified: boolean): void {
  if (policy === undefined || typeof policy === 'string') return;
  if (!mapsEmailVerified) {
    throw new ValidationError(
      `${providerName} sends no email_verified, so an email-domain allow-list would refuse every sign-up through it; use 'existingUsers' and link users with AdminLinkProviderForUser.`,
      scope,
    );
  }
}
