/**
 * EventBridge event patterns, for the operators the local run implements:
 * exact values (strings, numbers, booleans, null), `prefix`, `suffix`,
 * `equals-ignore-case`, `exists`, `anything-but` (a value, a list, or
 * prefix/suffix), `numeric`, and nested objects. Any other operator is
 * refused when the pattern is compiled, so a rule never silently matches
 * differently from EventBridge.
 */

export class UnsupportedPatternError extends Error {}

type Json = unknown;
type Matcher = (value: Json, present: boolean) => boolean;

const NUMERIC_OPS: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function isObject(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function exact(expected: Json): Matcher {
  return (value, present) => present && (value === expected || (typeof value === 'number' && typeof expected === 'number' && value === expected));
}

function stringTest(where: string, operator: string, argument: Json): (s: string) => boolean {
  if (operator === 'prefix' || operator === 'suffix') {
    if (typeof argument === 'string') return operator === 'prefix' ? (s) => s.startsWith(argument) : (s) => s.endsWith(argument);
    if (isObject(argument) && Object.keys(argument).length === 1 && typeof argument['equals-ignore-case'] === 'string') {
      const lower = argument['equals-ignore-case'].toLowerCase();
      return operator === 'prefix' ? (s) => s.toLowerCase().startsWith(lower) : (s) => s.toLowerCase().endsWith(lower);
    }
  }
  if (operator === 'equals-ignore-case' && typeof argument === 'string') {
    const lower = argument.toLowerCase();
    return (s) => s.toLowerCase() === lower;
  }
  throw new UnsupportedPatternError(`${where}: ${JSON.stringify({ [operator]: argument })} is not an operator form the local run implements`);
}

function operatorMatcher(where: string, rule: Record<string, Json>): Matcher {
  const keys = Object.keys(rule);
  if (keys.length !== 1) throw new UnsupportedPatternError(`${where}: a matcher object must have exactly one operator, found ${keys.join(', ') || 'none'}`);
  const [operator] = keys;
  const argument = rule[operator];
  switch (operator) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case': {
      const test = stringTest(where, operator, argument);
      return (value, present) => present && typeof value === 'string' && test(value);
    }
    case 'exists':
      if (typeof argument !== 'boolean') throw new UnsupportedPatternError(`${where}: exists takes true or false`);
      // Only leaf values count as existing (EventBridge does not match objects with exists).
      return (value, present) => (present && !isObject(value)) === argument;
    case 'anything-but': {
      let excluded: Matcher;
      if (Array.isArray(argument)) {
        const values = argument.map((v) => exact(v));
        excluded = (value, present) => values.some((m) => m(value, present));
      } else if (isObject(argument)) {
        const [inner] = Object.keys(argument);
        const test = stringTest(`${where} anything-but`, inner, argument[inner]);
        if (Object.keys(argument).length !== 1) throw new UnsupportedPatternError(`${where}: anything-but takes one operator`);
        excluded = (value) => typeof value === 'string' && test(value);
      } else {
        excluded = exact(argument);
      }
      return (value, present) => present && !isObject(value) && !excluded(value, present);
    }
    case 'numeric': {
      if (!Array.isArray(argument) || argument.length % 2 !== 0) throw new UnsupportedPatternError(`${where}: numeric takes [op, number, …]`);
      const tests: Array<(n: number) => boolean> = [];
      for (let i = 0; i < argument.length; i += 2) {
        const op = NUMERIC_OPS[String(argument[i])];
        const bound = argument[i + 1];
        if (!op || typeof bound !== 'number') throw new UnsupportedPatternError(`${where}: numeric ${JSON.stringify(argument)} is not valid`);
        tests.push((n) => op(n, bound));
      }
      return (value, present) => present && typeof value === 'number' && tests.every((t) => t(value));
    }
    default:
      throw new UnsupportedPatternError(`${where}: the pattern operator "${operator}" is not implemented by the local run`);
  }
}

/** A list of allowed values/operators for one field: any may match; an array-valued field matches when any element does. */
function leafMatcher(where: string, list: Json[]): Matcher {
  if (list.length === 0) throw new UnsupportedPatternError(`${where}: an empty list matches nothing in EventBridge; refusing the pattern`);
  const matchers = list.map((entry) => (isObject(entry) ? operatorMatcher(where, entry) : exact(entry)));
  return (value, present) => {
    if (Array.isArray(value)) return value.some((item) => matchers.some((m) => m(item, true)));
    return matchers.some((m) => m(value, present));
  };
}

export type EventMatcher = (event: Json) => boolean;

/** Compiles a pattern (its intrinsics already resolved); `where` names it in errors. */
export function compilePattern(pattern: Json, where: string): EventMatcher {
  if (!isObject(pattern)) throw new UnsupportedPatternError(`${where}: an event pattern must be an object`);
  const fields: Array<[string, Matcher | EventMatcher, boolean]> = [];
  for (const [key, spec] of Object.entries(pattern)) {
    const at = `${where}.${key}`;
    if (key.startsWith('$')) throw new UnsupportedPatternError(`${at}: the pattern operator "${key}" is not implemented by the local run`);
    if (Array.isArray(spec)) fields.push([key, leafMatcher(at, spec), false]);
    else if (isObject(spec)) fields.push([key, compilePattern(spec, at), true]);
    else throw new UnsupportedPatternError(`${at}: a pattern value must be a list or an object, found ${JSON.stringify(spec)}`);
  }
  return (event) => {
    if (!isObject(event)) return false;
    return fields.every(([key, matcher, nested]) => {
      const present = Object.prototype.hasOwnProperty.call(event, key);
      if (nested) return present && (matcher as EventMatcher)(event[key]);
      return matcher(event[key], present);
    });
  };
}
