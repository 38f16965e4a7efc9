/**
 * Runs requests through `@cloud-copilot/iam-simulate`, an IAM evaluator
 * independent of this project, through the same core the local run uses
 * (scripts/local/iam/evaluate-request.ts: policy variables substituted as IAM
 * does at request time, then the validated `runSimulation` with the bucket
 * policy as resource policy). On top of that, each request here is
 * cross-checked with `runUnsafeSimulation` on the policies exactly as
 * synthesized, letting the evaluator substitute `${cognito-identity.amazonaws.com:sub}`
 * itself from the request context. (It cannot take a resource policy: in 0.1.x
 * it loads one without a name and throws, so it sees the identity policies only.)
 */
import { runSimulation, runUnsafeSimulation, type EvaluationResult } from '@cloud-copilot/iam-simulate';
import { evaluateRequest, sessionArn as stsSessionArn, simulationOf } from '../../scripts/local/iam/evaluate-request';
import { ACCOUNT, IDENTITY_POOL_ID, USER_POOL_ID, REGION, type NamedPolicy, type PolicyDocumentJson } from './template-policies';

export const IDENTITY_A = 'eu-west-1:aaaaaaaa-0000-0000-0000-000000000001';
export const IDENTITY_B = 'eu-west-1:bbbbbbbb-0000-0000-0000-000000000002';
/** Written out here on purpose, not imported: a typo in the library must not be copied into the test. */
export const SUB_VARIABLE = '${cognito-identity.amazonaws.com:sub}';

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
  return stsSessionArn(roleArn, 'CognitoIdentityCredentials');
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

function simulation(
  principal: string,
  request: AccessRequest,
  context: Record<string, string | string[]>,
  identityPolicies: readonly NamedPolicy[],
  resourcePolicy?: PolicyDocumentJson,
) {
  return simulationOf({
    principalArn: principal,
    accountId: ACCOUNT,
    action: request.action,
    resource: request.resource,
    identityPolicies,
    resourcePolicy,
    context,
  });
}

/** One request by `caller`, judged by both engines. Validation errors or silently dropped context keys fail the test. */
export async function decide(caller: Caller, request: AccessRequest, resourcePolicy?: PolicyDocumentJson): Promise<Decision> {
  const context = requestContext(caller, request);
  const principal = sessionArn(caller.roleArn);
  const evaluation = await evaluateRequest({
    principalArn: principal,
    accountId: ACCOUNT,
    action: request.action,
    resource: request.resource,
    identityPolicies: caller.identityPolicies,
    resourcePolicy,
    context,
  });
  if (evaluation.ignoredContextKeys.length > 0) {
    throw new Error(
      `iam-simulate ignored context keys ${evaluation.ignoredContextKeys.join(', ')} for ${request.action}; the request would not test what it claims`,
    );
  }
  const unsafeIdentityOnly = runUnsafeSimulation(simulation(principal, request, context, [...caller.identityPolicies]), {});
  return { outcome: outcomeOf(evaluation.result), validated: evaluation.result, unsafeIdentityOnly };
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
