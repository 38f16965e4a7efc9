/**
 * Runs requests through `@cloud-copilot/iam-simulate` (AGPL-3.0, a devDependency
 * only), an IAM evaluator independent of this project.
 *
 * Why two engines: the validated `runSimulation` drops context keys it does not
 * know for an action, and it does not know `cognito-identity.amazonaws.com:sub`
 * for S3 or DynamoDB, so the policy variable would never match. So each request is
 *  1. run through `runSimulation` with the identity ID substituted into the
 *     policies, as IAM does at request time. This keeps the engine's validation of
 *     policies, actions, resource types and the other context keys (`s3:prefix`,
 *     `dynamodb:LeadingKeys`), and it takes the bucket policy as resource policy;
 *  2. cross-checked with `runUnsafeSimulation` on the policies exactly as
 *     synthesized, letting the evaluator substitute `${cognito-identity.amazonaws.com:sub}`
 *     itself from the request context. (It cannot take a resource policy: in 0.1.x it
 *     loads one without a name and throws, so it sees the identity policies only.)
 */
import { runSimulation, runUnsafeSimulation, type EvaluationResult, type Simulation } from '@cloud-copilot/iam-simulate';
import { ACCOUNT, IDENTITY_POOL_ID, USER_POOL_ID, REGION, type Json, type NamedPolicy, type PolicyDocumentJson } from './template-policies';

export const IDENTITY_A = 'eu-west-1:aaaaaaaa-0000-0000-0000-000000000001';
export const IDENTITY_B = 'eu-west-1:bbbbbbbb-0000-0000-0000-000000000002';
/** Written out here on purpose, not imported: a typo in the library must not be copied into the test. */
export const SUB_VARIABLE = '${cognito-identity.amazonaws.com:sub}';

/** Context keys that only exist for `sts:AssumeRoleWithWebIdentity`; the validated engine may drop them elsewhere. */
const COGNITO_KEYS = ['cognito-identity.amazonaws.com:sub', 'cognito-identity.amazonaws.com:aud', 'cognito-identity.amazonaws.com:amr'];

export type Outcome = 'allow' | 'deny';

/** Someone holding temporary credentials for one identity pool role. */
export interface Caller {
  readonly roleArn: string;
  readonly identityId: string;
  readonly identityPolicies: readonly NamedPolicy[];
}

export interface AccessRequest {
  readonly action: string;
  readonly resource: string;
  /** Request context on top of the defaults (TLS on, the caller's Cognito identity). */
  readonly context?: Record<string, string | string[]>;
}

export interface Decision {
  readonly outcome: Outcome;
  /** `runSimulation` on the substituted policies, with the resource policy if given. */
  readonly validated: EvaluationResult;
  /** `runUnsafeSimulation` on the policies as synthesized, identity policies only. */
  readonly unsafeIdentityOnly: EvaluationResult;
}

export function outcomeOf(result: EvaluationResult): Outcome {
  return result === 'Allowed' ? 'allow' : 'deny';
}

/** `arn:aws:sts::…:assumed-role/<role>/CognitoIdentityCredentials`, as STS names an identity pool session. */
export function sessionArn(roleArn: string): string {
  const roleName = roleArn.split(':role/')[1];
  return `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/CognitoIdentityCredentials`;
}

/**
 * What IAM does at request time: replace the policy variable in `Resource`,
 * `NotResource` and condition values (never in actions or keys).
 */
export function substituteIdentityId(policy: PolicyDocumentJson, identityId: string): PolicyDocumentJson {
  const replace = (value: Json): Json => {
    if (typeof value === 'string') return value.split(SUB_VARIABLE).join(identityId);
    if (Array.isArray(value)) return value.map(replace);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    return value;
  };
  return {
    ...policy,
    Statement: asArray(policy.Statement).map((statement: Json) => {
      const out = { ...statement };
      if (out.Resource !== undefined) out.Resource = replace(out.Resource);
      if (out.NotResource !== undefined) out.NotResource = replace(out.NotResource);
      if (out.Condition !== undefined) {
        out.Condition = Object.fromEntries(
          Object.entries(out.Condition as Record<string, Record<string, Json>>).map(([op, block]) => [
            op,
            Object.fromEntries(Object.entries(block).map(([key, v]) => [key, replace(v)])),
          ]),
        );
      }
      return out;
    }),
  };
}

function requestContext(caller: Caller, request: AccessRequest): Record<string, string | string[]> {
  return {
    'aws:SecureTransport': 'true',
    ...(request.action.startsWith('s3:') ? { 's3:TlsVersion': '1.3' } : {}),
    'cognito-identity.amazonaws.com:sub': caller.identityId,
    'cognito-identity.amazonaws.com:aud': IDENTITY_POOL_ID,
    'cognito-identity.amazonaws.com:amr': ['authenticated'],
    ...request.context,
  };
}

function simulation(principal: string, request: AccessRequest, contextVariables: Simulation['request']['contextVariables'], identityPolicies: NamedPolicy[], resourcePolicy?: PolicyDocumentJson): Simulation {
  return {
    request: { principal, action: request.action, resource: { resource: request.resource, accountId: ACCOUNT }, contextVariables },
    identityPolicies: identityPolicies.map((p) => ({ name: p.name, policy: p.policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy,
  };
}

/** One request by `caller`, judged by both engines. Validation errors or silently dropped context keys fail the test. */
export async function decide(caller: Caller, request: AccessRequest, resourcePolicy?: PolicyDocumentJson): Promise<Decision> {
  const context = requestContext(caller, request);
  const principal = sessionArn(caller.roleArn);
  const substituted = caller.identityPolicies.map((p) => ({ name: p.name, policy: substituteIdentityId(p.policy, caller.identityId) }));
  const response = await runSimulation(simulation(principal, request, context, substituted, resourcePolicy), {});
  if (response.resultType === 'error') {
    throw new Error(`iam-simulate rejected ${request.action} ${request.resource}: ${JSON.stringify(response.errors)}`);
  }
  if (response.resultType !== 'single') throw new Error(`Expected a single-resource simulation for ${request.resource}`);
  const dropped = (response.result.ignoredContextKeys ?? []).filter((key) => !COGNITO_KEYS.includes(key.toLowerCase()));
  if (dropped.length > 0) {
    throw new Error(`iam-simulate ignored context keys ${dropped.join(', ')} for ${request.action}; the request would not test what it claims`);
  }
  const unsafeIdentityOnly = runUnsafeSimulation(simulation(principal, request, context, [...caller.identityPolicies]), {});
  return { outcome: outcomeOf(response.overallResult), validated: response.overallResult, unsafeIdentityOnly };
}

/** Context of an identity pool token exchange, as STS sees it for `sts:AssumeRoleWithWebIdentity`. */
export function webIdentityContext(overrides: { aud?: string; amr?: string[] | null } = {}): Record<string, string | string[]> {
  const providerName = `cognito-idp.${REGION}.amazonaws.com/${USER_POOL_ID}`;
  const amr = overrides.amr === undefined ? ['authenticated', providerName, `${providerName}:CognitoSignIn:4a1f0c3e-user-pool-sub`] : overrides.amr;
  return {
    'cognito-identity.amazonaws.com:aud': overrides.aud ?? IDENTITY_POOL_ID,
    ...(amr === null ? {} : { 'cognito-identity.amazonaws.com:amr': amr }),
  };
}

/**
 * May `principal` assume `roleArn` under this trust policy? Uses the validated
 * `runSimulation`: the `aud` and `amr` keys are known for this action, and the
 * result says whether any were dropped.
 */
export async function decideAssumeRole(
  roleArn: string,
  trustPolicy: PolicyDocumentJson,
  context: Record<string, string | string[]>,
  options: { principal?: string; action?: string } = {},
): Promise<Outcome> {
  const request = { action: options.action ?? 'sts:AssumeRoleWithWebIdentity', resource: roleArn };
  const response = await runSimulation(simulation(options.principal ?? 'cognito-identity.amazonaws.com', request, context, [], trustPolicy), {});
  if (response.resultType === 'error') throw new Error(`iam-simulate rejected the trust policy request: ${JSON.stringify(response.errors)}`);
  if (response.resultType !== 'single') throw new Error('Expected a single-resource simulation');
  if ((response.result.ignoredContextKeys ?? []).length > 0) {
    throw new Error(`iam-simulate ignored ${response.result.ignoredContextKeys!.join(', ')} for ${request.action}`);
  }
  return outcomeOf(response.overallResult);
}

function asArray<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}
