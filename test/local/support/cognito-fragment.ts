/**
 * Hand-made template fragments shaped like the stack's synthesized Cognito
 * resources (see the dev snapshot): a user pool, its web client, groups, the
 * identity pool with its roles and role attachment, plus a fake
 * LambdaInvoker and an in-memory CredentialStore, for the local Cognito tests.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type {
  CredentialPrincipal,
  CredentialStore,
  LambdaInvoker,
  LocalCredentials,
  MailMessage,
  Mailbox,
  TemplateResource,
} from '../../../scripts/local/contracts';
import { templateFragment } from './template-fragment';

export const POOL = 'UserDirectoryUserPoolD2758A4E';
export const CLIENT = 'UserDirectoryUserPoolWebClientE024FB40';
export const OTHER_CLIENT = 'UserDirectoryUserPoolOtherClient0000AAAA';
export const IDENTITY_POOL = 'IdentityStorageIdentityPool1C1F9BAD';
export const AUTH_ROLE = 'FederatedIdentitiesIdentityPoolAuthenticatedRole6367AEEF';
export const GUEST_ROLE = 'FederatedIdentitiesIdentityPoolUnauthenticatedRoleB44F1434';
export const ADMIN_ROLE = 'FederatedIdentitiesGroupRoleAdmins58F9461A';
export const PRE_SIGN_UP = 'SignUpTriggersPreSignUpFunction';
export const POST_CONFIRMATION = 'SignUpTriggersPostConfirmationFunction';

export interface FragmentOptions {
  readonly minimumLength?: number;
  readonly mfa?: 'OFF' | 'OPTIONAL' | 'ON';
  readonly enabledMfas?: string[];
  readonly firstFactors?: string[];
  readonly explicitAuthFlows?: string[];
  readonly rotation?: boolean;
  /** RefreshTokenRotation.RetryGracePeriodSeconds. @default 0 */
  readonly rotationGraceSeconds?: number;
  /** Adds OTHER_CLIENT, a second app client the identity pool does not name. */
  readonly otherClient?: boolean;
  readonly triggers?: boolean;
  readonly allowGuests?: boolean;
  readonly roleMapping?: boolean;
  /** Extra or replaced UserPool properties. */
  readonly poolProperties?: Record<string, unknown>;
  /** The authenticated role's trust policy audience (defaults to the identity pool). */
  readonly trustAudience?: unknown;
}

const trust = (amr: string, aud: unknown) => ({
  Statement: [
    {
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': amr }, StringEquals: { 'cognito-identity.amazonaws.com:aud': aud } },
      Effect: 'Allow',
      Principal: { Federated: 'cognito-identity.amazonaws.com' },
    },
  ],
  Version: '2012-10-17',
});

export function cognitoResources(options: FragmentOptions = {}): Record<string, TemplateResource> {
  const resources: Record<string, TemplateResource> = {
    [POOL]: {
      Type: 'AWS::Cognito::UserPool',
      Properties: {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
        AutoVerifiedAttributes: ['email'],
        EnabledMfas: options.enabledMfas ?? ['SOFTWARE_TOKEN_MFA'],
        MfaConfiguration: options.mfa ?? 'OPTIONAL',
        Policies: {
          PasswordPolicy: {
            MinimumLength: options.minimumLength ?? 12,
            PasswordHistorySize: 5,
            RequireLowercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
            RequireUppercase: true,
            TemporaryPasswordValidityDays: 3,
          },
          SignInPolicy: { AllowedFirstAuthFactors: options.firstFactors ?? ['PASSWORD', 'WEB_AUTHN'] },
        },
        Schema: [
          { Mutable: true, Name: 'email', Required: true },
          { Mutable: true, Name: 'name', Required: false },
        ],
        UsernameAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
        VerificationMessageTemplate: {
          DefaultEmailOption: 'CONFIRM_WITH_CODE',
          EmailMessage: 'The verification code to your new account is {####}',
          EmailSubject: 'Verify your new account',
        },
        WebAuthnRelyingPartyID: 'localhost',
        WebAuthnUserVerification: 'preferred',
        ...(options.triggers
          ? { LambdaConfig: { PreSignUp: { 'Fn::GetAtt': [PRE_SIGN_UP, 'Arn'] }, PostConfirmation: { 'Fn::GetAtt': [POST_CONFIRMATION, 'Arn'] } } }
          : {}),
        ...options.poolProperties,
      },
    },
    [CLIENT]: {
      Type: 'AWS::Cognito::UserPoolClient',
      Properties: {
        AccessTokenValidity: 30,
        AuthSessionValidity: 3,
        EnableTokenRevocation: true,
        ExplicitAuthFlows: options.explicitAuthFlows ?? ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_AUTH'],
        GenerateSecret: false,
        IdTokenValidity: 30,
        PreventUserExistenceErrors: 'ENABLED',
        ...(options.rotation === false ? {} : { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: options.rotationGraceSeconds ?? 0 } }),
        RefreshTokenValidity: 10080,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
        UserPoolId: { Ref: POOL },
      },
    },
    UserDirectoryGroupAdminsA6EC35AA: {
      Type: 'AWS::Cognito::UserPoolGroup',
      Properties: { GroupName: 'admins', Precedence: 0, RoleArn: { 'Fn::GetAtt': [ADMIN_ROLE, 'Arn'] }, UserPoolId: { Ref: POOL } },
    },
    UserDirectoryGroupMembersA4A30080: {
      Type: 'AWS::Cognito::UserPoolGroup',
      Properties: { GroupName: 'members', Precedence: 10, UserPoolId: { Ref: POOL } },
    },
    [IDENTITY_POOL]: {
      Type: 'AWS::Cognito::IdentityPool',
      Properties: {
        AllowClassicFlow: false,
        AllowUnauthenticatedIdentities: options.allowGuests ?? false,
        CognitoIdentityProviders: [
          {
            ClientId: { Ref: CLIENT },
            ProviderName: { 'Fn::Join': ['', ['cognito-idp.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: POOL }]] },
            ServerSideTokenCheck: true,
          },
        ],
      },
    },
    IdentityStorageIdentityPoolDefaultRoleAttachmentB5974E01: {
      Type: 'AWS::Cognito::IdentityPoolRoleAttachment',
      Properties: {
        IdentityPoolId: { Ref: IDENTITY_POOL },
        ...(options.roleMapping
          ? {
              RoleMappings: {
                userpool: {
                  AmbiguousRoleResolution: 'AuthenticatedRole',
                  IdentityProvider: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [POOL, 'ProviderName'] }, ':', { Ref: CLIENT }]] },
                  Type: 'Token',
                },
              },
            }
          : {}),
        Roles: { authenticated: { 'Fn::GetAtt': [AUTH_ROLE, 'Arn'] }, unauthenticated: { 'Fn::GetAtt': [GUEST_ROLE, 'Arn'] } },
      },
    },
    [AUTH_ROLE]: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust('authenticated', options.trustAudience ?? { Ref: IDENTITY_POOL }) } },
    [GUEST_ROLE]: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust('unauthenticated', { Ref: IDENTITY_POOL }) } },
    [ADMIN_ROLE]: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust('authenticated', { Ref: IDENTITY_POOL }) } },
  };
  if (options.otherClient) {
    resources[OTHER_CLIENT] = { Type: 'AWS::Cognito::UserPoolClient', Properties: { ...resources[CLIENT].Properties, RefreshTokenRotation: undefined } };
  }
  if (options.triggers) {
    resources[PRE_SIGN_UP] = { Type: 'AWS::Lambda::Function', Properties: {} };
    resources[POST_CONFIRMATION] = { Type: 'AWS::Lambda::Function', Properties: {} };
  }
  return resources;
}

export const cognitoTemplate = (options: FragmentOptions = {}) => templateFragment(cognitoResources(options), 'eu-west-1', 'CognitoAccess-test');

/** Runs `handlers[logicalId]` in-process; records every event. */
export class FakeLambda implements LambdaInvoker {
  readonly events: { logicalId: string; event: any }[] = [];

  constructor(private readonly handlers: Record<string, (event: any) => unknown>) {}

  async invoke(logicalId: string, event: unknown): Promise<unknown> {
    this.events.push({ logicalId, event: JSON.parse(JSON.stringify(event)) });
    const handler = this.handlers[logicalId];
    if (!handler) throw new Error(`no fake handler for ${logicalId}`);
    return handler(event);
  }

  functionFor(arnOrRef: unknown): string | undefined {
    const getAtt = (arnOrRef as { 'Fn::GetAtt'?: [string, string] })?.['Fn::GetAtt'];
    return getAtt?.[1] === 'Arn' ? getAtt[0] : undefined;
  }
}

export class MemoryMailbox implements Mailbox {
  readonly messages: MailMessage[] = [];
  send(message: Omit<MailMessage, 'sentAt'>): void {
    this.messages.push({ ...message, sentAt: new Date().toISOString() });
  }
  list(to?: string): MailMessage[] {
    return this.messages.filter((m) => to === undefined || m.to.toLowerCase() === to.toLowerCase());
  }
  /** The code of the newest message to `to`. */
  lastCode(to: string): string {
    const code = this.list(to).at(-1)?.code;
    if (!code) throw new Error(`no code mailed to ${to}`);
    return code;
  }
}

/** A CredentialStore that remembers who each set of credentials is for. */
export class MemoryCredentials implements CredentialStore {
  private readonly issued = new Map<string, { credentials: LocalCredentials; principal: CredentialPrincipal }>();
  private next = 0;

  issue(principal: CredentialPrincipal, lifetimeSeconds = 3600): LocalCredentials {
    const credentials = {
      accessKeyId: `ASIATEST${String(++this.next).padStart(8, '0')}`,
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration: new Date(Date.now() + lifetimeSeconds * 1000),
    };
    this.issued.set(credentials.accessKeyId, { credentials, principal });
    return credentials;
  }

  lookup(accessKeyId: string) {
    return this.issued.get(accessKeyId);
  }
}

const tempDirs: string[] = [];

/** A fresh state folder; removeTempStateDirs() (in afterAll) deletes them all. */
export function tempStateDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-cognito-'));
  tempDirs.push(dir);
  return dir;
}

export function removeTempStateDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
