/**
 * Just enough JSON Schema (draft 2020-12) to check our stage files against
 * config/stage-config.schema.json without adding a validator dependency:
 * type, properties, required, additionalProperties: false, items, enum,
 * pattern, length/size bounds and anyOf, which is everything the generated
 * schema uses. Unknown keywords fail loudly so a new zod feature is noticed.
 */
export type JsonSchema = Record<string, unknown>;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'default', 'format']);
const CHECKED = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'anyOf',
  'propertyNames',
]);

/** Problems as `<json path>: <what>`; [] when the value conforms. */
export function validateJsonSchema(schema: JsonSchema, value: unknown, at = '$'): string[] {
  for (const keyword of Object.keys(schema)) {
    if (!ANNOTATIONS.has(keyword) && !CHECKED.has(keyword)) throw new Error(`json-schema-lite: unsupported keyword "${keyword}" at ${at}`);
  }
  if (Array.isArray(schema.anyOf)) {
    const branches = (schema.anyOf as JsonSchema[]).map((branch) => validateJsonSchema(branch, value, at));
    if (!branches.some((problems) => problems.length === 0)) return [`${at}: matches none of anyOf (${branches.map((p) => p[0]).join(' | ')})`];
  }
  if (schema.type !== undefined && !hasType(value, schema.type as string)) return [`${at}: expected ${String(schema.type)}, found ${JSON.stringify(value)}`];
  const problems: string[] = [];
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) problems.push(`${at}: expected one of ${JSON.stringify(schema.enum)}`);
  if ('const' in schema && schema.const !== value) problems.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) problems.push(`${at}: does not match ${schema.pattern}`);
    if (typeof schema.minLength === 'number' && [...value].length < schema.minLength) problems.push(`${at}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) problems.push(`${at}: longer than ${schema.maxLength}`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) problems.push(`${at}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) problems.push(`${at}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) problems.push(`${at}: fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) problems.push(`${at}: more than ${schema.maxItems} items`);
    if (schema.items) value.forEach((item, i) => problems.push(...validateJsonSchema(schema.items as JsonSchema, item, `${at}[${i}]`)));
  }
  if (isObject(value)) {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in value)) problems.push(`${at}.${key}: required`);
    for (const [key, child] of Object.entries(value)) {
      if (key in properties) problems.push(...validateJsonSchema(properties[key], child, `${at}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${at}.${key}: not allowed`);
      else if (isObject(schema.additionalProperties)) problems.push(...validateJsonSchema(schema.additionalProperties, child, `${at}.${key}`));
      if (isObject(schema.propertyNames)) problems.push(...validateJsonSchema(schema.propertyNames, key, `${at}.${key} (name)`));
    }
  }
  return problems;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    default:
      return typeof value === type;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
