/**
 * One request judged by `@cloud-copilot/iam-simulate` (AGPL-3.0, a
 * devDependency only), an IAM evaluator independent of this project.
 *
 * The validated `runSimulation` drops context keys it does not know for an
 * action, and it does not know `cognito-identity.amazonaws.com:sub` for S3 or
 * DynamoDB, so the policy variable would never match. So policy variables are
 * substituted first, as IAM does at request time (./policy-document.ts), and
 * the engine keeps validating policies, actions, resource types and the other
 * context keys, with the resource policy (the bucket policy) taken into account.
 */
import { runSimulation, type EvaluationResult, type Simulation } from '@cloud-copilot/iam-simulate';
import { substitutePolicyVariables, type NamedPolicy, type PolicyDocumentJson } from './policy-document';

/** Context keys that exist only for `sts:AssumeRoleWithWebIdentity`; the engine may drop them elsewhere. */
export const COGNITO_IDENTITY_KEYS = ['cognito-identity.amazonaws.com:sub', 'cognito-identity.amazonaws.com:aud', 'cognito-identity.amazonaws.com:amr'];

export type ContextValues = Record<string, string | string[]>;

export interface EvaluationInput {
  /** The calling principal's ARN (an STS assumed-role session for role credentials). */
  readonly principalArn: string;
  readonly accountId: string;
  readonly action: string;
  readonly resource: string;
  readonly identityPolicies: readonly NamedPolicy[];
  readonly resourcePolicy?: PolicyDocumentJson;
  readonly context: ContextValues;
}

export interface Evaluation {
  readonly result: EvaluationResult;
  readonly allowed: boolean;
  /** Context keys the engine dropped for this action, other than the Cognito identity keys it never knows here. */
  readonly ignoredContextKeys: readonly string[];
}

/** `arn:aws:sts::<account>:assumed-role/<role>/<session>`, as STS names a role session. */
export function sessionArn(roleArn: string, sessionName: string): string {
  const match = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  if (!match) throw new Error(`Not a role ARN: ${roleArn}`);
  return `arn:aws:sts::${match[1]}:assumed-role/${match[2]}/${sessionName}`;
}

export function simulationOf(input: EvaluationInput, identityPolicies: readonly NamedPolicy[] = input.identityPolicies): Simulation {
  return {
    request: {
      principal: input.principalArn,
      action: input.action,
      resource: { resource: input.resource, accountId: input.accountId },
      contextVariables: input.context,
    },
    identityPolicies: identityPolicies.map((p) => ({ name: p.name, policy: p.policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: input.resourcePolicy,
  };
}

/**
 * Substitutes the request's values into the policy variables, then runs the
 * validated engine. An invalid policy, action or context value throws (never
 * read as a denial).
 */
export async function evaluateRequest(input: EvaluationInput): Promise<Evaluation> {
  const variables = Object.fromEntries(Object.entries(input.context).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const substituted = input.identityPolicies.map((p) => ({ name: p.name, policy: substitutePolicyVariables(p.policy, variables) }));
  const resourcePolicy = input.resourcePolicy && substitutePolicyVariables(input.resourcePolicy, variables);
  const response = await runSimulation(simulationOf({ ...input, resourcePolicy }, substituted), {});
  if (response.resultType === 'error') {
    throw new Error(`iam-simulate rejected ${input.action} on ${input.resource}: ${JSON.stringify(response.errors)}`);
  }
  if (response.resultType !== 'single') throw new Error(`Expected a single-resource simulation for ${input.resource}`);
  const ignoredContextKeys = (response.result.ignoredContextKeys ?? []).filter((key) => !COGNITO_IDENTITY_KEYS.includes(key.toLowerCase()));
  return { result: response.overallResult, allowed: response.overallResult === 'Allowed', ignoredContextKeys };
}
