/**
 * docs/configuration.md is generated from the zod schema's descriptions; these
 * tests keep the committed file from drifting and check that the rendering
 * gives every key a row with a meaning.
 */
import * as fs from 'node:fs';
import { z } from 'zod';
import { stageConfigSchema } from '../../lib/config/stage-config';
import { CONFIG_DOCS_FILE, renderConfigDocs } from '../../scripts/write-config-docs';

const committed = fs.readFileSync(CONFIG_DOCS_FILE, 'utf8');
const rendered = renderConfigDocs();
const rowKeys = [...rendered.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]);

/** Every key path of the JSON Schema, as the reference spells it (`[]` for list entries). */
function keyPaths(node: Record<string, unknown>, prefix = ''): string[] {
  const branches = (node.properties ? [node] : ((node.anyOf as Record<string, unknown>[] | undefined) ?? [])).filter((b) => b.properties);
  const paths = new Set<string>();
  for (const branch of branches) {
    for (const [name, child] of Object.entries(branch.properties as Record<string, Record<string, unknown>>)) {
      const key = prefix ? `${prefix}.${name}` : name;
      const items = child.type === 'array' ? (child.items as Record<string, unknown>) : undefined;
      const listOfObjects = items && (items.properties || (items.anyOf as unknown[] | undefined)?.some((b) => (b as Record<string, unknown>).properties));
      const rowKey = listOfObjects ? `${key}[]` : key;
      paths.add(rowKey);
      keyPaths(listOfObjects ? items : child, rowKey).forEach((p) => paths.add(p));
    }
  }
  return [...paths];
}

describe('docs/configuration.md', () => {
  test('GIVEN the zod schema WHEN the reference is rendered THEN it equals the committed file (run `npm run docs:config` if not)', () => {
    expect(committed).toBe(rendered);
  });

  test('GIVEN two renderings WHEN compared THEN they are byte-identical', () => {
    expect(renderConfigDocs()).toBe(rendered);
  });

  test('GIVEN the rendered reference WHEN its rows are read THEN each key appears once, in schema order, and the top-level keys are all there', () => {
    expect(new Set(rowKeys).size).toBe(rowKeys.length);
    const topLevel = Object.keys(z.toJSONSchema(stageConfigSchema, { io: 'input' }).properties ?? {});
    const topLevelRows = rowKeys.filter((key) => !/[.[]/.test(key.replace(/\[\]$/, '')));
    expect(topLevelRows.map((key) => key.replace(/\[\]$/, ''))).toEqual(topLevel);
  });

  test('GIVEN a key repeated under several providers WHEN rendered THEN its keys are spelled out once and the others point there', () => {
    expect(rowKeys).toContain('identityProviders.google.clientSecret.secretName');
    expect(rowKeys).not.toContain('identityProviders.facebook.clientSecret.secretName');
    expect(rendered).toMatch(/\| `identityProviders\.facebook\.clientSecret` \|.*Keys as under `identityProviders\.google\.clientSecret`\./);
  });

  test('GIVEN every key path of the schema WHEN the reference is read THEN each has a row, except below a block spelled out elsewhere', () => {
    const schema = z.toJSONSchema(stageConfigSchema, { io: 'input' }) as Record<string, unknown>;
    const pointers = [...rendered.matchAll(/^\| `([^`]+)` \|.*Keys as under `([^`]+)`\./gm)].map((match) => match[1]);
    const missing = keyPaths(schema).filter((key) => !rowKeys.includes(key) && !pointers.some((p) => key.startsWith(`${p}.`)));
    expect(missing).toEqual([]);
  });

  test('GIVEN every row WHEN read THEN it has a meaning (a key without a .describe() text fails here)', () => {
    const rows = [...rendered.matchAll(/^\| `([^`]+)` \| .* \| .* \| (.*) \|$/gm)];
    expect(rows.length).toBe(rowKeys.length);
    const withoutMeaning = rows.filter((row) => row[2].trim() === '').map((row) => row[1]);
    expect(withoutMeaning).toEqual([]);
  });

  test('GIVEN the row of a key with a zod default WHEN read THEN it shows that default; a key documented with @default shows the text', () => {
    expect(rendered).toContain('| `userPool.passwordPolicy.minLength` | integer 8–99 | `12` |');
    expect(rendered).toContain("| `account` | string | the CLI's account |");
    expect(rendered).toContain('| `webClient` | object | required |');
  });
});
