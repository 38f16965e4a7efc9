/**
 * IAM policy documents as JSON, and what IAM does to them at request time:
 * replacing policy variables. Shared by the local run and the IAM tests, so
 * both judge the synthesized policies the same way.
 */
import type { UntypedJson } from '../../common/untyped-json';

/** Policy JSON as synthesized; the evaluator validates it. */
export type Json = UntypedJson;

export interface PolicyDocumentJson {
  readonly Version?: string;
  readonly Statement: Json[];
}

export interface NamedPolicy {
  readonly name: string;
  readonly policy: PolicyDocumentJson;
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

const VARIABLE = /\$\{([^}]+)\}/g;

/**
 * What IAM does at request time: replace `${key}` policy variables in
 * `Resource`, `NotResource` and condition values (never in actions or keys)
 * with the request's value of `key`. A variable with no value is left as it is,
 * so it matches nothing but itself (IAM treats a missing key the same way).
 */
export function substitutePolicyVariables(policy: PolicyDocumentJson, values: Readonly<Record<string, string>>): PolicyDocumentJson {
  const lower = Object.fromEntries(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  const replace = (value: Json): Json => {
    if (typeof value === 'string') return value.replace(VARIABLE, (whole, key: string) => lower[key.toLowerCase()] ?? whole);
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

/** Every condition key and policy variable a policy refers to, lower-cased. */
export function keysUsedBy(policy: PolicyDocumentJson): Set<string> {
  const keys = new Set<string>();
  const scan = (value: Json): void => {
    if (typeof value === 'string') for (const match of value.matchAll(VARIABLE)) keys.add(match[1].toLowerCase());
    else if (Array.isArray(value)) value.forEach(scan);
    else if (value && typeof value === 'object') Object.values(value).forEach(scan);
  };
  for (const statement of asArray(policy.Statement)) {
    scan(statement.Resource);
    scan(statement.NotResource);
    for (const block of Object.values((statement.Condition ?? {}) as Record<string, Record<string, Json>>)) {
      for (const [key, value] of Object.entries(block)) {
        keys.add(key.toLowerCase());
        scan(value);
      }
    }
  }
  return keys;
}
