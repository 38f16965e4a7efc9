/**
 * The local Cognito identity pool (docs/local.md): GetId and
 * GetCredentialsForIdentity over JSON 1.1, unsigned as in AWS (DeleteIdentities
 * is SigV4-signed and authorized). Logins are
 * verified with the local user pool's verifier; the role comes from the role
 * attachment (token-based mappings use the ID token's cognito:preferred_role /
 * cognito:roles), must trust this pool for this identity, and the credentials
 * come from the CredentialStore bound to the identity and role.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import type { CredentialStore, LocalService, LocalTemplate, UserPoolVerifier } from '../contracts';
import { AwsJsonError, requireString, serveAwsJson, type JsonBody, type JsonRequest } from '../cognito-idp/aws-json';
import type { AdminAuthorizer } from '../cognito-idp/pool-context';
import { identityPoolLogicalId, readIdentityPoolConfig, roleByArn, type IdentityPoolConfig, type RoleRef } from './identity-pool-config';
import { IdentityStore } from './identity-store';
import { trustAllows } from './trust-policy';

export interface IdentityPoolServiceOptions {
  readonly template: LocalTemplate;
  /** The local user pool's verifier (its ID tokens are the Logins). */
  readonly verifier: UserPoolVerifier;
  readonly credentials: CredentialStore;
  /** The stage's state folder; identities persist in `cognito-identity/` below it. */
  readonly stateDir: string;
  /** Origins allowed by CORS. @default - loopback origins */
  readonly allowedOrigins?: readonly string[];
  /**
   * Authorizes SigV4-signed calls (DeleteIdentities) against the caller's IAM policies.
   * @default - DeleteIdentities refused
   */
  readonly authorizeSigned?: AdminAuthorizer;
  /** How long issued credentials last. @default 3600 */
  readonly credentialSeconds?: number;
  readonly onFault?: (error: unknown) => void;
}

export interface IdentityPoolService extends LocalService {
  readonly identityPoolId: string;
  readonly notes: readonly string[];
}

const INVALID_ROLES = () =>
  new AwsJsonError('InvalidIdentityPoolConfigurationException', 'Invalid identity pool configuration. Check assigned IAM roles for this pool.');
const LOGINS_DONT_MATCH = () =>
  new AwsJsonError('NotAuthorizedException', "Logins don't match. Please include at least one valid login for this identity or identity pool.");

interface VerifiedLogin {
  readonly providerName: string;
  readonly claims: Record<string, unknown>;
  readonly key: string;
}

export function createIdentityPoolService(options: IdentityPoolServiceOptions): IdentityPoolService {
  const { template, verifier } = options;
  const region = template.region;
  const logicalId = identityPoolLogicalId(template);
  // The template's local physical ID is stable per stage; each pool ID keeps its own identities.
  const identityPoolId = template.resolve<string>({ Ref: logicalId });
  const store = new IdentityStore(path.join(options.stateDir, 'cognito-identity', identityPoolId.replace(':', '_')), region);
  const config: IdentityPoolConfig = readIdentityPoolConfig(template, logicalId);
  const userPoolProvider = `cognito-idp.${region}.amazonaws.com/${verifier.userPoolId}`;
  for (const provider of config.providers) {
    if (provider.providerName !== userPoolProvider) {
      throw new Error(
        `local run: AWS::Cognito::IdentityPool ${logicalId} names the provider ${provider.providerName}, which is not the local user pool (${userPoolProvider}).`,
      );
    }
  }
  const notes = [...config.notes];
  if (config.providers.some((p) => !p.serverSideTokenCheck))
    notes.push('identity pool: ServerSideTokenCheck is off for a provider, but local tokens are always checked for revocation.');

  async function verifyLogins(logins: unknown): Promise<VerifiedLogin[]> {
    if (logins === undefined || logins === null) return [];
    if (typeof logins !== 'object') throw new AwsJsonError('InvalidParameterException', 'Logins must be a map.');
    const out: VerifiedLogin[] = [];
    for (const [providerName, token] of Object.entries(logins as Record<string, unknown>)) {
      const provider = config.providers.find((p) => p.providerName === providerName);
      if (!provider) throw new AwsJsonError('NotAuthorizedException', `Invalid login token. Issuer ${providerName} is not a provider of this identity pool.`);
      if (typeof token !== 'string') throw new AwsJsonError('NotAuthorizedException', 'Invalid login token.');
      let claims: Record<string, unknown>;
      try {
        claims = await verifier.verify(token, 'id');
      } catch (error) {
        throw new AwsJsonError('NotAuthorizedException', `Invalid login token. ${(error as Error).message}`);
      }
      if (provider.clientId !== undefined && claims.aud !== provider.clientId)
        throw new AwsJsonError('NotAuthorizedException', 'Invalid login token. Incorrect token audience.');
      out.push({ providerName, claims, key: `${providerName}:${String(claims.sub)}` });
    }
    return out;
  }

  function requirePool(body: JsonBody): void {
    if (body.IdentityPoolId !== identityPoolId) throw new AwsJsonError('ResourceNotFoundException', `IdentityPool '${String(body.IdentityPoolId)}' not found.`);
  }

  async function getId(body: JsonBody): Promise<unknown> {
    requireString(body, 'IdentityPoolId');
    requirePool(body);
    const logins = await verifyLogins(body.Logins);
    if (logins.length === 0) {
      if (!config.allowUnauthenticated) throw new AwsJsonError('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.');
      return { IdentityId: store.newGuest() };
    }
    const known = [...new Set(logins.map((l) => store.identityOfLogin(l.key)).filter((id): id is string => id !== undefined))];
    if (known.length > 1)
      throw new AwsJsonError('ResourceConflictException', 'The logins belong to different identities; merging identities is not emulated locally.');
    return { IdentityId: known[0] ?? store.forLogin(logins[0].key) };
  }

  /** Token-based role mapping: the ID token's preferred role, or its only role, else the ambiguity rule. */
  function authenticatedRole(login: VerifiedLogin, customRoleArn: unknown): RoleRef {
    const mapping = config.roleMappings.get(`${login.providerName}:${String(login.claims.aud)}`);
    if (!mapping) {
      if (customRoleArn !== undefined) throw new AwsJsonError('InvalidParameterException', 'CustomRoleArn needs a token-based role mapping for the provider.');
      if (!config.authenticatedRole) throw INVALID_ROLES();
      return config.authenticatedRole;
    }
    const roles = Array.isArray(login.claims['cognito:roles']) ? (login.claims['cognito:roles'] as string[]) : [];
    let arn: string | undefined;
    if (typeof customRoleArn === 'string') {
      if (!roles.includes(customRoleArn)) throw new AwsJsonError('NotAuthorizedException', 'The CustomRoleArn is not one of the roles in the token.');
      arn = customRoleArn;
    } else if (typeof login.claims['cognito:preferred_role'] === 'string') arn = login.claims['cognito:preferred_role'];
    else if (roles.length === 1) arn = roles[0];
    if (arn === undefined) {
      if (mapping.ambiguousRoleResolution === 'Deny' || !config.authenticatedRole)
        throw new AwsJsonError('NotAuthorizedException', 'Ambiguous role mapping: the token names no single role, and the mapping denies ambiguous roles.');
      return config.authenticatedRole;
    }
    const role = roleByArn(template, arn);
    if (!role) throw INVALID_ROLES();
    return role;
  }

  async function getCredentialsForIdentity(body: JsonBody): Promise<unknown> {
    const identityId = requireString(body, 'IdentityId');
    const identity = store.get(identityId);
    if (!identity) throw new AwsJsonError('ResourceNotFoundException', `Identity '${identityId}' not found.`);
    const logins = await verifyLogins(body.Logins);
    let role: RoleRef;
    let amr: string[];
    if (identity.logins.length === 0) {
      if (logins.length > 0)
        throw new AwsJsonError('NotAuthorizedException', 'Linking a login to a guest identity is not emulated locally; call GetId with the login instead.');
      if (!config.allowUnauthenticated) throw new AwsJsonError('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.');
      if (!config.unauthenticatedRole) throw INVALID_ROLES();
      role = config.unauthenticatedRole;
      amr = ['unauthenticated'];
    } else {
      const login = logins.find((l) => identity.logins.includes(l.key));
      if (!login) throw LOGINS_DONT_MATCH();
      role = authenticatedRole(login, body.CustomRoleArn);
      amr = ['authenticated', login.providerName, `${login.providerName}:CognitoSignIn:${String(login.claims.sub)}`];
    }
    const context = {
      'cognito-identity.amazonaws.com:aud': identityPoolId,
      'cognito-identity.amazonaws.com:amr': amr,
      'cognito-identity.amazonaws.com:sub': identityId,
    };
    const trust = template.resolve<{ Statement?: unknown }>(template.resources[role.logicalId].Properties?.AssumeRolePolicyDocument);
    let trusted: boolean;
    try {
      trusted = trustAllows(trust, context);
    } catch (error) {
      throw new AwsJsonError('InvalidIdentityPoolConfigurationException', `Role ${role.logicalId}: ${(error as Error).message}.`);
    }
    if (!trusted) throw INVALID_ROLES();
    const credentials = options.credentials.issue(
      { roleLogicalId: role.logicalId, roleArn: role.arn, identityId, contextKeys: context },
      options.credentialSeconds ?? 3600,
    );
    return {
      IdentityId: identityId,
      Credentials: {
        AccessKeyId: credentials.accessKeyId,
        SecretKey: credentials.secretAccessKey,
        SessionToken: credentials.sessionToken,
        Expiration: Math.floor(credentials.expiration.getTime() / 1000),
      },
    };
  }

  /** Signed with the caller's credentials (the operator's, in the smoke test's clean-up). */
  async function deleteIdentities(body: JsonBody, request: JsonRequest): Promise<unknown> {
    const ids = body.IdentityIdsToDelete;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 60)
      throw new AwsJsonError('InvalidParameterException', 'IdentityIdsToDelete must list 1 to 60 identity IDs.');
    if (!options.authorizeSigned)
      throw new AwsJsonError('AccessDeniedException', 'DeleteIdentities needs SigV4 authorization, and this local identity pool has no authorizer configured.');
    try {
      // DeleteIdentities has no resource type: IAM authorizes it against "*" only, as here.
      await options.authorizeSigned({
        req: request.req,
        body: request.raw,
        action: 'cognito-identity:DeleteIdentities',
        resource: '*',
        service: 'cognito-identity',
      });
    } catch (error) {
      if (error instanceof AwsJsonError) throw error;
      throw new AwsJsonError('AccessDeniedException', (error as Error).message);
    }
    for (const id of ids) store.remove(String(id));
    return { UnprocessedIdentityIds: [] };
  }

  const operations: Record<string, (body: JsonBody, request: JsonRequest) => Promise<unknown>> = {
    GetId: getId,
    GetCredentialsForIdentity: getCredentialsForIdentity,
    DeleteIdentities: deleteIdentities,
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await serveAwsJson(req, res, {
      servicePrefix: 'AWSCognitoIdentityService',
      allowedOrigins: options.allowedOrigins,
      onFault: options.onFault ?? ((error) => console.error('local identity pool fault:', error)),
      dispatch: async (request) => {
        const fn = operations[request.operation];
        if (!fn) throw new AwsJsonError('UnknownOperationException', `${request.operation} is not emulated by the local identity pool.`);
        return fn(request.body, request);
      },
    });
  }

  return { name: 'cognito-identity', handle, identityPoolId, notes };
}
