/**
 * The small subset of API Gateway's mapping-template language (VTL) that the
 * stack's MOCK integrations use for CORS preflights: `#set`, `#if`/`#else`/
 * `#end` with `==`/`!=`, string literals, variables,
 * `$input.params().header.get("Name")` (case-sensitive, "" when absent) and
 * `$context.responseOverride.header.<Name>` / `.status`. Parsed at start: a
 * template using anything else stops the local run, naming what it met.
 */
export class MappingTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingTemplateError';
  }
}

type Expr = { kind: 'literal'; value: string } | { kind: 'var'; name: string } | { kind: 'header'; name: string };
type Node =
  | { kind: 'set'; target: string; value: Expr }
  | { kind: 'if'; left: Expr; op: '==' | '!='; right: Expr; then: Node[]; else: Node[] }
  | { kind: 'text'; text: string };

export interface MappingInput {
  /** Request headers with their names as sent (case-sensitive, as API Gateway's header.get is). */
  readonly headers: Readonly<Record<string, string>>;
}

export interface MappingOutput {
  readonly body: string;
  readonly headerOverrides: Record<string, string>;
  readonly statusOverride?: number;
}

export interface MappingTemplate {
  render(input: MappingInput): MappingOutput;
}

function parseExpr(text: string): Expr {
  const t = text.trim();
  let m = /^"((?:[^"\\]|\\.)*)"$/.exec(t) ?? /^'([^']*)'$/.exec(t);
  if (m) return { kind: 'literal', value: m[1].replace(/\\(.)/g, '$1') };
  m = /^\$input\.params\(\)\.header\.get\("([^"]+)"\)$/.exec(t);
  if (m) return { kind: 'header', name: m[1] };
  m = /^\$\{?([A-Za-z][A-Za-z0-9_]*)\}?$/.exec(t);
  if (m) return { kind: 'var', name: m[1] };
  throw new MappingTemplateError(`mapping template expression ${JSON.stringify(t)} is not emulated by the local run`);
}

export function parseMappingTemplate(source: string): MappingTemplate {
  const root: Node[] = [];
  const stack: Array<{ node: Extract<Node, { kind: 'if' }>; inElse: boolean }> = [];
  const current = () => (stack.length === 0 ? root : stack[stack.length - 1].inElse ? stack[stack.length - 1].node.else : stack[stack.length - 1].node.then);
  for (const rawLine of source.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('##')) continue;
    let m: RegExpExecArray | null;
    if ((m = /^#set\(\s*\$([A-Za-z][A-Za-z0-9_.-]*)\s*=\s*(.+)\)$/.exec(line))) {
      const target = m[1];
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(target) && !/^context\.responseOverride\.(header\.[A-Za-z0-9-]+|status)$/.test(target)) {
        throw new MappingTemplateError(`mapping template: #set of $${target} is not emulated by the local run`);
      }
      current().push({ kind: 'set', target, value: parseExpr(m[2]) });
    } else if ((m = /^#if\(\s*(.+?)\s*(==|!=)\s*(.+)\)$/.exec(line))) {
      const node: Extract<Node, { kind: 'if' }> = { kind: 'if', left: parseExpr(m[1]), op: m[2] as '==' | '!=', right: parseExpr(m[3]), then: [], else: [] };
      current().push(node);
      stack.push({ node, inElse: false });
    } else if (line === '#else') {
      if (stack.length === 0) throw new MappingTemplateError('mapping template: #else without #if');
      stack[stack.length - 1].inElse = true;
    } else if (line === '#end') {
      if (stack.pop() === undefined) throw new MappingTemplateError('mapping template: #end without #if');
    } else if (line.startsWith('#') || line.includes('$')) {
      throw new MappingTemplateError(`mapping template line ${JSON.stringify(line)} is not emulated by the local run`);
    } else {
      current().push({ kind: 'text', text: rawLine });
    }
  }
  if (stack.length > 0) throw new MappingTemplateError('mapping template: #if without #end');

  return {
    render(input) {
      const vars = new Map<string, string>();
      const out: MappingOutput = { body: '', headerOverrides: {} };
      const lines: string[] = [];
      let status: number | undefined;
      const value = (e: Expr): string => (e.kind === 'literal' ? e.value : e.kind === 'header' ? (input.headers[e.name] ?? '') : (vars.get(e.name) ?? ''));
      const run = (nodes: Node[]) => {
        for (const node of nodes) {
          if (node.kind === 'text') lines.push(node.text);
          else if (node.kind === 'set') {
            const v = value(node.value);
            if (node.target === 'context.responseOverride.status') status = Number(v);
            else if (node.target.startsWith('context.responseOverride.header.'))
              out.headerOverrides[node.target.slice('context.responseOverride.header.'.length)] = v;
            else vars.set(node.target, v);
          } else {
            const equal = value(node.left) === value(node.right);
            run((node.op === '==') === equal ? node.then : node.else);
          }
        }
      };
      run(root);
      return { ...out, body: lines.join('\n'), statusOverride: status };
    },
  };
}
