import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { AuthorizedApiProps } from '../api/authorized-api';
import type { StageConfig } from '../config/stage-config';
import type { LogFileNames, UploadChecksProps } from '../upload-checks/upload-checks';
import type { FederatedIdentitiesProps } from '../federated-identities/federated-identities';
import type { IdentityScopedStorageProps } from '../identity-storage/identity-scoped-storage';
import type { FederatedProvidersProps } from '../user-directory/federated-providers';
import type { RegionalWebAclProps } from '../protection/web-acl';
import type { UserDirectoryProps } from '../user-directory/user-directory';
import { secretFromReference } from '../util/secret-reference';
import type { HostedWebAppProps } from '../web-app/hosted-web-app';
import { webAppCallbackUrl, webAppLogoutUrl } from '../web-app/web-app-urls';
import type { ApiScopeName } from '../../lambda/shared/api-scopes';

/**
 * A validated stage config as construct props: units become Durations, names
 * become CDK enums, secret references become dynamic references. Only the
 * stack calls these; the constructs never see a config file.
 */

export function removalPolicyOf(config: StageConfig): RemovalPolicy {
  return config.removal === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
}

/** Logs outlive a retained stage's files, so they name files by hash there; a throwaway stage logs names as they are. */
export function logFileNamesOf(config: StageConfig): LogFileNames {
  return config.removal === 'retain' ? 'hash' : 'plain';
}

/*
 * `siteUrl` below is the hosted web app's URL (`https://<distribution domain>`,
 * a token) when the stage hosts it. It joins the stage's own callback/logout
 * URLs and web origins, so the hosted site can sign in and call the bucket and API.
 */

/** The stage's `webOrigins`, plus the hosted web app's origin (its URL has no path). */
export function webOriginsOf(config: StageConfig, siteUrl: string | undefined): string[] {
  return siteUrl ? [...config.webOrigins, siteUrl] : [...config.webOrigins];
}

/** The hosted web app; the stack adds the origins its page calls once they exist. */
export function webAppProps(config: StageConfig): HostedWebAppProps {
  return {
    removalPolicy: removalPolicyOf(config),
    // Handler logs of the stage, the site's deployment handler included, share one retention.
    deploymentLogRetention: config.api.handlerLogRetentionDays as logs.RetentionDays,
  };
}

export function userDirectoryProps(config: StageConfig, siteUrl?: string): UserDirectoryProps {
  const pool = config.userPool;
  const client = config.webClient;
  const removalPolicy = removalPolicyOf(config);
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
    refreshTokenRotationGracePeriod: client.refreshTokenRotation.enabled ? Duration.seconds(client.refreshTokenRotation.retryGraceSeconds) : 'off',
    machineClients: config.machineClients.map((machine) => ({
      name: machine.name,
      // The schema admits only scopes of the resource server.
      scopes: machine.scopes as ApiScopeName[],
      accessTokenValidity: Duration.minutes(machine.accessTokenMinutes),
    })),
    allowedEmailDomains: pool.triggers.allowedEmailDomains,
    defaultGroup: pool.triggers.defaultGroup,
    callbackUrls: siteUrl ? [...client.callbackUrls, webAppCallbackUrl(siteUrl)] : client.callbackUrls,
    logoutUrls: siteUrl ? [...client.logoutUrls, webAppLogoutUrl(siteUrl)] : client.logoutUrls,
    oAuthScopes: client.scopes.map(toOAuthScope),
    accessTokenValidity: Duration.minutes(client.accessTokenMinutes),
    idTokenValidity: Duration.minutes(client.idTokenMinutes),
    refreshTokenValidity: Duration.days(client.refreshTokenDays),
    authSessionValidity: Duration.minutes(client.authSessionMinutes),
    domain: config.domain && {
      cognitoPrefix: 'prefix' in config.domain ? config.domain.prefix : undefined,
      customDomainName: 'customDomain' in config.domain ? config.domain.customDomain.name : undefined,
      certificateArn: 'customDomain' in config.domain ? config.domain.customDomain.certificateArn : undefined,
      managedLoginVersion:
        config.domain.managedLoginVersion === 'classic' ? cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI : cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    },
    identityProviders: toProviderProps(config.identityProviders),
    // The pool's logs are kept as long as the API's access logs.
    logRetention: config.api.accessLogRetentionDays as logs.RetentionDays,
    removalPolicy,
  };
}

/** The identity pool; the stack adds the user pool and client. */
export function federatedIdentitiesProps(config: StageConfig): Omit<FederatedIdentitiesProps, 'userPool' | 'userPoolClient'> {
  return {
    allowGuests: config.identityPool.allowGuests,
    // Only groups that reach more than their own data need a role of their own.
    groupNames: config.userPool.groups.filter((group) => group.fileAccess === 'read-all').map((group) => group.name),
    removalPolicy: removalPolicyOf(config),
  };
}

/** The stage's storage; the hosted web app's origin is added by the stack once the site exists. */
export function storageProps(config: StageConfig): IdentityScopedStorageProps {
  return {
    corsOrigins: [...config.webOrigins],
    kmsEncryption: config.storage.kmsEncryption,
    noncurrentVersionExpiration: Duration.days(config.storage.noncurrentVersionDays),
    abortIncompleteUploadAfter: Duration.days(config.storage.abortIncompleteUploadDays),
    accessLogs: config.storage.accessLogs,
    accessLogRetention: Duration.days(config.storage.accessLogRetentionDays),
    removalPolicy: removalPolicyOf(config),
  };
}

/** Upload checks; the stack adds the bucket. */
export function uploadChecksProps(config: StageConfig): Omit<UploadChecksProps, 'bucket'> {
  return {
    maxUploadBytes: config.storage.maxUploadBytes,
    allowedContentTypes: config.storage.allowedContentTypes,
    quotaBytesPerUser: config.storage.quotaBytesPerUser,
    csvMaxColumns: config.storage.csv.maxColumns,
    csvMaxFieldBytes: config.storage.csv.maxFieldBytes,
    maxConcurrency: config.storage.checker.reservedConcurrency,
    logFileNames: logFileNamesOf(config),
    tracing: config.api.tracing,
    logRetention: config.api.handlerLogRetentionDays as logs.RetentionDays,
    removalPolicy: removalPolicyOf(config),
  };
}

/** API settings; the stack adds the user pool, identity pool, bucket and routes. */
export function apiSettings(config: StageConfig, siteUrl?: string): Omit<AuthorizedApiProps, 'userPool' | 'identityPoolId' | 'bucket' | 'routes'> {
  return {
    allowedOrigins: webOriginsOf(config, siteUrl),
    allowedContentTypes: config.storage.allowedContentTypes,
    maxUploadBytes: config.storage.maxUploadBytes,
    logFileNames: logFileNamesOf(config),
    uploadUrlTtl: Duration.seconds(config.api.uploadUrlTtlSeconds),
    downloadUrlTtl: Duration.seconds(config.api.downloadUrlTtlSeconds),
    throttlingRateLimit: config.api.throttling.rateLimit,
    throttlingBurstLimit: config.api.throttling.burstLimit,
    authorizerCacheTtl: Duration.seconds(config.api.authorizerCacheSeconds),
    // The schema admits only the retention values CloudWatch Logs accepts.
    accessLogRetention: config.api.accessLogRetentionDays as logs.RetentionDays,
    executionLogLevel: EXECUTION_LOG_LEVEL[config.api.executionLogLevel],
    tracing: config.api.tracing,
    handlerMemorySize: config.api.handlerMemoryMb,
    handlerTimeout: Duration.seconds(config.api.handlerTimeoutSeconds),
    handlerLogRetention: config.api.handlerLogRetentionDays as logs.RetentionDays,
    webAclArn: config.api.webAclArn,
    logRemovalPolicy: removalPolicyOf(config),
    identityMapRemovalPolicy: removalPolicyOf(config),
  };
}

/** The stack's web ACL; the stack adds the log encryption key. */
export function webAclProps(config: StageConfig): RegionalWebAclProps {
  return {
    rateLimitPer5Minutes: config.protection.waf.rateLimitPer5Minutes,
    managedRuleGroups: config.protection.waf.managedRuleGroups,
    logRemovalPolicy: removalPolicyOf(config),
  };
}

const EXECUTION_LOG_LEVEL: Record<StageConfig['api']['executionLogLevel'], apigw.MethodLoggingLevel> = {
  off: apigw.MethodLoggingLevel.OFF,
  error: apigw.MethodLoggingLevel.ERROR,
  info: apigw.MethodLoggingLevel.INFO,
};

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

function toOAuthScope(scope: StageConfig['webClient']['scopes'][number]): cognito.OAuthScope {
  switch (scope) {
    case 'openid':
      return cognito.OAuthScope.OPENID;
    case 'email':
      return cognito.OAuthScope.EMAIL;
    case 'profile':
      return cognito.OAuthScope.PROFILE;
    case 'phone':
      return cognito.OAuthScope.PHONE;
    case 'aws.cognito.signin.user.admin':
      return cognito.OAuthScope.COGNITO_ADMIN;
  }
}

function toProviderProps(idps: StageConfig['identityProviders']): FederatedProvidersProps {
  // signUp passes through unchanged: unset means the construct's default, which follows selfSignUp.
  return {
    google: idps.google && { clientId: idps.google.clientId, clientSecret: secretFromReference(idps.google.clientSecret), signUp: idps.google.signUp },
    facebook: idps.facebook && { clientId: idps.facebook.clientId, clientSecret: secretFromReference(idps.facebook.clientSecret), signUp: idps.facebook.signUp },
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
