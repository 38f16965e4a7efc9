/**
 * `identityProviders` and `domain`: federated sign-in and the sign-in domain it
 * redirects through, with each provider's sign-up policy, and the UserDirectory
 * props they become. That providers need a domain is UserDirectory's rule;
 * whether a provider may use an email-domain allow-list is the provider's
 * (lib/user-directory/federated-providers.ts).
 */
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { z } from 'zod';
import { RESERVED_PROVIDER_NAMES } from '../../../contracts/provider-names';
import { USER_DIRECTORY_DEFAULTS } from '../../user-directory/user-directory-defaults';
import type { FederatedProvidersProps } from '../../user-directory/federated-providers';
import type { UserDirectoryProps } from '../../user-directory/user-directory';
import { constructIdPart } from '../../util/construct-id';
import { secretFromReference } from '../../util/secret-reference';
import { emailDomain, httpsUrl, secretReference } from '../fields';
import type { StageConfig } from '../stage-config';

/** Cognito reserves these words inside a domain prefix. */
const RESERVED_DOMAIN_WORDS = ['aws', 'amazon', 'cognito'] as const;

/** Compared case-insensitively: Cognito keeps these names for itself in any case. */
const RESERVED_NAMES_LOWERCASE = RESERVED_PROVIDER_NAMES.map((name) => name.toLowerCase());

/**
 * Who may join the pool on a first sign-in through one provider. Cognito creates
 * a user for any first federated sign-in, even with selfSignUp false, so a stage
 * without self sign-up must say this for every provider.
 */
const signUpPolicy = z
  .union([
    z.enum(['open', 'existingUsers']),
    z.strictObject({
      allowedEmailDomains: z
        .array(emailDomain)
        .min(1)
        .describe('Only addresses at these exact domains that the provider marks verified (email_verified); Google, Apple and OIDC providers send it.'),
    }),
  ])
  .optional()
  .describe(
    'Who may join the pool on a first sign-in through this provider (a pre sign-up trigger): "open"; "existingUsers" (only users an administrator created and linked with AdminLinkProviderForUser); or {"allowedEmailDomains": [...]}. Required when userPool.selfSignUp is false. See docs/sign-in.md, "Who can sign up". @default "open" with self sign-up; required without',
  );

const providerName = z
  .string()
  // No "_": Cognito's ProviderName pattern ([^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+) refuses it.
  .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{1,30}[A-Za-z0-9]$/, '3 to 32 letters, digits, "." or "-", starting and ending with a letter or digit')
  .refine((name) => !RESERVED_NAMES_LOWERCASE.includes(name.toLowerCase()), "a name other than Cognito's built-in provider names");

/** A social provider's block (Google, Facebook, Amazon); only the descriptions differ. */
function socialProvider(what: string, clientId: string, clientSecret: string) {
  return z
    .strictObject({
      clientId: z.string().min(1).describe(clientId),
      clientSecret: secretReference.describe(clientSecret),
      signUp: signUpPolicy,
    })
    .optional()
    .describe(what);
}

const providerNameText = `The provider's name: 3-32 letters, digits, "." or "-" (Cognito refuses "_"), unique among the OIDC and SAML providers, and not one of Cognito's own provider names.`;

export const identityProviders = z
  .strictObject({
    google: socialProvider('Sign in with Google.', 'The OAuth client ID from Google.', 'The OAuth client secret from Google.'),
    facebook: socialProvider('Sign in with Facebook.', 'The Facebook app ID.', 'The Facebook app secret.'),
    amazon: socialProvider('Login with Amazon.', 'The client ID of the Login with Amazon security profile.', 'Its client secret.'),
    apple: z
      .strictObject({
        servicesId: z.string().min(1).describe('The Services ID registered with Apple (the OAuth client ID).'),
        teamId: z
          .string()
          .regex(/^[A-Z0-9]{10}$/, 'a 10-character Apple team ID')
          .describe('Your 10-character Apple team ID.'),
        keyId: z
          .string()
          .regex(/^[A-Z0-9]{10}$/, 'a 10-character Apple key ID')
          .describe('The 10-character ID of the Sign in with Apple key.'),
        privateKey: secretReference.describe('The .p8 private key, as a Secrets Manager reference.'),
        signUp: signUpPolicy,
      })
      .optional()
      .describe('Sign in with Apple.'),
    oidc: z
      .array(
        z.strictObject({
          name: providerName.describe(providerNameText),
          issuerUrl: httpsUrl.describe("The provider's issuer URL (https); Cognito reads its discovery document."),
          clientId: z.string().min(1).describe('The client ID registered at the provider (a confidential web client).'),
          clientSecret: secretReference.describe('The client secret registered at the provider.'),
          scopes: z
            .array(z.string().min(1))
            .min(1)
            .default([...USER_DIRECTORY_DEFAULTS.oidcScopes])
            .describe('Scopes Cognito asks the provider for.'),
          signUp: signUpPolicy,
        }),
      )
      .default([])
      .describe('OpenID Connect providers (Okta, Entra ID, Auth0, Keycloak…).'),
    saml: z
      .array(
        z.strictObject({
          name: providerName.describe(providerNameText),
          metadataUrl: httpsUrl.describe("The URL of the IdP's SAML metadata document (https)."),
          signUp: signUpPolicy,
        }),
      )
      .default([])
      .describe('SAML 2.0 providers.'),
  })
  .superRefine((idps, ctx) => {
    const seen = new Set<string>();
    // Names become construct IDs ("corp-sso" and "corp.sso" both give SamlCorpSso); a clash would crash synth.
    const constructIds = new Map<string, string>();
    const named = [...idps.oidc.map((p, i) => ['oidc', i, p.name] as const), ...idps.saml.map((p, i) => ['saml', i, p.name] as const)];
    for (const [kind, index, name] of named) {
      const key = name.toLowerCase();
      const constructId = `${kind}:${constructIdPart(name)}`;
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: [kind, index, 'name'], message: `a provider name used once (found "${name}" twice)` });
      } else if (constructIds.has(constructId)) {
        ctx.addIssue({
          code: 'custom',
          path: [kind, index, 'name'],
          message: `a name that differs from "${constructIds.get(constructId)}" by more than punctuation`,
        });
      }
      seen.add(key);
      if (!constructIds.has(constructId)) constructIds.set(constructId, name);
    }
  })
  .prefault({})
  .describe('Federated sign-in. Each provider is enabled by its block.');

export type IdentityProvidersConfig = z.output<typeof identityProviders>;

/** The hosted sign-in pages' version (the same for both kinds of domain). */
function managedLoginVersion() {
  return z
    .enum(['classic', 'managed'])
    .default('managed')
    .describe(
      '"managed" (managed login, with a default branding style; needed for passwordless and passkey sign-in on hosted pages) or "classic" (the hosted UI).',
    );
}

export const domain = z
  .union([
    z.strictObject({
      prefix: z
        .string()
        .regex(
          /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
          'a Cognito domain prefix: 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen',
        )
        .refine(
          (prefix) => !RESERVED_DOMAIN_WORDS.some((word) => prefix.includes(word)),
          `a prefix without the reserved words ${RESERVED_DOMAIN_WORDS.join(', ')}`,
        )
        .describe(
          `Cognito domain prefix (<prefix>.auth.<region>.amazoncognito.com): 1-63 lowercase letters, digits and hyphens, without ${RESERVED_DOMAIN_WORDS.join(', ')}.`,
        ),
      managedLoginVersion: managedLoginVersion(),
    }),
    z.strictObject({
      customDomain: z
        .strictObject({
          name: z
            .string()
            .regex(/^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a lowercase fully qualified domain name')
            .describe('The sign-in domain name, e.g. auth.example.org. Its parent domain must already resolve (an A record).'),
          certificateArn: z
            .string()
            .regex(
              /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/,
              'an ACM certificate ARN in us-east-1 (Cognito custom domains are served through CloudFront)',
            )
            .describe('ACM certificate for the name, in us-east-1 (Cognito serves custom domains through CloudFront).'),
        })
        .describe('A custom sign-in domain. After the deploy, point an alias (A/AAAA, or CNAME) record for name at the SignInDomainAliasTarget output.'),
      managedLoginVersion: managedLoginVersion(),
    }),
  ])
  .optional()
  .describe('Sign-in domain for managed login and OAuth: a Cognito prefix or a custom domain. Omit for no hosted sign-in.');

/** The sign-in domain and federated providers' part of UserDirectory's props. */
export function federationProps(config: StageConfig): Pick<UserDirectoryProps, 'domain' | 'identityProviders'> {
  return {
    domain: config.domain && {
      cognitoPrefix: 'prefix' in config.domain ? config.domain.prefix : undefined,
      customDomainName: 'customDomain' in config.domain ? config.domain.customDomain.name : undefined,
      certificateArn: 'customDomain' in config.domain ? config.domain.customDomain.certificateArn : undefined,
      managedLoginVersion:
        config.domain.managedLoginVersion === 'classic' ? cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI : cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    },
    identityProviders: toProviderProps(config.identityProviders),
  };
}

function toProviderProps(idps: IdentityProvidersConfig): FederatedProvidersProps {
  // signUp passes through unchanged: unset means the construct's default, which follows selfSignUp.
  return {
    google: idps.google && { clientId: idps.google.clientId, clientSecret: secretFromReference(idps.google.clientSecret), signUp: idps.google.signUp },
    facebook: idps.facebook && {
      clientId: idps.facebook.clientId,
      clientSecret: secretFromReference(idps.facebook.clientSecret),
      signUp: idps.facebook.signUp,
    },
    amazon: idps.amazon && { clientId: idps.amazon.clientId, clientSecret: secretFromReference(idps.amazon.clientSecret), signUp: idps.amazon.signUp },
    apple: idps.apple && {
      servicesId: idps.apple.servicesId,
      teamId: idps.apple.teamId,
      keyId: idps.apple.keyId,
      privateKey: secretFromReference(idps.apple.privateKey),
      signUp: idps.apple.signUp,
    },
    oidc: idps.oidc.map((p) => ({
      name: p.name,
      issuerUrl: p.issuerUrl,
      clientId: p.clientId,
      clientSecret: secretFromReference(p.clientSecret),
      scopes: p.scopes,
      signUp: p.signUp,
    })),
    saml: idps.saml.map((p) => ({ name: p.name, metadataUrl: p.metadataUrl, signUp: p.signUp })),
  };
}
