/**
 * Matches a request path against the API's resource paths as API Gateway
 * does: a literal segment wins over `{param}`, which wins over a greedy
 * `{param+}`. Path parameters are handed over as sent (still percent-encoded),
 * as REST APIs do (lambda/shared/validation.ts relies on it).
 */
export interface RouteMatch {
  readonly resourcePath: string;
  readonly pathParameters: Record<string, string> | null;
}

interface Node {
  path: string;
  isResource: boolean;
  literals: Map<string, Node>;
  param?: { name: string; node: Node };
  greedy?: { name: string; path: string };
}

export class RouteMatcher {
  private readonly root: Node = { path: '/', isResource: false, literals: new Map() };

  constructor(resourcePaths: Iterable<string>) {
    for (const path of resourcePaths) this.add(path);
  }

  private add(path: string): void {
    let node = this.root;
    if (path === '/') {
      node.isResource = true;
      return;
    }
    for (const segment of path.split('/').slice(1)) {
      const greedy = /^\{([A-Za-z0-9_]+)\+\}$/.exec(segment);
      const param = /^\{([A-Za-z0-9_]+)\}$/.exec(segment);
      if (greedy) {
        node.greedy = { name: greedy[1], path };
        return;
      }
      if (param) {
        node.param ??= { name: param[1], node: { path: '', isResource: false, literals: new Map() } };
        node = node.param.node;
      } else {
        let next = node.literals.get(segment);
        if (!next) node.literals.set(segment, (next = { path: '', isResource: false, literals: new Map() }));
        node = next;
      }
    }
    node.path = path;
    node.isResource = true;
  }

  /** `rawPath` is the path below the stage, e.g. `/files/a%20b.csv/status`. */
  match(rawPath: string): RouteMatch | undefined {
    const segments = rawPath === '/' || rawPath === '' ? [] : rawPath.replace(/\/$/, '').split('/').slice(1);
    const found = this.walk(this.root, segments, {});
    return found && { resourcePath: found.path, pathParameters: Object.keys(found.params).length ? found.params : null };
  }

  private walk(node: Node, segments: string[], params: Record<string, string>): { path: string; params: Record<string, string> } | undefined {
    if (segments.length === 0) return node.isResource ? { path: node.path, params } : undefined;
    const [head, ...rest] = segments;
    if (head === '') return undefined;
    const literal = node.literals.get(head);
    const viaLiteral = literal && this.walk(literal, rest, params);
    if (viaLiteral) return viaLiteral;
    const viaParam = node.param && this.walk(node.param.node, rest, { ...params, [node.param.name]: head });
    if (viaParam) return viaParam;
    if (node.greedy) return { path: node.greedy.path, params: { ...params, [node.greedy.name]: segments.join('/') } };
    return undefined;
  }
}
