/**
 * The synthesized stage as the local run sees it (docs/local.md): resources in
 * template order, and CloudFormation intrinsics resolved to local physical
 * values. Anything it cannot resolve faithfully throws `TemplateResolutionError`
 * naming the construct and the intrinsic: the local run never guesses.
 */
import type { LocalTemplate, TemplateResource } from '../contracts';
import { defaultPhysical, type Physical } from './physical-ids';

export const LOCAL_ACCOUNT_ID = '000000000000';

export class TemplateResolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateResolutionError';
  }
}

export interface TemplateJson {
  readonly Resources?: Record<string, TemplateResource>;
  readonly Parameters?: Record<string, { Type: string; Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Outputs?: Record<string, { Value: unknown; Condition?: string }>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

export interface LocalTemplateOptions {
  readonly template: TemplateJson;
  readonly stackName: string;
  readonly region: string;
  readonly assemblyDir: string;
  /** @default '000000000000' */
  readonly accountId?: string;
}

/** Marks `Ref: AWS::NoValue` while resolving; removed from objects and arrays. */
const NO_VALUE = Symbol('AWS::NoValue');

export class CfnLocalTemplate implements LocalTemplate {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  readonly resources: Readonly<Record<string, TemplateResource>>;
  readonly assemblyDir: string;
  readonly outputs: Readonly<Record<string, { Value: unknown; Condition?: string }>>;
  private readonly parameters: Record<string, { Type: string; Default?: unknown }>;
  private readonly conditions: Record<string, unknown>;
  private readonly mappings: Record<string, Record<string, Record<string, unknown>>>;
  private readonly physical = new Map<string, Physical>();
  /** Logical IDs whose physical ID has been handed out; a later setPhysical may not change it. */
  private readonly handedOut = new Set<string>();
  private readonly conditionValues = new Map<string, boolean>();

  constructor(options: LocalTemplateOptions) {
    this.stackName = options.stackName;
    this.region = options.region;
    this.accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
    this.assemblyDir = options.assemblyDir;
    this.resources = options.template.Resources ?? {};
    this.parameters = options.template.Parameters ?? {};
    this.conditions = options.template.Conditions ?? {};
    this.mappings = options.template.Mappings ?? {};
    this.outputs = options.template.Outputs ?? {};
  }

  resourcesOfType(type: string): string[] {
    return Object.keys(this.resources).filter((id) => this.resources[id].Type === type);
  }

  /** The resource `logicalId`; throws when the template has none. */
  resource(logicalId: string): TemplateResource {
    const resource = this.resources[logicalId];
    if (!resource) throw new TemplateResolutionError(`the template has no resource ${logicalId}`);
    return resource;
  }

  /** The local physical ID (what Ref returns) of a resource. */
  physicalId(logicalId: string): string {
    return this.physicalOf(logicalId).ref;
  }

  /** An attribute (what Fn::GetAtt returns) of a resource; throws when the local run does not know it. */
  attribute(logicalId: string, name: string): string {
    const value = this.physicalOf(logicalId).attributes[name];
    if (value === undefined) {
      throw new TemplateResolutionError(
        `Fn::GetAtt ${logicalId}.${name}: the local run has no value for attribute ${name} of ${this.resource(logicalId).Type}`,
      );
    }
    return value;
  }

  setPhysical(logicalId: string, physicalId: string, attributes: Record<string, string> = {}): void {
    this.resource(logicalId);
    const current = this.physical.get(logicalId);
    if (this.handedOut.has(logicalId) && current && current.ref !== physicalId) {
      // Something already resolved the old ID (a policy, an environment variable): changing it now would split the stack.
      throw new TemplateResolutionError(`setPhysical ${logicalId}: its physical ID ${current.ref} was already used; set it before anything resolves it`);
    }
    this.physical.set(logicalId, { ref: physicalId, attributes: { ...(current?.attributes ?? {}), ...attributes } });
  }

  /** Whether the template's condition holds (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition). */
  condition(name: string): boolean {
    const known = this.conditionValues.get(name);
    if (known !== undefined) return known;
    if (!(name in this.conditions)) throw new TemplateResolutionError(`the template has no condition ${name}`);
    const value = this.resolve(this.conditions[name]);
    if (typeof value !== 'boolean') throw new TemplateResolutionError(`condition ${name} did not resolve to a boolean`);
    this.conditionValues.set(name, value);
    return value;
  }

  /** Whether a resource is created (no Condition, or its Condition holds). */
  isCreated(logicalId: string): boolean {
    const condition = (this.resource(logicalId) as { Condition?: string }).Condition;
    return condition === undefined || this.condition(condition);
  }

  resolve<T = unknown>(value: unknown): T {
    const resolved = this.resolveValue(value, []);
    return (resolved === NO_VALUE ? undefined : resolved) as T;
  }

  private physicalOf(logicalId: string): Physical {
    const resource = this.resource(logicalId);
    let physical = this.physical.get(logicalId);
    if (!physical) {
      physical = defaultPhysical(this, logicalId, resource, (name) => {
        const resolved = this.resolve(name);
        if (typeof resolved !== 'string') throw new TemplateResolutionError(`${logicalId}: its name did not resolve to a string`);
        return resolved;
      });
      this.physical.set(logicalId, physical);
    }
    this.handedOut.add(logicalId);
    return physical;
  }

  private resolveValue(value: unknown, at: string[]): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolveValue(item, at)).filter((item) => item !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, argument] = entries[0];
      if (key === 'Ref') return this.ref(argument);
      if (key.startsWith('Fn::')) return this.intrinsic(key, argument, at);
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      const resolved = this.resolveValue(item, [...at, key]);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }

  private ref(target: unknown): unknown {
    if (typeof target !== 'string') throw new TemplateResolutionError(`Ref ${JSON.stringify(target)}: expected a logical ID or pseudo parameter`);
    switch (target) {
      case 'AWS::Region':
        return this.region;
      case 'AWS::AccountId':
        return this.accountId;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.stackName;
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${this.region}:${this.accountId}:stack/${this.stackName}/00000000-0000-4000-8000-000000000000`;
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::NotificationARNs':
        return [];
    }
    if (target in this.resources) return this.physicalId(target);
    const parameter = this.parameters[target];
    if (parameter) {
      if (parameter.Type.startsWith('AWS::SSM::Parameter::')) {
        // Its value lives in an account's Parameter Store, which the local run does not have.
        throw new TemplateResolutionError(`Ref ${target}: an SSM-typed parameter (${parameter.Type}) has no local value`);
      }
      if (parameter.Default === undefined)
        throw new TemplateResolutionError(`Ref ${target}: the parameter has no Default, and the local run takes no parameters`);
      return parameter.Default;
    }
    throw new TemplateResolutionError(`Ref ${target}: no such resource or parameter in the template`);
  }

  private intrinsic(name: string, argument: unknown, at: string[]): unknown {
    switch (name) {
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(argument) ? argument : typeof argument === 'string' ? splitOnce(argument, '.') : [];
        if (typeof logicalId !== 'string' || typeof attribute !== 'string')
          throw new TemplateResolutionError(`Fn::GetAtt ${JSON.stringify(argument)}: expected [logicalId, attribute]`);
        return this.attribute(logicalId, attribute);
      }
      case 'Fn::Join': {
        const [separator, items] = this.args(name, argument, 2);
        const list = this.resolveValue(items, at);
        if (typeof separator !== 'string' || !Array.isArray(list)) throw new TemplateResolutionError(`Fn::Join: expected [separator, [values]]`);
        return list.map((item) => this.scalar(name, item)).join(separator);
      }
      case 'Fn::Sub':
        return this.sub(argument, at);
      case 'Fn::Select': {
        const [index, items] = this.args(name, argument, 2);
        const list = this.resolveValue(items, at);
        const i = Number(this.resolveValue(index, at));
        if (!Array.isArray(list) || !Number.isInteger(i) || i < 0 || i >= list.length) throw new TemplateResolutionError(`Fn::Select: index ${i} out of range`);
        return list[i];
      }
      case 'Fn::Split': {
        const [separator, source] = this.args(name, argument, 2);
        const text = this.resolveValue(source, at);
        if (typeof separator !== 'string' || typeof text !== 'string') throw new TemplateResolutionError(`Fn::Split: expected [separator, string]`);
        return text.split(separator);
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = this.args(name, argument, 3);
        if (typeof condition !== 'string') throw new TemplateResolutionError(`Fn::If: expected a condition name`);
        return this.resolveValue(this.condition(condition) ? whenTrue : whenFalse, at);
      }
      case 'Fn::Equals': {
        const [a, b] = this.args(name, argument, 2);
        return JSON.stringify(this.resolveValue(a, at)) === JSON.stringify(this.resolveValue(b, at));
      }
      case 'Fn::And':
      case 'Fn::Or': {
        if (!Array.isArray(argument)) throw new TemplateResolutionError(`${name}: expected a list of conditions`);
        const values = argument.map((item) => this.conditionOperand(item, [...at, name]));
        return name === 'Fn::And' ? values.every((v) => v === true) : values.some((v) => v === true);
      }
      case 'Fn::Not': {
        const [inner] = this.args(name, argument, 1);
        return this.conditionOperand(inner, [...at, name]) !== true;
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = this.args(name, argument, 3).map((part) => this.resolveValue(part, at));
        const value = this.mappings[String(map)]?.[String(top)]?.[String(second)];
        if (value === undefined) throw new TemplateResolutionError(`Fn::FindInMap ${map}.${top}.${second}: no such entry`);
        return this.resolveValue(value, at);
      }
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((zone) => `${this.region}${zone}`);
      case 'Fn::Base64': {
        const text = this.resolveValue(argument, at);
        return Buffer.from(this.scalar(name, text)).toString('base64');
      }
      default:
        throw new TemplateResolutionError(`${name} at ${at.join('.') || '(top)'}: the local run does not resolve this intrinsic`);
    }
  }

  /** An operand of Fn::And/Or/Not: an intrinsic or `{ "Condition": name }`. */
  private conditionOperand(item: unknown, at: string[]): unknown {
    const condition = (item as { Condition?: unknown } | null)?.Condition;
    if (typeof condition === 'string' && Object.keys(item as object).length === 1) return this.condition(condition);
    return this.resolveValue(item, at);
  }

  private sub(argument: unknown, at: string[]): string {
    const [template, variables] = typeof argument === 'string' ? [argument, {}] : this.args('Fn::Sub', argument, 2);
    if (typeof template !== 'string' || variables === null || typeof variables !== 'object')
      throw new TemplateResolutionError(`Fn::Sub: expected a string or [string, {variables}]`);
    const vars = variables as Record<string, unknown>;
    return template.replace(/\$\{([^}]*)\}/g, (_whole, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      if (name in vars) return this.scalar('Fn::Sub', this.resolveValue(vars[name], at));
      const dot = name.indexOf('.');
      if (dot > 0 && name.slice(0, dot) in this.resources) return this.attribute(name.slice(0, dot), name.slice(dot + 1));
      return this.scalar('Fn::Sub', this.ref(name));
    });
  }

  private args(name: string, argument: unknown, count: number): unknown[] {
    if (!Array.isArray(argument) || argument.length !== count) throw new TemplateResolutionError(`${name}: expected a list of ${count}`);
    return argument;
  }

  private scalar(name: string, value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new TemplateResolutionError(`${name}: expected a string, found ${JSON.stringify(value)}`);
  }
}

function splitOnce(text: string, separator: string): [string, string] | [] {
  const i = text.indexOf(separator);
  return i < 0 ? [] : [text.slice(0, i), text.slice(i + 1)];
}
