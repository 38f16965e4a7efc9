/**
 * Whether a role's trust policy lets Cognito Identity assume it for an
 * identity (sts:AssumeRoleWithWebIdentity by the cognito-identity.amazonaws.com
 * federated principal, with the aud/amr/sub conditions), as STS checks it
 * before GetCredentialsForIdentity succeeds. Condition operators beyond the
 * string ones are refused rather than guessed.
 */
import type { UntypedJson } from '../../common/untyped-json';
type Statement = Record<string, UntypedJson>;

const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function wildcard(pattern: string, value: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return regex.test(value);
}

function matchesOne(operator: string, expected: string, actual: string): boolean {
  switch (operator) {
    case 'StringEquals':
      return actual === expected;
    case 'StringLike':
      return wildcard(expected, actual);
    case 'StringEqualsIgnoreCase':
      return actual.toLowerCase() === expected.toLowerCase();
    default:
      throw new Error(`trust policy condition operator ${operator} is not evaluated by the local identity pool`);
  }
}

function conditionHolds(rawOperator: string, key: string, expectedRaw: unknown, context: Record<string, string | string[]>): boolean {
  let operator = rawOperator;
  let set: 'ForAnyValue' | 'ForAllValues' | undefined;
  const prefix = /^(ForAnyValue|ForAllValues):/.exec(operator);
  if (prefix) {
    set = prefix[1] as 'ForAnyValue' | 'ForAllValues';
    operator = operator.slice(prefix[0].length);
  }
  const negated = operator.startsWith('StringNot');
  const base = negated ? operator.replace('StringNot', 'String') : operator;
  const expected = asList(expectedRaw).map(String);
  const actualRaw = context[key];
  const actual = actualRaw === undefined ? [] : asList(actualRaw).map(String);
  const anyExpected = (value: string) => expected.some((e) => matchesOne(base, e, value));
  if (set === 'ForAllValues') return actual.every((value) => (negated ? !anyExpected(value) : anyExpected(value)));
  if (set === 'ForAnyValue') return actual.some((value) => (negated ? !anyExpected(value) : anyExpected(value)));
  if (actual.length === 0) return negated;
  if (actual.length > 1) throw new Error(`trust policy condition ${rawOperator} on multi-valued key ${key} needs ForAnyValue or ForAllValues`);
  return negated ? !anyExpected(actual[0]) : anyExpected(actual[0]);
}

function statementApplies(statement: Statement, context: Record<string, string | string[]>): boolean {
  const federated = asList(statement.Principal?.Federated);
  if (statement.Principal !== '*' && !federated.includes('cognito-identity.amazonaws.com')) return false;
  if (!asList(statement.Action).some((a) => typeof a === 'string' && wildcard(a, 'sts:AssumeRoleWithWebIdentity'))) return false;
  for (const [operator, entries] of Object.entries((statement.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const [key, expected] of Object.entries(entries)) if (!conditionHolds(operator, key, expected, context)) return false;
  }
  return true;
}

/** True when an Allow statement applies and no Deny does. Throws on conditions it cannot evaluate. */
export function trustAllows(document: { Statement?: unknown } | undefined, context: Record<string, string | string[]>): boolean {
  const statements = asList(document?.Statement) as Statement[];
  if (statements.some((s) => s.Effect === 'Deny' && statementApplies(s, context))) return false;
  return statements.some((s) => s.Effect === 'Allow' && statementApplies(s, context));
}
