import { Duration, RemovalPolicy, Stack, Tags, Validations, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { AuthorizedApi } from './api/authorized-api';
import { HANDLER_ROUTES } from './api/handler-bundling';
import type { StageConfig } from './config/stage-config';
import { IdentityScopedStorage } from './identity-storage/identity-scoped-storage';
import { AccessOutputs } from './outputs/access-outputs';
import { UserDirectory } from './user-directory/user-directory';
import type { FederatedProvidersProps } from './user-directory/federated-providers';
import { secretFromReference } from './util/secret-reference';

export interface CognitoAccessStackProps extends StackProps {
  /** The stage name, e.g. `dev`; used for tags and names. */
  readonly stage: string;
  /** The validated `config/<stage>.json`. */
  readonly config: StageConfig;
}

/**
 * One stage of cognito-access. The only place that reads a stage config: it
 * turns config values into construct props, so the constructs stay reusable.
 *
 * Construct IDs below are a public contract: renaming one replaces the
 * resource, and for the user pool that means every user is lost.
 */
export class CognitoAccessStack extends Stack {
  public readonly userDirectory: UserDirectory;
  public readonly storage: IdentityScopedStorage;
  public readonly api: AuthorizedApi;
  public readonly outputs: AccessOutputs;

  constructor(scope: Construct, id: string, props: CognitoAccessStackProps) {
    super(scope, id, props);
    const { config, stage } = props;
    Tags.of(this).add('app', 'cognito-access');
    Tags.of(this).add('stage', stage);
    for (const [key, value] of Object.entries(config.tags)) Tags.of(this).add(key, value);

    const removalPolicy = config.removal === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const pool = config.userPool;
    const client = config.webClient;

    this.userDirectory = new UserDirectory(this, 'UserDirectory', {
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
      callbackUrls: client.callbackUrls,
      logoutUrls: client.logoutUrls,
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
      removalPolicy,
    });

    this.storage = new IdentityScopedStorage(this, 'IdentityStorage', {
      userPool: this.userDirectory.userPool,
      userPoolClient: this.userDirectory.webClient,
      allowGuests: config.identityPool.allowGuests,
      groupAccess: config.userPool.groups
        .filter((group) => group.fileAccess === 'read-all')
        .map((group) => ({ groupName: group.name, group: this.userDirectory.groupsByName[group.name], readAllFiles: true })),
      corsOrigins: config.webOrigins,
      kmsEncryption: config.storage.kmsEncryption,
      noncurrentVersionExpiration: Duration.days(config.storage.noncurrentVersionDays),
      abortIncompleteUploadAfter: Duration.days(config.storage.abortIncompleteUploadDays),
      accessLogs: config.storage.accessLogs,
      accessLogRetention: Duration.days(config.storage.accessLogRetentionDays),
      removalPolicy,
    });

    this.api = new AuthorizedApi(this, 'AuthorizedApi', {
      userPool: this.userDirectory.userPool,
      identityPoolId: this.storage.identityPool.identityPoolId,
      bucket: this.storage.bucket,
      routes: [...HANDLER_ROUTES],
      allowedOrigins: config.webOrigins,
      allowedContentTypes: config.storage.allowedContentTypes,
      maxUploadBytes: config.storage.maxUploadBytes,
      uploadUrlTtl: Duration.seconds(config.api.uploadUrlTtlSeconds),
      downloadUrlTtl: Duration.seconds(config.api.downloadUrlTtlSeconds),
      throttlingRateLimit: config.api.throttling.rateLimit,
      throttlingBurstLimit: config.api.throttling.burstLimit,
      authorizerCacheTtl: Duration.seconds(config.api.authorizerCacheSeconds),
      accessLogRetention: config.api.accessLogRetentionDays as logs.RetentionDays,
      executionLogLevel: EXECUTION_LOG_LEVEL[config.api.executionLogLevel],
      tracing: config.api.tracing,
      handlerMemorySize: config.api.handlerMemoryMb,
      handlerTimeout: Duration.seconds(config.api.handlerTimeoutSeconds),
      handlerLogRetention: config.api.handlerLogRetentionDays as logs.RetentionDays,
      webAclArn: config.api.webAclArn,
    });

    this.outputs = new AccessOutputs(this, 'Outputs', {
      exportPrefix: this.stackName,
      parameterPrefix: config.ssmPrefix ?? `/cognito-access/${stage}`,
      values: {
        userPoolId: this.userDirectory.userPool.userPoolId,
        userPoolClientId: this.userDirectory.webClient.userPoolClientId,
        identityPoolId: this.storage.identityPool.identityPoolId,
        region: this.region,
        bucketName: this.storage.bucket.bucketName,
        tableName: this.storage.table.tableName,
        apiUrl: this.api.api.url,
        signInDomain: this.userDirectory.signInDomainName,
      },
    });

    this.acknowledgeStageChoices(stage, config);
  }

  /** Findings that follow from a stage's own config choices, with that choice as the reason. */
  private acknowledgeStageChoices(stage: string, config: StageConfig): void {
    const userPool = this.userDirectory.userPool;
    if (config.userPool.featurePlan !== 'plus') {
      Validations.of(userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason: `Stage "${stage}" sets userPool.featurePlan "essentials" on purpose: it is a non-production stage without real users, and the Plus plan (threat protection) is billed per active user. Production stages set "plus".`,
      });
    }
    if (config.userPool.mfa.mode !== 'required') {
      Validations.of(userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason: `Stage "${stage}" sets userPool.mfa.mode "${config.userPool.mfa.mode}" on purpose so test users can sign in with a password alone; TOTP stays available to every user. Production stages set "required".`,
      });
    }
  }
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
  return {
    google: idps.google && { clientId: idps.google.clientId, clientSecret: secretFromReference(idps.google.clientSecret) },
    facebook: idps.facebook && { clientId: idps.facebook.clientId, clientSecret: secretFromReference(idps.facebook.clientSecret) },
    amazon: idps.amazon && { clientId: idps.amazon.clientId, clientSecret: secretFromReference(idps.amazon.clientSecret) },
    apple: idps.apple && {
      servicesId: idps.apple.servicesId,
      teamId: idps.apple.teamId,
      keyId: idps.apple.keyId,
      privateKey: secretFromReference(idps.apple.privateKey),
    },
    oidc: idps.oidc.map((p) => ({ name: p.name, issuerUrl: p.issuerUrl, clientId: p.clientId, clientSecret: secretFromReference(p.clientSecret), scopes: p.scopes })),
    saml: idps.saml.map((p) => ({ name: p.name, metadataUrl: p.metadataUrl })),
  };
}
