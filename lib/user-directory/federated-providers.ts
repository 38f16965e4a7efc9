import type { SecretValue } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { USER_DIRECTORY_DEFAULTS } from './user-directory-defaults';
import { constructIdPart } from '../util/construct-id';

/** Google sign-in. */
export interface GoogleProviderProps {
  readonly clientId: string;
  /** Client secret, as a Secrets Manager reference. */
  readonly clientSecret: SecretValue;
}

/** Facebook Login. */
export interface FacebookProviderProps {
  /** The Facebook app ID. */
  readonly clientId: string;
  /** The app secret, as a Secrets Manager reference. */
  readonly clientSecret: SecretValue;
}

/** Login with Amazon. */
export interface AmazonProviderProps {
  readonly clientId: string;
  /** Client secret, as a Secrets Manager reference. */
  readonly clientSecret: SecretValue;
}

/** Sign in with Apple. */
export interface AppleProviderProps {
  /** The Services ID registered with Apple. */
  readonly servicesId: string;
  readonly teamId: string;
  readonly keyId: string;
  /** The .p8 private key, as a Secrets Manager reference. */
  readonly privateKey: SecretValue;
}

/** An OpenID Connect provider. */
export interface OidcProviderProps {
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
export interface SamlProviderProps {
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
}

// Standard SAML claim URIs (Microsoft Entra ID, AD FS, Okta and most IdPs send these).
const SAML_EMAIL_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
const SAML_NAME_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';

/**
 * Creates each enabled provider under `scope`. Every one maps the provider's
 * email (and name where it has one), because the user pool requires email.
 *
 * Facebook, Amazon and OIDC L2s take the secret as a plain string, so the
 * SecretValue is unwrapped to its token: it still renders as a
 * `{{resolve:secretsmanager:…}}` dynamic reference, never the value.
 */
export function createFederatedProviders(scope: Construct, userPool: cognito.IUserPool, props: FederatedProvidersProps): FederatedProvider[] {
  const created: FederatedProvider[] = [];

  if (props.google) {
    created.push({
      clientProvider: cognito.UserPoolClientIdentityProvider.GOOGLE,
      provider: new cognito.UserPoolIdentityProviderGoogle(scope, 'Google', {
        userPool,
        clientId: props.google.clientId,
        clientSecretValue: props.google.clientSecret,
        scopes: ['openid', 'email', 'profile'],
        attributeMapping: { email: cognito.ProviderAttribute.GOOGLE_EMAIL, fullname: cognito.ProviderAttribute.GOOGLE_NAME },
      }),
    });
  }

  if (props.facebook) {
    created.push({
      clientProvider: cognito.UserPoolClientIdentityProvider.FACEBOOK,
      provider: new cognito.UserPoolIdentityProviderFacebook(scope, 'Facebook', {
        userPool,
        clientId: props.facebook.clientId,
        clientSecret: props.facebook.clientSecret.unsafeUnwrap(),
        scopes: ['public_profile', 'email'],
        attributeMapping: { email: cognito.ProviderAttribute.FACEBOOK_EMAIL, fullname: cognito.ProviderAttribute.FACEBOOK_NAME },
      }),
    });
  }

  if (props.amazon) {
    created.push({
      clientProvider: cognito.UserPoolClientIdentityProvider.AMAZON,
      provider: new cognito.UserPoolIdentityProviderAmazon(scope, 'Amazon', {
        userPool,
        clientId: props.amazon.clientId,
        clientSecret: props.amazon.clientSecret.unsafeUnwrap(),
        scopes: ['profile'],
        attributeMapping: { email: cognito.ProviderAttribute.AMAZON_EMAIL, fullname: cognito.ProviderAttribute.AMAZON_NAME },
      }),
    });
  }

  if (props.apple) {
    created.push({
      clientProvider: cognito.UserPoolClientIdentityProvider.APPLE,
      provider: new cognito.UserPoolIdentityProviderApple(scope, 'Apple', {
        userPool,
        clientId: props.apple.servicesId,
        teamId: props.apple.teamId,
        keyId: props.apple.keyId,
        privateKeyValue: props.apple.privateKey,
        scopes: ['name', 'email'],
        attributeMapping: { email: cognito.ProviderAttribute.APPLE_EMAIL, fullname: cognito.ProviderAttribute.APPLE_NAME },
      }),
    });
  }

  for (const oidc of props.oidc ?? []) {
    const provider = new cognito.UserPoolIdentityProviderOidc(scope, `Oidc${constructIdPart(oidc.name)}`, {
      userPool,
      name: oidc.name,
      issuerUrl: oidc.issuerUrl,
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret.unsafeUnwrap(),
      scopes: oidc.scopes ?? [...USER_DIRECTORY_DEFAULTS.oidcScopes],
      attributeRequestMethod: cognito.OidcAttributeRequestMethod.GET,
      attributeMapping: { email: cognito.ProviderAttribute.other('email'), fullname: cognito.ProviderAttribute.other('name') },
    });
    created.push({ provider, clientProvider: cognito.UserPoolClientIdentityProvider.custom(oidc.name) });
  }

  for (const saml of props.saml ?? []) {
    const provider = new cognito.UserPoolIdentityProviderSaml(scope, `Saml${constructIdPart(saml.name)}`, {
      userPool,
      name: saml.name,
      metadata: cognito.UserPoolIdentityProviderSamlMetadata.url(saml.metadataUrl),
      requestSigningAlgorithm: cognito.SigningAlgorithm.RSA_SHA256,
      attributeMapping: { email: cognito.ProviderAttribute.other(SAML_EMAIL_CLAIM), fullname: cognito.ProviderAttribute.other(SAML_NAME_CLAIM) },
    });
    created.push({ provider, clientProvider: cognito.UserPoolClientIdentityProvider.custom(saml.name) });
  }

  return created;
}
