/**
 * The local Cognito user pool (docs/local.md): the template's one
 * AWS::Cognito::UserPool with its clients and groups, served over the Cognito
 * Identity Provider JSON 1.1 protocol, with its JWKS at
 * `/<userPoolId>/.well-known/jwks.json`. Users, keys, sessions and client
 * secrets persist in `<stateDir>/cognito-idp/<userPoolId>/`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import type { LambdaInvoker, LocalService, LocalTemplate, Mailbox, UserPoolVerifier } from '../contracts';
import { AwsJsonError, corsHeaders, serveAwsJson, type JsonRequest } from './aws-json';
import { AuthSessions } from './auth-sessions';
import { newClientSecret } from './ids';
import { JsonState } from './json-state';
import { clientLogicalIds, groupLogicalIds, readPoolConfig, userPoolLogicalId } from './pool-config';
import type { AdminAuthorizer, LocalClient, PoolContext } from './pool-context';
import { SigningKey } from './signing-key';
import { TokenService } from './token-service';
import { UserStore } from './user-store';
import * as account from './operations/account';
import * as admin from './operations/admin';
import * as mfa from './operations/mfa';
import * as signIn from './operations/sign-in';
import * as signUp from './operations/sign-up';
import * as webauthn from './operations/webauthn';

export interface UserPoolServiceOptions {
  readonly template: LocalTemplate;
  readonly mailbox: Mailbox;
  /** Runs the pool's triggers. @default - none (a template with triggers is refused) */
  readonly lambda?: LambdaInvoker;
  /** The stage's state folder; the pool keeps its files in `cognito-idp/` below it. */
  readonly stateDir: string;
  /** The port this service listens on (for the JWKS URL). */
  readonly port: number;
  /** The web app's origin: CORS and the WebAuthn origin. @default 'http://localhost:5173' */
  readonly webOrigin?: string;
  /** Origins allowed by CORS. @default - loopback origins */
  readonly allowedOrigins?: readonly string[];
  /** Authorizes SigV4-signed admin operations. @default - admin operations refused */
  readonly authorizeAdmin?: AdminAuthorizer;
  /** Where unexpected faults are reported. @default console.error */
  readonly onFault?: (error: unknown) => void;
}

export interface UserPoolService extends LocalService {
  readonly verifier: UserPoolVerifier;
  readonly userPoolId: string;
  /** Client IDs by the UserPoolClient's logical ID. */
  readonly clientIds: Readonly<Record<string, string>>;
  /** Template settings that have no local effect, to print on start. */
  readonly notes: readonly string[];
  /** The SigV4 authorizer it was given, for the identity pool's signed DeleteIdentities. */
  readonly authorizeSigned?: AdminAuthorizer;
}

/** Client secrets by client logical ID (the template has none to give). */
type StoredSecrets = Record<string, string>;

type Operation = (ctx: PoolContext, request: JsonRequest) => Promise<unknown>;
const withBody =
  (fn: (ctx: PoolContext, body: JsonRequest['body']) => Promise<unknown>): Operation =>
  (ctx, request) =>
    fn(ctx, request.body);

const OPERATIONS: Record<string, Operation> = {
  SignUp: withBody(signUp.signUp),
  ConfirmSignUp: withBody(signUp.confirmSignUp),
  ResendConfirmationCode: withBody(signUp.resendConfirmationCode),
  InitiateAuth: withBody(signIn.initiateAuth),
  RespondToAuthChallenge: withBody(signIn.respondToAuthChallenge),
  GetTokensFromRefreshToken: withBody(signIn.getTokensFromRefreshToken),
  GetUser: withBody(account.getUser),
  GlobalSignOut: withBody(account.globalSignOut),
  RevokeToken: withBody(account.revokeToken),
  DeleteUser: withBody(account.deleteUser),
  ChangePassword: withBody(account.changePassword),
  ForgotPassword: withBody(account.forgotPassword),
  ConfirmForgotPassword: withBody(account.confirmForgotPassword),
  AssociateSoftwareToken: withBody(mfa.associateSoftwareToken),
  VerifySoftwareToken: withBody(mfa.verifySoftwareToken),
  SetUserMFAPreference: withBody(mfa.setUserMfaPreference),
  StartWebAuthnRegistration: withBody(webauthn.startWebAuthnRegistration),
  CompleteWebAuthnRegistration: withBody(webauthn.completeWebAuthnRegistration),
  ListWebAuthnCredentials: withBody(webauthn.listWebAuthnCredentials),
  DeleteWebAuthnCredential: withBody(webauthn.deleteWebAuthnCredential),
  AdminAddUserToGroup: admin.adminAddUserToGroup,
  AdminRemoveUserFromGroup: admin.adminRemoveUserFromGroup,
  AdminListGroupsForUser: admin.adminListGroupsForUser,
  AdminGetUser: admin.adminGetUser,
  AdminCreateUser: admin.adminCreateUser,
  AdminSetUserPassword: admin.adminSetUserPassword,
  AdminDeleteUser: admin.adminDeleteUser,
};

/** The operations the local user pool answers (docs/local.md lists them). */
export const USER_POOL_OPERATIONS = Object.keys(OPERATIONS);

export function createUserPoolService(options: UserPoolServiceOptions): UserPoolService {
  const { template } = options;
  const region = template.region;
  const poolLogicalId = userPoolLogicalId(template);
  // The template's local physical IDs are stable per stage, so tokens, identities
  // and the web app's config stay valid across restarts.
  const userPoolId = template.resolve<string>({ Ref: poolLogicalId });
  const userPoolArn = template.resolve<string>({ 'Fn::GetAtt': [poolLogicalId, 'Arn'] });
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  // SRP verifiers hash the pool ID, so each pool ID keeps its own users.
  const stateDir = path.join(options.stateDir, 'cognito-idp', userPoolId);

  const secrets = new JsonState<StoredSecrets>(path.join(stateDir, 'client-secrets.json'), () => ({}));
  const clientIdsByLogicalId: Record<string, string> = {};
  for (const logicalId of clientLogicalIds(template, poolLogicalId)) {
    const clientId = template.resolve<string>({ Ref: logicalId });
    clientIdsByLogicalId[logicalId] = clientId;
    if (template.resources[logicalId].Properties?.GenerateSecret === true) {
      if (!secrets.get()[logicalId]) secrets.update((s) => void (s[logicalId] = newClientSecret()));
      template.setPhysical(logicalId, clientId, { ClientSecret: secrets.get()[logicalId] });
    }
  }
  for (const logicalId of groupLogicalIds(template, poolLogicalId)) {
    // Ref of a group is its name.
    template.setPhysical(logicalId, String(template.resolve(template.resources[logicalId].Properties?.GroupName ?? logicalId)));
  }

  const config = readPoolConfig(template, options.lambda);
  if ((config.triggers.preSignUp || config.triggers.postConfirmation) && !options.lambda)
    throw new Error('the user pool has Lambda triggers; createUserPoolService needs a LambdaInvoker');
  const clients = new Map<string, LocalClient>();
  for (const client of config.clients) {
    const clientId = clientIdsByLogicalId[client.logicalId];
    clients.set(clientId, { ...client, clientId, clientSecret: secrets.get()[client.logicalId] });
  }
  const key = new SigningKey(stateDir);
  const tokens = new TokenService(stateDir, key, issuer, config.groups);
  const webOrigin = options.webOrigin ?? 'http://localhost:5173';
  const ctx: PoolContext = {
    config,
    region,
    userPoolId,
    userPoolArn,
    srpPoolName: userPoolId.split('_')[1],
    clients,
    users: new UserStore(stateDir, config.caseSensitiveUsernames),
    tokens,
    sessions: new AuthSessions(),
    mailbox: options.mailbox,
    lambda: options.lambda,
    authorizeAdmin: options.authorizeAdmin,
    webOrigin,
  };
  const jwksPath = `/${userPoolId}/.well-known/jwks.json`;
  const verifier: UserPoolVerifier = {
    userPoolId,
    issuer,
    jwksUri: `http://127.0.0.1:${options.port}${jwksPath}`,
    verify: async (token, tokenUse) => tokens.verify(token, tokenUse),
  };
  const onFault = options.onFault ?? ((error: unknown) => console.error('local user pool fault:', error));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && (url.pathname === jwksPath || url.pathname === `/${userPoolId}/.well-known/openid-configuration`)) {
      const body =
        url.pathname === jwksPath
          ? key.jwks()
          : { issuer, jwks_uri: verifier.jwksUri, id_token_signing_alg_values_supported: ['RS256'], subject_types_supported: ['public'] };
      res.writeHead(200, { 'Content-Type': 'application/json', ...corsHeaders(req, options.allowedOrigins ?? [webOrigin]) });
      res.end(JSON.stringify(body));
      return;
    }
    await serveAwsJson(req, res, {
      servicePrefix: 'AWSCognitoIdentityProviderService',
      allowedOrigins: options.allowedOrigins,
      onFault,
      dispatch: async (request) => {
        const operation = OPERATIONS[request.operation];
        if (!operation) throw new AwsJsonError('UnknownOperationException', `${request.operation} is not emulated by the local user pool.`);
        return operation(ctx, request);
      },
    });
  }

  return {
    name: 'cognito-idp',
    handle,
    verifier,
    userPoolId,
    clientIds: clientIdsByLogicalId,
    notes: config.notes,
    authorizeSigned: options.authorizeAdmin,
  };
}
