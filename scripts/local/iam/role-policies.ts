/**
 * Reads the IAM policies of a synthesized template: what a role carries and
 * what a bucket says about itself. Works on any template whose intrinsics can
 * be resolved (the local run's LocalTemplate, or a test's resolver), so the
 * evaluator judges exactly what `cdk deploy` would create.
 */
import { asArray, type Json, type NamedPolicy, type PolicyDocumentJson } from './policy-document';

/** The part of a template the policy readers need. */
export interface PolicySource {
  readonly resources: Readonly<Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>>;
  resolve(value: unknown): Json;
}

function resourceOf(source: PolicySource, id: string, type: string): Json {
  const resource = source.resources[id];
  if (!resource) throw new Error(`No resource ${id} in the template`);
  if (resource.Type !== type) throw new Error(`${id} is a ${resource.Type}, not a ${type}`);
  return resource.Properties ?? {};
}

function idsOfType(source: PolicySource, type: string): string[] {
  return Object.keys(source.resources).filter((id) => source.resources[id].Type === type);
}

/**
 * Every permission policy a role carries: inline `Policies`, `AWS::IAM::Policy`
 * and customer managed policies naming the role, and its managed policy ARNs.
 * An AWS managed policy (or a permissions boundary) cannot be evaluated
 * offline, so it is an error rather than a silent gap.
 */
export function rolePolicies(source: PolicySource, roleId: string): NamedPolicy[] {
  const role = resourceOf(source, roleId, 'AWS::IAM::Role');
  const policies: NamedPolicy[] = asArray<Json>(role.Policies).map((p: Json) => ({
    name: `${roleId}/${p.PolicyName}`,
    policy: source.resolve(p.PolicyDocument),
  }));
  const namesRole = (props: Json) => asArray<Json>(props.Roles).some((r: Json) => r?.Ref === roleId);
  for (const id of [...idsOfType(source, 'AWS::IAM::Policy'), ...idsOfType(source, 'AWS::IAM::ManagedPolicy')]) {
    const props = source.resources[id].Properties ?? {};
    if (namesRole(props)) policies.push({ name: id, policy: source.resolve(props.PolicyDocument) });
  }
  for (const arn of asArray<Json>(role.ManagedPolicyArns)) {
    const id = arn?.Ref;
    if (!id || source.resources[id]?.Type !== 'AWS::IAM::ManagedPolicy') {
      throw new Error(`Role ${roleId} has a managed policy that cannot be evaluated offline: ${JSON.stringify(arn)}`);
    }
    if (!policies.some((p) => p.name === id)) policies.push({ name: id, policy: source.resolve(source.resources[id].Properties?.PolicyDocument) });
  }
  if (role.PermissionsBoundary) throw new Error(`Role ${roleId} has a permissions boundary, which the evaluator does not apply`);
  return policies;
}

/** The bucket policy of the bucket whose name resolves to `bucketName`, if it has one. */
export function bucketPolicyOf(source: PolicySource, bucketName: string): PolicyDocumentJson | undefined {
  const matches = idsOfType(source, 'AWS::S3::BucketPolicy').filter((id) => source.resolve(source.resources[id].Properties?.Bucket) === bucketName);
  if (matches.length > 1) throw new Error(`Bucket ${bucketName} has ${matches.length} bucket policies`);
  return matches.length === 1 ? source.resolve(source.resources[matches[0]].Properties?.PolicyDocument) : undefined;
}
