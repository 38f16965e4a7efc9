/**
 * What the local Lambda runner needs of an AWS::Lambda::Function: its bundled
 * code folder in the cloud assembly, handler, timeout, memory, role and
 * environment (intrinsics resolved). Code is found by the asset metadata
 * (`aws:asset:path`) or, without it, by the asset hash in Code.S3Key.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LocalTemplate } from '../contracts';
import type { UntypedJson } from '../../common/untyped-json';

export interface FunctionConfig {
  readonly logicalId: string;
  readonly functionName: string;
  readonly arn: string;
  readonly runtime: string;
  readonly codeDir?: string;
  /** `index` of `index.handler`. */
  readonly modulePath: string;
  /** `handler` of `index.handler`. */
  readonly exportName: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly roleLogicalId: string;
  readonly roleArn: string;
  readonly environment: Readonly<Record<string, string>>;
}

export class FunctionConfigError extends Error {}

type Props = Record<string, UntypedJson>;

function codeDirOf(template: LocalTemplate, logicalId: string, props: Props, metadata: Props | undefined): string | undefined {
  const assetPath = metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string') return path.resolve(template.assemblyDir, assetPath);
  const key = props.Code?.S3Key;
  if (typeof key === 'string') {
    const hash = key.replace(/\.zip$/, '');
    const candidate = path.join(template.assemblyDir, `asset.${hash}`);
    if (fs.existsSync(candidate)) return candidate;
  }
  if (props.Code?.ZipFile !== undefined) throw new FunctionConfigError(`${logicalId}: inline Code.ZipFile is not run by the local run`);
  return undefined;
}

export function functionConfig(template: LocalTemplate, logicalId: string): FunctionConfig {
  const resource = template.resources[logicalId];
  if (!resource || resource.Type !== 'AWS::Lambda::Function') throw new FunctionConfigError(`${logicalId} is not an AWS::Lambda::Function of the template`);
  const props = (resource.Properties ?? {}) as Props;
  const handler = String(props.Handler ?? '');
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) throw new FunctionConfigError(`${logicalId}: Handler ${JSON.stringify(handler)} is not <module>.<export>`);
  const roleId = props.Role?.['Fn::GetAtt']?.[0];
  if (typeof roleId !== 'string') throw new FunctionConfigError(`${logicalId}: its Role is not a role of this template (Fn::GetAtt <Role>.Arn)`);
  const environment = template.resolve<Record<string, unknown> | undefined>(props.Environment?.Variables) ?? {};
  return {
    logicalId,
    functionName: template.resolve<string>({ Ref: logicalId }),
    arn: template.resolve<string>({ 'Fn::GetAtt': [logicalId, 'Arn'] }),
    runtime: String(props.Runtime ?? ''),
    codeDir: codeDirOf(template, logicalId, props, resource.Metadata),
    modulePath: handler.slice(0, dot),
    exportName: handler.slice(dot + 1),
    timeoutSeconds: Number(props.Timeout ?? 3),
    memoryMb: Number(props.MemorySize ?? 128),
    roleLogicalId: roleId,
    roleArn: template.resolve<string>(props.Role),
    environment: Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, String(v)])),
  };
}
