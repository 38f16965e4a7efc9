/**
 * Authorizes a request made with local credentials the way IAM would: the
 * role's policies from the template, plus the resource's own policy (the
 * bucket policy for S3, the key policy for a KMS key),
 * judged by @cloud-copilot/iam-simulate (./evaluate-request.ts).
 *
 * One deliberate deviation (docs/local.md): the local run is plain HTTP on
 * loopback, but requests are judged as if they came over TLS 1.3
 * (`aws:SecureTransport` true, `s3:TlsVersion` 1.3); otherwise every bucket's
 * "deny non-TLS" statement would refuse everything.
 */
import type { EvaluationResult } from '@cloud-copilot/iam-simulate';
import type { CredentialPrincipal, LocalTemplate } from '../contracts';
import { evaluateRequest, sessionArn, type ContextValues } from './evaluate-request';
import { asArray, keysUsedBy, type Json, type NamedPolicy, type PolicyDocumentJson } from './policy-document';
import { bucketPolicyOf, rolePolicies } from './role-policies';

/**
 * Condition keys the local services supply when the request carries them (a
 * key a request does not carry is absent, as in IAM). Any other key a policy
 * uses is reported by `unsupportedConditionKeys`.
 */
export const SUPPLIED_CONDITION_KEYS: readonly string[] = [
  'aws:securetransport',
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principaltype',
  'aws:currenttime',
  'aws:epochtime',
  'cognito-identity.amazonaws.com:sub',
  'cognito-identity.amazonaws.com:aud',
  'cognito-identity.amazonaws.com:amr',
  's3:tlsversion',
  's3:authtype',
  's3:signatureversion',
  's3:prefix',
  's3:delimiter',
  's3:max-keys',
  's3:versionid',
  's3:x-amz-content-sha256',
  's3:x-amz-storage-class',
  's3:x-amz-server-side-encryption',
  's3:x-amz-server-side-encryption-aws-kms-key-id',
  's3:x-amz-server-side-encryption-customer-algorithm',
  'kms:viaservice',
  'kms:calleraccount',
  'kms:encryptioncontext:aws:s3:arn',
  'dynamodb:leadingkeys',
  'dynamodb:attributes',
  'dynamodb:select',
  'dynamodb:returnvalues',
  'dynamodb:returnconsumedcapacity',
];

export interface AuthorizeRequest {
  readonly principal: CredentialPrincipal;
  readonly action: string;
  /** The resource ARN (`arn:aws:s3:::bucket/key`, a table ARN, …). */
  readonly resource: string;
  /** Request-specific context keys (s3:prefix, dynamodb:LeadingKeys, …). */
  readonly context?: ContextValues;
}

export interface AuthorizeDecision {
  readonly allowed: boolean;
  readonly result: EvaluationResult;
}

const S3_ARN = /^arn:[^:]+:s3:::([^/]+)(?:\/.*)?$/s;
const KMS_KEY_ARN = /^arn:[^:]+:kms:[^:]+:\d{12}:key\//;

export class TemplateAuthorizer {
  private readonly policiesByRole = new Map<string, NamedPolicy[]>();
  private readonly bucketPolicies = new Map<string, PolicyDocumentJson | undefined>();
  private readonly keyPolicies = new Map<string, PolicyDocumentJson | undefined>();

  constructor(private readonly template: LocalTemplate) {}

  async authorize(request: AuthorizeRequest): Promise<AuthorizeDecision> {
    const { principal } = request;
    const bucket = S3_ARN.exec(request.resource)?.[1];
    const now = new Date();
    const context: ContextValues = {
      'aws:SecureTransport': 'true',
      ...(request.action.startsWith('s3:') ? { 's3:TlsVersion': '1.3' } : {}),
      'aws:PrincipalArn': principal.roleArn,
      'aws:PrincipalAccount': this.template.accountId,
      'aws:PrincipalType': 'AssumedRole',
      'aws:CurrentTime': now.toISOString(),
      'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
      ...(principal.identityId ? { 'cognito-identity.amazonaws.com:sub': principal.identityId } : {}),
      ...principal.contextKeys,
      ...request.context,
    };
    const evaluation = await evaluateRequest({
      principalArn: sessionArn(principal.roleArn, principal.identityId ? 'CognitoIdentityCredentials' : principal.roleLogicalId),
      accountId: this.template.accountId,
      action: request.action,
      resource: request.resource,
      identityPolicies: this.policiesOf(principal.roleLogicalId),
      resourcePolicy: bucket !== undefined ? this.bucketPolicy(bucket) : KMS_KEY_ARN.test(request.resource) ? this.keyPolicy(request.resource) : undefined,
      context,
    });
    return { allowed: evaluation.allowed, result: evaluation.result };
  }

  /** The role's permission policies, resolved once. */
  policiesOf(roleLogicalId: string): NamedPolicy[] {
    let policies = this.policiesByRole.get(roleLogicalId);
    if (!policies) {
      policies = rolePolicies(this.template, roleLogicalId);
      this.policiesByRole.set(roleLogicalId, policies);
    }
    return policies;
  }

  bucketPolicy(bucketName: string): PolicyDocumentJson | undefined {
    if (!this.bucketPolicies.has(bucketName)) this.bucketPolicies.set(bucketName, bucketPolicyOf(this.template, bucketName));
    return this.bucketPolicies.get(bucketName);
  }

  /**
   * The KeyPolicy of the template's AWS::KMS::Key with this ARN: KMS, unlike
   * other services, needs its key policy to allow (or delegate to IAM).
   */
  keyPolicy(keyArn: string): PolicyDocumentJson | undefined {
    if (!this.keyPolicies.has(keyArn)) {
      const id = this.template.resourcesOfType('AWS::KMS::Key').find((k) => this.template.resolve({ 'Fn::GetAtt': [k, 'Arn'] }) === keyArn);
      const policy = id === undefined ? undefined : this.template.resources[id].Properties?.KeyPolicy;
      this.keyPolicies.set(keyArn, policy === undefined ? undefined : this.template.resolve<PolicyDocumentJson>(policy));
    }
    return this.keyPolicies.get(keyArn);
  }

  /**
   * Condition keys and policy variables that the roles' policies and the
   * buckets' policies (statements that can apply to a role) use but the local
   * run never supplies: for those, evaluation is as IAM's with the key absent.
   * Listed at start so a surprising denial has a visible cause.
   */
  unsupportedConditionKeys(roleLogicalIds: readonly string[], bucketNames: readonly string[]): string[] {
    const used = new Set<string>();
    for (const role of roleLogicalIds) for (const p of this.policiesOf(role)) keysUsedBy(p.policy).forEach((k) => used.add(k));
    for (const bucket of bucketNames) {
      const policy = this.bucketPolicy(bucket);
      if (!policy) continue;
      const forRoles = asArray<Json>(policy.Statement).filter((s: Json) => s.Principal === '*' || s.Principal?.AWS !== undefined);
      keysUsedBy({ Statement: forRoles }).forEach((k) => used.add(k));
    }
    return [...used].filter((k) => !SUPPLIED_CONDITION_KEYS.includes(k)).sort();
  }
}
