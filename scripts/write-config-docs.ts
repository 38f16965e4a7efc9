/**
 * Writes docs/configuration.md, the key-by-key reference of config/<stage>.json,
 * from the zod schema's JSON Schema: the texts are the schema's `.describe()`s,
 * so the reference and the editor hints cannot drift apart.
 *
 *   npx tsx scripts/write-config-docs.ts            # (re)write the file
 *   npx tsx scripts/write-config-docs.ts --check    # exit 1 if the file is stale
 *
 * An optional path argument writes/checks another file.
 */
import * as path from 'node:path';
import { z } from 'zod';
import { stageConfigSchema } from '../lib/config/stage-config';
import { generatedFileCli } from './common/generated-file-cli';

export const CONFIG_DOCS_FILE = path.join(__dirname, '..', 'docs', 'configuration.md');

/** The part of JSON Schema that z.toJSONSchema emits for the stage config. */
interface Node {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  properties?: Record<string, Node>;
  required?: string[];
  additionalProperties?: boolean | Node;
  items?: Node;
  anyOf?: Node[];
  oneOf?: Node[];
}

interface Row {
  key: string;
  type: string;
  default: string;
  meaning: string;
}

const DEFAULT_TAG = /\s*@default\s+([\s\S]*)$/;

const HEADER = `# Stage configuration reference

<!-- Generated from lib/config/stage-config.ts by \`npm run docs:config\` (also part of \`npm run schema\`); do not edit by hand. -->

Every key of \`config/<stage>.json\`, from the same zod schema that validates the file at synth
(\`lib/config/stage-config.ts\`) and that \`config/stage-config.schema.json\` is generated from.
Unknown keys are errors. A key path reads \`userPool.passwordPolicy.minLength\`; \`[]\` marks the
entries of a list, e.g. \`userPool.groups[].name\`. "Default" is what a stage gets without the key;
"required" means the file must set it.

A secret is always a Secrets Manager reference, \`{ "secretName", "jsonField"?, "versionId"? }\`
(or \`versionStage\`), never a value: the template carries only a
\`{{resolve:secretsmanager:…}}\` reference. How to choose sign-in methods, who may sign up and how
machine clients get their secret: [sign-in.md](sign-in.md).

| Key | Type | Default | Meaning |
|---|---|---|---|
`;

/** docs/configuration.md's text: same bytes on every run. */
export function renderConfigDocs(): string {
  const root = z.toJSONSchema(stageConfigSchema, { io: 'input' }) as Node;
  const rows: Row[] = [];
  walkProperties(root, '', rows, new Map());
  const table = rows.map((row) => `| \`${row.key}\` | ${cell(row.type)} | ${cell(row.default)} | ${cell(linkDocs(row.meaning))} |`).join('\n');
  return `${HEADER}${table}\n`;
}

/** Rows for an object's keys (or, for a union of objects, every branch's keys once). */
function walkProperties(node: Node, prefix: string, rows: Row[], seen: Map<string, string>): void {
  const branches = objectBranches(node);
  const emitted = new Set<string>();
  for (const branch of branches) {
    for (const [name, child] of Object.entries(branch.properties ?? {})) {
      const key = prefix ? `${prefix}.${name}` : name;
      if (emitted.has(key)) continue;
      emitted.add(key);
      // In a union of objects (domain, acknowledgements) a key may belong to one form only.
      const requiredIn = branches.filter((b) => (b.required ?? []).includes(name)).length;
      const required: Required = requiredIn === 0 ? 'no' : requiredIn === branches.length ? 'yes' : 'in its form';
      walkKey(child, key, required, rows, seen);
    }
  }
}

type Required = 'yes' | 'no' | 'in its form';

function walkKey(node: Node, key: string, required: Required, rows: Row[], seen: Map<string, string>): void {
  const items = node.type === 'array' ? node.items : undefined;
  const nested = items && objectBranches(items).length > 0 ? items : objectBranches(node).length > 0 ? node : undefined;
  const rowKey = items && nested === items ? `${key}[]` : key;
  const row = { key: rowKey, type: typeOf(node), ...defaultAndMeaning(node, required) };
  rows.push(row);
  if (!nested) return;
  // The same block under several keys (a secret reference, a sign-up policy) is spelled out once.
  const shape = JSON.stringify({ ...nested, description: undefined });
  const first = seen.get(shape);
  if (first !== undefined) {
    row.meaning = `${row.meaning}${row.meaning ? ' ' : ''}Keys as under \`${first}\`.`.trim();
    return;
  }
  seen.set(shape, rowKey);
  walkProperties(nested, rowKey, rows, seen);
}

/** The object schemas a value may be: itself, or the object branches of a union. */
function objectBranches(node: Node): Node[] {
  if (node.properties) return [node];
  return (node.anyOf ?? node.oneOf ?? []).filter((branch) => branch.properties);
}

function typeOf(node: Node): string {
  const union = node.anyOf ?? node.oneOf;
  if (union) return [...new Set(union.map(typeOf))].join(' | ');
  if (node.enum) return node.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (node.const !== undefined) return JSON.stringify(node.const);
  const type = Array.isArray(node.type) ? node.type.join(' | ') : (node.type ?? 'any');
  if (type === 'array' && node.items) {
    const item = typeOf(node.items);
    const list = `${/[ |]/.test(item) ? `(${item})` : item}[]`;
    return node.minItems ? `${list}, at least ${node.minItems}` : list;
  }
  if (type === 'object' && !node.properties && typeof node.additionalProperties === 'object') {
    return `map of ${typeOf(node.additionalProperties)}`;
  }
  if (type === 'string' && node.format) return `string (${node.format})`;
  // zod bounds every integer by the safe-integer range; only a chosen bound says something.
  const min = node.minimum !== undefined && node.minimum > Number.MIN_SAFE_INTEGER ? node.minimum : undefined;
  const max = node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER ? node.maximum : undefined;
  if ((type === 'integer' || type === 'number') && (min !== undefined || max !== undefined)) {
    if (min !== undefined && max !== undefined) return `${type} ${min}–${max}`;
    return min !== undefined ? `${type} ≥ ${min}` : `${type} ≤ ${max}`;
  }
  return type;
}

function defaultAndMeaning(node: Node, required: Required): Pick<Row, 'default' | 'meaning'> {
  const description = (node.description ?? '').replace(/\s+/g, ' ').trim();
  const tagged = DEFAULT_TAG.exec(description);
  const meaning = tagged ? description.slice(0, tagged.index).trim() : description;
  if (node.default !== undefined && !isEmptyObject(node.default)) return { default: `\`${JSON.stringify(node.default)}\``, meaning };
  if (tagged) return { default: tagged[1].trim(), meaning };
  return { default: required === 'yes' ? 'required' : required === 'in its form' ? 'required in its form' : '–', meaning };
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

/** `docs/x.md, "Section"` in a description becomes a link relative to docs/. */
function linkDocs(text: string): string {
  return text.replace(/docs\/([a-z0-9-]+\.md)(?:, "([^"]+)")?/g, (_all, file: string, section?: string) =>
    section ? `[${file}, "${section}"](${file}#${slug(section)})` : `[${file}](${file})`,
  );
}

/** GitHub's heading anchor. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');
}

/**
 * A table cell: pipes escaped so a union type or a text cannot split the row,
 * and, outside code spans, `<` escaped so `<stage>` is not read as HTML.
 */
function cell(text: string): string {
  return text
    .split('`')
    .map((part, i) => (i % 2 === 0 ? part.replace(/</g, '&lt;') : part))
    .join('`')
    .replace(/\|/g, '\\|');
}

if (require.main === module)
  process.exitCode = generatedFileCli({ script: 'docs:config', defaultFile: CONFIG_DOCS_FILE, render: renderConfigDocs }, process.argv.slice(2));
