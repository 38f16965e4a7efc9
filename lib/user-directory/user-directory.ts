import { ArnFormat, Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { API_RESOURCE_SERVER_ID, API_SCOPE_DESCRIPTIONS, type ApiScopeName } from '../../contracts/api-scopes';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { createFederatedProviders, type FederatedProvider, type FederatedProvidersProps, type ProviderSignUpPolicy } from './federated-providers';
import { SignUpTriggers } from './sign-up-triggers';
import { USER_DIRECTORY_DEFAULTS } from './user-directory-defaults';
import { constructIdPart } from '../util/construct-id';
import { ValidationError } from '../util/validation-error';
import { MissingRelyingPartyError, passkeyRelyingPartyOf } from './passkey-relying-party';

/** A user pool group. */
export interface UserGroupProps {
  readonly name: string;
  /** @default - no description */
  readonly description?: string;
  /**
   * Lower wins when a user is in several groups (it decides `cognito:preferred_role`).
   * @default - no precedence
   */
  readonly precedence?: number;
}

/** Where managed login and the OAuth endpoints are served. */
export interface SignInDomainProps {
  /**
   * `<prefix>.auth.<region>.amazoncognito.com`. Exactly one of `cognitoPrefix` and `customDomainName`.
   * @default - no Cognito prefix domain
   */
  readonly cognitoPrefix?: string;
  /**
   * A domain you own, such as `auth.example.com`; needs `certificateArn`.
   * @default - no custom domain
   */
  readonly customDomainName?: string;
  /**
   * ACM certificate for `customDomainName`, in us-east-1.
   * @default - none; required with `customDomainName`
   */
  readonly certificateArn?: string;
  /** @default cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN */
  readonly managedLoginVersion?: cognito.ManagedLoginVersion;
}

/** A confidential app client that gets access tokens with client credentials only. */
export interface MachineClientProps {
  /** Names the app client; also its construct ID (`Machine<Name>`). */
  readonly name: string;
  /** Scopes of the `api` resource server it may request; at least one. */
  readonly scopes: readonly ApiScopeName[];
  /** @default Duration.minutes(60) */
  readonly accessTokenValidity?: Duration;
}

export interface UserDirectoryProps {
  /**
   * Let users sign themselves up. Federated providers are governed by their own
   * `signUp` policy, whose default follows this setting.
   * @default false - only administrators create users
   */
  readonly selfSignUp?: boolean;
  /** @default cognito.FeaturePlan.ESSENTIALS */
  readonly featurePlan?: cognito.FeaturePlan;
  /**
   * Threat protection for password sign-in; needs `FeaturePlan.PLUS`.
   * @default - FULL_FUNCTION with the Plus plan, none otherwise
   */
  readonly threatProtection?: cognito.StandardThreatProtectionMode;
  /** @default - 12 characters with all four character classes, 3-day temporary passwords, last 5 not reusable */
  readonly passwordPolicy?: cognito.PasswordPolicy;
  /** @default cognito.Mfa.OPTIONAL */
  readonly mfa?: cognito.Mfa;
  /** @default { otp: true, sms: false, email: false } */
  readonly mfaSecondFactor?: cognito.MfaSecondFactor;
  /** @default - Cognito's built-in sender */
  readonly email?: cognito.UserPoolEmail;
  /** @default - no groups */
  readonly groups?: UserGroupProps[];
  /**
   * Where Cognito may redirect after sign-in. Required, so CDK's `https://example.com`
   * default never applies; an empty list is refused by CDK.
   */
  readonly callbackUrls: string[];
  /** Where Cognito may redirect after sign-out. */
  readonly logoutUrls: string[];
  /** @default [OPENID, EMAIL, PROFILE] */
  readonly oAuthScopes?: cognito.OAuthScope[];
  /** @default Duration.minutes(30) */
  readonly accessTokenValidity?: Duration;
  /** @default Duration.minutes(30) */
  readonly idTokenValidity?: Duration;
  /** @default Duration.days(7) */
  readonly refreshTokenValidity?: Duration;
  /** @default Duration.minutes(3) */
  readonly authSessionValidity?: Duration;
  /**
   * First sign-in factors. `password` must stay on; any other factor turns on
   * choice-based sign-in (`ALLOW_USER_AUTH` on the web client).
   * @default { password: true }
   */
  readonly firstFactors?: cognito.AllowedFirstAuthFactors;
  /**
   * The passkeys' WebAuthn relying party.
   * @default - the sign-in domain's host; required with passkeys when there is no domain
   */
  readonly passkeyRelyingPartyId?: string;
  /** @default cognito.PasskeyUserVerification.PREFERRED */
  readonly passkeyUserVerification?: cognito.PasskeyUserVerification;
  /**
   * Refresh token rotation on the web client: each refresh returns a new refresh
   * token; the old one works for this grace period more. `'off'` turns rotation off
   * (the client then refreshes with the legacy REFRESH_TOKEN_AUTH flow).
   * @default Duration.seconds(10)
   */
  readonly refreshTokenRotationGracePeriod?: Duration | 'off';
  /** @default - no machine clients */
  readonly machineClients?: readonly MachineClientProps[];
  /**
   * Only these email domains may sign up, from any source (pre sign-up
   * trigger); a federated address must also be marked verified by its provider.
   * Users of a web client without federated providers then cannot change email.
   * @default - any domain
   */
  readonly allowedEmailDomains?: readonly string[];
  /**
   * Every newly confirmed user joins this group (post-confirmation trigger); one of `groups`.
   * Never a group whose role reads other users' data (e.g. one granted
   * `IdentityScopedStorage.grantReadAll` through `FederatedIdentities`): every new
   * user would get it. The stage schema refuses that pairing (docs/design.md, "Who can sign up").
   * @default - none
   */
  readonly defaultGroup?: string;
  /**
   * Turns a trigger's entry file into Lambda code.
   * @default bundledHandlerCode
   */
  readonly handlerCode?: (entry: string) => lambda.Code;
  /** @default - no sign-in domain (then no federated providers either) */
  readonly domain?: SignInDomainProps;
  /** @default - password sign-in only */
  readonly identityProviders?: FederatedProvidersProps;
  /**
   * Retention of the user pool's log groups (user-notification errors; auth events with Plus; sign-up triggers).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Customer managed key for the user pool's log groups.
   * @default - CloudWatch Logs' own encryption
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * RETAIN also turns on the pool's deletion protection.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const DEFAULTS = USER_DIRECTORY_DEFAULTS;

/**
 * The user directory: a user pool with email sign-in, a public web client
 * that can only use the authorization-code grant, an optional sign-in domain
 * and every configured federated provider.
 */
export class UserDirectory extends Construct {
  public readonly userPool: cognito.UserPool;
  public readonly webClient: cognito.UserPoolClient;
  /** Undefined when no domain is configured. */
  public readonly domain?: cognito.UserPoolDomain;
  /** The sign-in host name, e.g. `x.auth.eu-west-1.amazoncognito.com` or `auth.example.com`. */
  public readonly signInDomainName?: string;
  public readonly identityProviders: cognito.IUserPoolIdentityProvider[];
  /** Names the web client lists, starting with `COGNITO`. */
  public readonly supportedIdentityProviderNames: string[];
  public readonly groups: cognito.UserPoolGroup[];
  /** The same groups by name. */
  public readonly groupsByName: Record<string, cognito.UserPoolGroup> = {};
  /** The role Cognito assumes to send SMS codes; undefined unless SMS MFA is on. */
  public readonly smsRole?: iam.Role;
  /** Where Cognito delivers user-notification errors (failed email/SMS sends). */
  public readonly notificationLogGroup: logs.LogGroup;
  /** Where Cognito delivers user auth events (sign-ins, risk decisions); only with the Plus plan. */
  public readonly authEventLogGroup?: logs.LogGroup;
  /** The managed login style (managed login v2 shows an error page without one). */
  public readonly managedLoginBranding?: cognito.CfnManagedLoginBranding;
  /** The API's OAuth resource server (`api`), whose scopes machine clients request. */
  public readonly resourceServer: cognito.UserPoolResourceServer;
  /** Machine clients by name. */
  public readonly machineClients: Record<string, cognito.UserPoolClient> = {};
  /** Undefined when nothing is refused at sign-up (no allow-list, every provider open) and no default group is set. */
  public readonly signUpTriggers?: SignUpTriggers;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);

    const featurePlan = props.featurePlan ?? cognito.FeaturePlan.ESSENTIALS;
    const threatProtection =
      props.threatProtection ?? (featurePlan === cognito.FeaturePlan.PLUS ? cognito.StandardThreatProtectionMode.FULL_FUNCTION : undefined);
    if (threatProtection && threatProtection !== cognito.StandardThreatProtectionMode.NO_ENFORCEMENT && featurePlan !== cognito.FeaturePlan.PLUS) {
      throw new ValidationError('threatProtection needs featurePlan PLUS; use FeaturePlan.PLUS or leave threatProtection unset.', this);
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const factors = props.firstFactors ?? { password: true };
    const choiceBased = Boolean(factors.emailOtp || factors.smsOtp || factors.passkey);
    const signInDomainName = props.domain
      ? (props.domain.customDomainName ?? `${props.domain.cognitoPrefix}.auth.${Stack.of(this).region}.amazoncognito.com`)
      : undefined;
    let passkeyRelyingPartyId: string | undefined;
    try {
      passkeyRelyingPartyId = passkeyRelyingPartyOf(Boolean(factors.passkey), props.passkeyRelyingPartyId, signInDomainName);
    } catch (error) {
      if (error instanceof MissingRelyingPartyError) throw new ValidationError(error.message, this);
      throw error;
    }
    const mfa = props.mfa ?? cognito.Mfa.OPTIONAL;
    const mfaSecondFactor = props.mfaSecondFactor ?? { otp: DEFAULTS.mfa.totp, sms: DEFAULTS.mfa.sms, email: DEFAULTS.mfa.email };
    const smsExternalId = `${Names.uniqueId(this)}Sms`;
    // Only SMS MFA sends text messages here (no phone sign-in or phone verification).
    this.smsRole = mfa !== cognito.Mfa.OFF && mfaSecondFactor.sms ? this.createSmsRole(smsExternalId) : undefined;

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      signInAliases: { email: true },
      autoVerify: { email: true },
      signInCaseSensitive: false,
      selfSignUpEnabled: props.selfSignUp ?? false,
      userVerification: { emailStyle: cognito.VerificationEmailStyle.CODE },
      // A changed email stays unverified until the user confirms the code; until then the old one keeps working.
      keepOriginal: { email: true },
      // Federated sign-in rewrites mapped attributes on every login, so they must be mutable.
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      passwordPolicy: props.passwordPolicy ?? {
        ...DEFAULTS.passwordPolicy,
        tempPasswordValidity: Duration.days(DEFAULTS.passwordPolicy.tempPasswordValidityDays),
      },
      featurePlan,
      standardThreatProtectionMode: threatProtection,
      mfa,
      mfaSecondFactor,
      smsRole: this.smsRole,
      smsRoleExternalId: this.smsRole ? smsExternalId : undefined,
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      email: props.email,
      // Only set when there is a choice, so a password-only pool keeps Cognito's own default.
      signInPolicy: choiceBased ? { allowedFirstAuthFactors: { ...factors, password: true } } : undefined,
      passkeyRelyingPartyId,
      passkeyUserVerification: factors.passkey ? (props.passkeyUserVerification ?? cognito.PasskeyUserVerification.PREFERRED) : undefined,
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });

    // Cognito's log delivery: message-delivery errors always, auth events where the plan has them.
    const logGroup = (id: string, kind: string) =>
      new logs.LogGroup(this, id, {
        // Vended-log deliveries use the /aws/vendedlogs/ prefix (CloudWatch Logs resource-policy size limits).
        logGroupName: `/aws/vendedlogs/cognito/${Stack.of(this).stackName}/${kind}`,
        retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
        encryptionKey: props.logEncryptionKey,
        removalPolicy,
      });
    const arnOf = (group: logs.LogGroup) =>
      Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: group.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.notificationLogGroup = logGroup('NotificationErrorLogs', 'user-notification');
    const logConfigurations: cognito.CfnLogDeliveryConfiguration.LogConfigurationProperty[] = [
      { eventSource: 'userNotification', logLevel: 'ERROR', cloudWatchLogsConfiguration: { logGroupArn: arnOf(this.notificationLogGroup) } },
    ];
    if (featurePlan === cognito.FeaturePlan.PLUS) {
      this.authEventLogGroup = logGroup('AuthEventLogs', 'user-auth-events');
      logConfigurations.push({ eventSource: 'userAuthEvents', logLevel: 'INFO', cloudWatchLogsConfiguration: { logGroupArn: arnOf(this.authEventLogGroup) } });
    }
    const logDelivery = new cognito.CfnLogDeliveryConfiguration(this, 'LogDelivery', { userPoolId: this.userPool.userPoolId, logConfigurations });
    logDelivery.node.addDependency(this.notificationLogGroup);
    if (this.authEventLogGroup) logDelivery.node.addDependency(this.authEventLogGroup);

    const federated = createFederatedProviders(this, this.userPool, props.identityProviders ?? {});
    this.identityProviders = federated.map((f) => f.provider);
    if (federated.length > 0 && !props.domain) {
      throw new ValidationError('identityProviders redirect to <domain>/oauth2/idpresponse; configure a sign-in domain (the domain prop).', this);
    }

    const clientProviders = [cognito.UserPoolClientIdentityProvider.COGNITO, ...federated.map((f) => f.clientProvider)];
    this.supportedIdentityProviderNames = clientProviders.map((p) => p.name);
    const providerSignUp = this.providerSignUpPolicies(federated, props);
    const domainChecked = Boolean(props.allowedEmailDomains) || Object.values(providerSignUp).some((policy) => typeof policy === 'object');
    // Cognito writes mapped attributes at every federated sign-in and fails it unless the client
    // may write them, so exactly the mapped attributes are writable; email_verified only where a
    // provider maps it (users can never set it themselves). With an allow-list, users should not
    // move their address to another domain: email is locked where no provider maps it
    // (docs/design.md, "Who can sign up").
    const writable = new cognito.ClientAttributes().withStandardAttributes({
      email: !domainChecked || federated.length > 0,
      emailVerified: federated.some((f) => f.mapsEmailVerified),
      fullname: true,
    });
    // Every CDK default that is unsafe for a browser client is overridden here:
    // no implicit grant, no client secret, and the callback URLs are required
    // (CDK's https://example.com default never applies; the stage schema refuses it as a value).
    this.webClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      // Choice-based sign-in (USER_AUTH) only when the pool offers more than a password.
      authFlows: { userSrp: true, user: choiceBased },
      // With rotation on, CDK leaves out ALLOW_REFRESH_TOKEN_AUTH: Cognito refuses that flow on
      // rotating clients, which refresh with GetTokensFromRefreshToken (Amplify v6 does).
      refreshTokenRotationGracePeriod:
        props.refreshTokenRotationGracePeriod === 'off'
          ? undefined
          : (props.refreshTokenRotationGracePeriod ?? Duration.seconds(DEFAULTS.refreshTokenRotation.retryGraceSeconds)),
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: props.oAuthScopes ?? DEFAULTS.oAuthScopes.map((scope) => cognito.OAuthScope.custom(scope)),
        callbackUrls: props.callbackUrls,
        logoutUrls: props.logoutUrls,
      },
      supportedIdentityProviders: clientProviders,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: props.accessTokenValidity ?? Duration.minutes(DEFAULTS.accessTokenMinutes),
      idTokenValidity: props.idTokenValidity ?? Duration.minutes(DEFAULTS.idTokenMinutes),
      refreshTokenValidity: props.refreshTokenValidity ?? Duration.days(DEFAULTS.refreshTokenDays),
      authSessionValidity: props.authSessionValidity ?? Duration.minutes(DEFAULTS.authSessionMinutes),
      writeAttributes: writable,
      readAttributes: writable.withStandardAttributes({ email: true, emailVerified: true }),
    });
    // The client names providers by string, so CloudFormation cannot see the
    // ordering; without it a first deploy fails with "provider … does not exist".
    for (const provider of this.identityProviders) this.webClient.node.addDependency(provider);

    if (props.domain) {
      this.domain = this.addSignInDomain(props.domain);
      this.signInDomainName = signInDomainName;
      if ((props.domain.managedLoginVersion ?? cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN) === cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN) {
        this.managedLoginBranding = new cognito.CfnManagedLoginBranding(this, 'WebClientBranding', {
          userPoolId: this.userPool.userPoolId,
          clientId: this.webClient.userPoolClientId,
          useCognitoProvidedValues: true,
        });
        this.managedLoginBranding.node.addDependency(this.domain);
      }
    }

    this.groups = (props.groups ?? []).map((group) => {
      const created = new cognito.UserPoolGroup(this, `Group${constructIdPart(group.name)}`, {
        userPool: this.userPool,
        groupName: group.name,
        description: group.description,
        precedence: group.precedence,
      });
      this.groupsByName[group.name] = created;
      return created;
    });

    this.resourceServer = this.userPool.addResourceServer('ApiResourceServer', {
      identifier: API_RESOURCE_SERVER_ID,
      scopes: Object.entries(API_SCOPE_DESCRIPTIONS).map(([scopeName, scopeDescription]) => new cognito.ResourceServerScope({ scopeName, scopeDescription })),
    });
    for (const machine of props.machineClients ?? []) this.addMachineClient(machine);

    const refusesSomeone = Boolean(props.allowedEmailDomains) || Object.values(providerSignUp).some((policy) => policy !== 'open');
    if (refusesSomeone || props.defaultGroup) {
      if (props.defaultGroup !== undefined && !this.groupsByName[props.defaultGroup]) {
        throw new ValidationError(`defaultGroup "${props.defaultGroup}" is not one of the groups; add it to the groups prop.`, this);
      }
      this.signUpTriggers = new SignUpTriggers(this, 'SignUpTriggers', {
        userPool: this.userPool,
        allowedEmailDomains: props.allowedEmailDomains,
        providerSignUp,
        defaultGroupName: props.defaultGroup,
        handlerCode: props.handlerCode,
        logRemovalPolicy: removalPolicy,
        logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
        logEncryptionKey: props.logEncryptionKey,
      });
    }
  }

  /**
   * Each provider's sign-up policy by Cognito provider name, defaults applied:
   * open with self sign-up, existing users only without (a federated first
   * sign-in creates a user even when self sign-up is off).
   */
  private providerSignUpPolicies(federated: readonly FederatedProvider[], props: UserDirectoryProps): Record<string, ProviderSignUpPolicy> {
    const policies: Record<string, ProviderSignUpPolicy> = {};
    for (const provider of federated) {
      const policy = provider.signUp ?? (props.selfSignUp ? 'open' : 'existingUsers');
      // The pool-level allow-list checks federated addresses too, and trusts only verified ones.
      if (props.allowedEmailDomains && !provider.mapsEmailVerified && policy !== 'existingUsers') {
        throw new ValidationError(
          `${provider.providerName} sends no email_verified, so allowedEmailDomains would refuse every sign-up through it; give it signUp 'existingUsers'.`,
          this,
        );
      }
      policies[provider.providerName] = policy;
    }
    return policies;
  }

  /**
   * A confidential client for a service, not a person: client credentials only,
   * a generated secret (read once by an operator, never an output), and only
   * the scopes it names on the `api` resource server.
   */
  private addMachineClient(machine: MachineClientProps): cognito.UserPoolClient {
    if (!this.domain) {
      throw new ValidationError(
        `machineClients: "${machine.name}" gets tokens from <domain>/oauth2/token; configure a sign-in domain (the domain prop).`,
        this,
      );
    }
    const client = this.userPool.addClient(`Machine${constructIdPart(machine.name)}`, {
      userPoolClientName: machine.name,
      generateSecret: true,
      // Client credentials issue no refresh token; this is the narrowest list Cognito accepts.
      authFlows: { userSrp: false },
      oAuth: {
        flows: { clientCredentials: true, authorizationCodeGrant: false, implicitCodeGrant: false },
        scopes: machine.scopes.map((scope) =>
          cognito.OAuthScope.resourceServer(
            this.resourceServer,
            new cognito.ResourceServerScope({ scopeName: scope, scopeDescription: API_SCOPE_DESCRIPTIONS[scope] }),
          ),
        ),
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: machine.accessTokenValidity ?? Duration.minutes(DEFAULTS.machineAccessTokenMinutes),
    });
    this.machineClients[machine.name] = client;
    return client;
  }

  /** Lets `grantee` delete users of this pool (AdminDeleteUser), for account deletion. */
  public grantDeleteUsers(grantee: iam.IGrantable): void {
    this.userPool.grant(grantee, 'cognito-idp:AdminDeleteUser');
  }

  /**
   * Sets the IAM role that the identity pool hands to members of `groupName`
   * (through `cognito:preferred_role`). The directory owns its groups, so
   * whoever creates the role asks here instead of editing the group.
   */
  public assignGroupRole(groupName: string, role: iam.IRole): void {
    const group = this.groupsByName[groupName];
    if (!group) {
      throw new ValidationError(`No group named "${groupName}"; add it to the groups prop first.`, this);
    }
    (group.node.defaultChild as cognito.CfnUserPoolGroup).roleArn = role.roleArn;
  }

  /**
   * The role Cognito assumes to publish SMS codes. CDK's own role trusts
   * cognito-idp with only an external ID; this one also names this account
   * and its user pools (confused-deputy guard). The pool's own ARN cannot be
   * named: the pool refers to the role, so the role cannot refer back.
   */
  private createSmsRole(externalId: string): iam.Role {
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'SmsRole', {
      description: 'Lets Cognito publish SMS MFA codes for this user pool',
      assumedBy: new iam.ServicePrincipal('cognito-idp.amazonaws.com', {
        conditions: {
          StringEquals: { 'sts:ExternalId': externalId, 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cognito-idp:${stack.region}:${stack.account}:userpool/*` },
        },
      }),
      inlinePolicies: {
        'sns-publish': new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] })] }),
      },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Cognito publishes SMS codes straight to phone numbers, which sns:Publish can only allow with Resource "*"; only Cognito can assume the role, with the external ID, from this account and for user pools in this Region.',
    });
    return role;
  }

  private addSignInDomain(domain: SignInDomainProps): cognito.UserPoolDomain {
    const managedLoginVersion = domain.managedLoginVersion ?? cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN;
    if (Boolean(domain.cognitoPrefix) === Boolean(domain.customDomainName)) {
      throw new ValidationError('A sign-in domain needs exactly one of cognitoPrefix and customDomainName.', this);
    }
    if (domain.cognitoPrefix) {
      return this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: domain.cognitoPrefix }, managedLoginVersion });
    }
    if (!domain.certificateArn) {
      throw new ValidationError('customDomainName needs certificateArn (an ACM certificate in us-east-1).', this);
    }
    return this.userPool.addDomain('Domain', {
      customDomain: {
        domainName: domain.customDomainName!,
        certificate: acm.Certificate.fromCertificateArn(this, 'DomainCertificate', domain.certificateArn),
      },
      managedLoginVersion,
    });
  }
}
