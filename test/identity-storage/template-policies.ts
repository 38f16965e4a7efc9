/**
 * Reads IAM policies out of a synthesized template, with CloudFormation
 * intrinsics replaced by concrete values, so the IAM evaluator judges exactly
 * what `cdk deploy` would create. Nothing here writes a policy of its own.
 */
import type { CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { CognitoAccessStack } from '../../lib/composition/cognito-access-stack';
import type { Json, NamedPolicy, PolicyDocumentJson } from '../../scripts/local/iam/policy-document';
import { bucketPolicyOf, rolePolicies } from '../../scripts/local/iam/role-policies';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const BUCKET_NAME = 'user-files-bucket';
export const BUCKET_ARN = `arn:aws:s3:::${BUCKET_NAME}`;
export const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/items`;
/** Upload-check results and usage; owners read them only through the API. */
export const RESULTS_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/upload-results`;
/** The API's own sub → identity ID table; no identity-pool role may reach it. */
export const IDENTITY_MAP_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/identity-map`;
export const IDENTITY_POOL_ID = `${REGION}:11111111-2222-3333-4444-555555555555`;
export const USER_POOL_ID = `${REGION}_UserPool1`;
export const WEB_CLIENT_ID = 'webclient1234567890';

export type { Json, NamedPolicy, PolicyDocumentJson } from '../../scripts/local/iam/policy-document';

interface ConcreteValues {
  readonly ref: string;
  readonly attributes: Record<string, string>;
}

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::AccountId': ACCOUNT,
  'AWS::Region': REGION,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'CognitoAccess-test',
};

export function logicalIdOf(stack: Stack, element: { node: { defaultChild?: unknown } }): string {
  return stack.resolve((element.node.defaultChild as CfnElement).logicalId);
}

/**
 * The policies of one synthesized stack, resolved to concrete ARNs. The stack
 * object is used only to tell which logical ID is the user-files bucket, the
 * table and the identity pool; every policy comes from the template.
 */
export class TemplatePolicies {
  private readonly resources: Record<string, Json>;
  private readonly concrete = new Map<string, ConcreteValues>();

  constructor(template: Template, stack: CognitoAccessStack) {
    this.resources = template.toJSON().Resources;
    const storage = stack.storage;
    this.concrete.set(logicalIdOf(stack, storage.bucket), { ref: BUCKET_NAME, attributes: { Arn: BUCKET_ARN } });
    this.concrete.set(logicalIdOf(stack, storage.table), { ref: 'items', attributes: { Arn: TABLE_ARN } });
    this.concrete.set(logicalIdOf(stack, stack.uploadChecks.resultsTable), { ref: 'upload-results', attributes: { Arn: RESULTS_ARN } });
    this.concrete.set(logicalIdOf(stack, stack.api.identityMap), { ref: 'identity-map', attributes: { Arn: IDENTITY_MAP_ARN } });
    this.concrete.set(logicalIdOf(stack, stack.identities.identityPool), { ref: IDENTITY_POOL_ID, attributes: { Name: 'identity-pool' } });
    this.concrete.set(logicalIdOf(stack, stack.userDirectory.userPool), {
      ref: USER_POOL_ID,
      attributes: {
        ProviderName: `cognito-idp.${REGION}.amazonaws.com/${USER_POOL_ID}`,
        Arn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${USER_POOL_ID}`,
      },
    });
    this.concrete.set(logicalIdOf(stack, stack.userDirectory.webClient), { ref: WEB_CLIENT_ID, attributes: {} });
  }

  /** Replaces Ref, Fn::GetAtt, Fn::Join and Fn::Sub with concrete values; anything unknown fails loudly. */
  resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'Ref') return this.ref(value.Ref);
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const [id, attribute] = value['Fn::GetAtt'];
      return this.getAtt(id, attribute);
    }
    if (keys.length === 1 && keys[0] === 'Fn::Join') {
      const [separator, parts] = value['Fn::Join'];
      return (this.resolve(parts) as string[]).join(separator);
    }
    if (keys.length === 1 && keys[0] === 'Fn::Sub') return this.sub(value['Fn::Sub']);
    if (keys.length === 1 && keys[0].startsWith('Fn::')) throw new Error(`The test resolver does not know ${keys[0]}`);
    return Object.fromEntries(keys.map((k) => [k, this.resolve(value[k])]));
  }

  /** Logical IDs of every resource of a CloudFormation type. */
  idsOfType(type: string): string[] {
    return Object.keys(this.resources).filter((id) => this.resources[id].Type === type);
  }

  resource(id: string): Json {
    const resource = this.resources[id];
    if (!resource) throw new Error(`No resource ${id} in the template`);
    return resource;
  }

  /** The role the identity pool's role attachment names for `authenticated` or `unauthenticated`. */
  identityPoolRoleId(kind: 'authenticated' | 'unauthenticated'): string {
    const attachments = this.idsOfType('AWS::Cognito::IdentityPoolRoleAttachment');
    if (attachments.length !== 1) throw new Error(`Expected one identity pool role attachment, found ${attachments.length}`);
    const roleArn = this.resource(attachments[0]).Properties.Roles?.[kind];
    if (!roleArn?.['Fn::GetAtt']) throw new Error(`The role attachment names no ${kind} role from this template`);
    return roleArn['Fn::GetAtt'][0];
  }

  /** The role a user pool group hands out through `cognito:preferred_role`, if any. */
  groupRoleId(groupName: string): string | undefined {
    const group = this.idsOfType('AWS::Cognito::UserPoolGroup')
      .map((id) => this.resource(id))
      .find((g) => g.Properties.GroupName === groupName);
    if (!group) throw new Error(`No user pool group ${groupName}`);
    return group.Properties.RoleArn?.['Fn::GetAtt']?.[0];
  }

  /** Every role whose trust policy lets the identity pool hand it out (Federated `cognito-identity.amazonaws.com`). */
  identityPoolAssumableRoleIds(): string[] {
    return this.idsOfType('AWS::IAM::Role').filter((id) =>
      [this.resource(id).Properties.AssumeRolePolicyDocument?.Statement ?? []]
        .flat()
        .some((s: Json) => [s.Principal?.Federated ?? []].flat().includes('cognito-identity.amazonaws.com')),
    );
  }

  roleArn(roleId: string): string {
    return this.getAtt(roleId, 'Arn');
  }

  trustPolicy(roleId: string): PolicyDocumentJson {
    return this.resolve(this.role(roleId).Properties.AssumeRolePolicyDocument);
  }

  /** Every permission policy a role carries (scripts/local/iam/role-policies.ts, shared with the local run). */
  identityPolicies(roleId: string): NamedPolicy[] {
    return rolePolicies({ resources: this.resources, resolve: (value) => this.resolve(value) }, roleId);
  }

  /** The bucket policy of the bucket whose name resolves to `bucketName`. */
  bucketPolicy(bucketName: string = BUCKET_NAME): PolicyDocumentJson {
    const policy = bucketPolicyOf({ resources: this.resources, resolve: (value) => this.resolve(value) }, bucketName);
    if (!policy) throw new Error(`No bucket policy for ${bucketName}`);
    return policy;
  }

  private role(roleId: string): Json {
    const role = this.resource(roleId);
    if (role.Type !== 'AWS::IAM::Role') throw new Error(`${roleId} is a ${role.Type}, not a role`);
    return role;
  }

  private valuesFor(id: string): ConcreteValues {
    const known = this.concrete.get(id);
    if (known) return known;
    const type = this.resource(id).Type;
    // Roles, keys and the access-log bucket get stable made-up names; anything else is unexpected in a policy.
    switch (type) {
      case 'AWS::IAM::Role':
        return { ref: id, attributes: { Arn: `arn:aws:iam::${ACCOUNT}:role/${id}`, RoleId: `AROA${id.toUpperCase()}` } };
      case 'AWS::KMS::Key':
        return { ref: `key-${id}`, attributes: { Arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/key-${id}` } };
      case 'AWS::S3::Bucket':
        return { ref: id.toLowerCase(), attributes: { Arn: `arn:aws:s3:::${id.toLowerCase()}` } };
      default:
        throw new Error(`The test resolver has no concrete value for ${id} (${type})`);
    }
  }

  private ref(name: string): string {
    if (name in PSEUDO_PARAMETERS) return PSEUDO_PARAMETERS[name];
    return this.valuesFor(name).ref;
  }

  private getAtt(id: string, attribute: string): string {
    const value = this.valuesFor(id).attributes[attribute];
    if (value === undefined) throw new Error(`The test resolver has no ${id}.${attribute}`);
    return value;
  }

  /** As CloudFormation does: `${!x}` stays literal `${x}`, any other `${x}` must resolve. */
  private sub(arg: Json): string {
    const [text, variables] = typeof arg === 'string' ? [arg, {}] : [arg[0], this.resolve(arg[1])];
    return (text as string).replace(/\$\{([^}]*)\}/g, (_m: string, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      if (name in variables) return variables[name];
      const [id, attribute] = name.split('.');
      return attribute ? this.getAtt(id, attribute) : this.ref(id);
    });
  }
}
