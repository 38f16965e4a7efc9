/**
 * Just enough of DynamoDB's expression grammar to authorize a request as IAM
 * does: the partition key value a key condition pins (`dynamodb:LeadingKeys`)
 * and the top-level attribute names a projection or update touches
 * (`dynamodb:Attributes`). Anything it cannot read is reported, not guessed.
 */
export type AttributeValueJson = Record<string, unknown>;

/** The string IAM compares for a key value: S as is, N as written, B as base64. */
export function keyValueString(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as { S?: unknown; N?: unknown; B?: unknown };
  if (typeof v.S === 'string') return v.S;
  if (typeof v.N === 'string') return v.N;
  if (typeof v.B === 'string') return v.B;
  return undefined;
}

function resolveName(token: string, names: Record<string, string> | undefined): string | undefined {
  return token.startsWith('#') ? names?.[token] : token;
}

/**
 * The value a KeyConditionExpression gives `partitionKey` (`pk = :v` or
 * `:v = pk`, the only form DynamoDB allows for the partition key), or
 * undefined when the expression pins none.
 */
export function partitionValueOfKeyCondition(
  expression: string,
  partitionKey: string,
  names: Record<string, string> | undefined,
  values: Record<string, unknown> | undefined,
): string | undefined {
  const operand = '(#?[A-Za-z0-9_.-]+|:[A-Za-z0-9_]+)';
  const comparison = new RegExp(`${operand}\\s*=\\s*${operand}`, 'g');
  for (const match of expression.matchAll(comparison)) {
    const [left, right] = [match[1], match[2]];
    const [nameToken, valueToken] = left.startsWith(':') ? [right, left] : [left, right];
    if (!valueToken.startsWith(':') || nameToken.startsWith(':')) continue;
    if (resolveName(nameToken, names) === partitionKey) return keyValueString(values?.[valueToken]);
  }
  return undefined;
}

/** Top-level attribute names of a ProjectionExpression (`a, #b.c, d[1]` → a, <#b>, d). */
export function projectionAttributes(expression: string, names: Record<string, string> | undefined): string[] {
  return expression
    .split(',')
    .map((path) => path.trim().split(/[.[]/)[0].trim())
    .filter((token) => token.length > 0)
    .map((token) => resolveName(token, names) ?? token);
}

/** Top-level attribute names an UpdateExpression writes (SET a = …, REMOVE #b, ADD c :v, DELETE d :v). */
export function updateAttributes(expression: string, names: Record<string, string> | undefined): string[] {
  const out = new Set<string>();
  // Clauses start with a keyword; each action in a clause starts a path at the start or after a comma.
  const clauses = expression.split(/\b(SET|REMOVE|ADD|DELETE)\b/i).slice(1);
  for (let i = 0; i + 1 < clauses.length; i += 2) {
    const keyword = clauses[i].toUpperCase();
    for (const action of splitTopLevel(clauses[i + 1])) {
      const path = keyword === 'SET' ? action.split('=')[0] : action.trim().split(/\s+/)[0];
      const token = (path ?? '').trim().split(/[.[]/)[0].trim();
      if (token) out.add(resolveName(token, names) ?? token);
    }
  }
  return [...out];
}

/** Splits on commas outside parentheses (SET a = list_append(a, :v), b = :w). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}
