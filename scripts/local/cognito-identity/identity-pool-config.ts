/**
 * What the local identity pool reads from the template: the one
 * AWS::Cognito::IdentityPool (user pool providers, guests) and its
 * AWS::Cognito::IdentityPoolRoleAttachment (default roles, token-based role
 * mappings). A setting it cannot honour stops the run, naming it.
 */
import { CliInputError } from '../../common/cli-error';
import type { LocalTemplate } from '../contracts';
import type { UntypedJson } from '../../common/untyped-json';

export interface ProviderConfig {
  /** `cognito-idp.<region>.amazonaws.com/<userPoolId>`: the Logins key. */
  readonly providerName: string;
  /** The app client whose tokens are accepted. @default - any client of the pool */
  readonly clientId?: string;
  readonly serverSideTokenCheck: boolean;
}

export interface RoleRef {
  readonly logicalId: string;
  readonly arn: string;
}

export interface RoleMapping {
  readonly type: 'Token';
  readonly ambiguousRoleResolution: 'AuthenticatedRole' | 'Deny';
}

export interface IdentityPoolConfig {
  readonly logicalId: string;
  readonly name: string;
  readonly allowUnauthenticated: boolean;
  readonly providers: readonly ProviderConfig[];
  readonly authenticatedRole?: RoleRef;
  readonly unauthenticatedRole?: RoleRef;
  /** By `<providerName>:<clientId>`. */
  readonly roleMappings: ReadonlyMap<string, RoleMapping>;
  readonly notes: readonly string[];
}

type Props = Record<string, UntypedJson>;

function refuse(type: string, logicalId: string, setting: string, why: string): never {
  throw new CliInputError(`local run: ${type} ${logicalId} sets ${setting}, which the local identity pool cannot emulate (${why}).`);
}

export function identityPoolLogicalId(template: LocalTemplate): string {
  const pools = template.resourcesOfType('AWS::Cognito::IdentityPool');
  if (pools.length !== 1)
    throw new CliInputError(`local run: the local identity pool emulates exactly one AWS::Cognito::IdentityPool; the template has ${pools.length}.`);
  return pools[0];
}

/** The role whose ARN is `arn`, by resolving each AWS::IAM::Role's Arn. */
export function roleByArn(template: LocalTemplate, arn: string): RoleRef | undefined {
  for (const logicalId of template.resourcesOfType('AWS::IAM::Role')) {
    if (template.resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] }) === arn) return { logicalId, arn };
  }
  return undefined;
}

/** Reads the pool. Call after the user pool service has set its clients' and groups' physical IDs. */
export function readIdentityPoolConfig(template: LocalTemplate, logicalId: string): IdentityPoolConfig {
  const T = 'AWS::Cognito::IdentityPool';
  const p: Props = template.resources[logicalId].Properties ?? {};
  const notes: string[] = [];
  for (const key of ['SupportedLoginProviders', 'OpenIdConnectProviderARNs', 'SamlProviderARNs']) {
    const value = p[key];
    if (value && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0))
      refuse(T, logicalId, key, 'only Cognito user pool sign-in is emulated');
  }
  if (p.DeveloperProviderName) refuse(T, logicalId, 'DeveloperProviderName', 'developer-authenticated identities are not emulated');
  if (p.AllowClassicFlow === true) notes.push('identity pool: AllowClassicFlow is on, but GetOpenIdToken (the basic flow) is not emulated locally.');
  if (p.CognitoStreams || p.PushSync) notes.push('identity pool: CognitoStreams/PushSync have no local effect.');
  const providers: ProviderConfig[] = ((p.CognitoIdentityProviders ?? []) as Props[]).map((provider) => ({
    providerName: template.resolve<string>(provider.ProviderName),
    clientId: provider.ClientId === undefined ? undefined : template.resolve<string>(provider.ClientId),
    serverSideTokenCheck: provider.ServerSideTokenCheck === true,
  }));

  const attachments = template
    .resourcesOfType('AWS::Cognito::IdentityPoolRoleAttachment')
    .filter(
      (id) =>
        (template.resources[id].Properties?.IdentityPoolId as Props | undefined)?.Ref === logicalId ||
        template.resolve(template.resources[id].Properties?.IdentityPoolId) === template.resolve({ Ref: logicalId }),
    );
  if (attachments.length > 1)
    throw new CliInputError(`local run: ${T} ${logicalId} has ${attachments.length} role attachments; CloudFormation would keep only the last one deployed.`);
  const attachment: Props = attachments.length === 1 ? (template.resources[attachments[0]].Properties ?? {}) : {};
  const role = (value: unknown, which: string): RoleRef | undefined => {
    if (value === undefined) return undefined;
    const arn = template.resolve<string>(value);
    const found = roleByArn(template, arn);
    if (!found)
      throw new CliInputError(
        `local run: AWS::Cognito::IdentityPoolRoleAttachment ${attachments[0]} Roles.${which} (${arn}) is not an AWS::IAM::Role of the template.`,
      );
    return found;
  };
  const roleMappings = new Map<string, RoleMapping>();
  for (const [key, mapping] of Object.entries((attachment.RoleMappings ?? {}) as Record<string, Props>)) {
    if (mapping.Type !== 'Token')
      refuse(
        'AWS::Cognito::IdentityPoolRoleAttachment',
        attachments[0],
        `RoleMappings.${key}.Type ${JSON.stringify(mapping.Type)}`,
        'only token-based role mappings are emulated',
      );
    const resolution = mapping.AmbiguousRoleResolution ?? 'Deny';
    if (resolution !== 'AuthenticatedRole' && resolution !== 'Deny')
      refuse('AWS::Cognito::IdentityPoolRoleAttachment', attachments[0], `RoleMappings.${key}.AmbiguousRoleResolution`, 'unknown value');
    roleMappings.set(template.resolve<string>(mapping.IdentityProvider ?? key), { type: 'Token', ambiguousRoleResolution: resolution });
  }
  return {
    logicalId,
    name: String(p.IdentityPoolName ?? logicalId),
    allowUnauthenticated: p.AllowUnauthenticatedIdentities === true,
    providers,
    authenticatedRole: role(attachment.Roles?.authenticated, 'authenticated'),
    unauthenticatedRole: role(attachment.Roles?.unauthenticated, 'unauthenticated'),
    roleMappings,
    notes,
  };
}
