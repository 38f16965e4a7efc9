/**
 * Reads the stage's stack template out of a cloud assembly (manifest.json →
 * the stack artifact's template file) and wraps it as a LocalTemplate.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnLocalTemplate, TemplateResolutionError, type TemplateJson } from './local-template';

/** The region of an environment-agnostic stack: where `cdk deploy` goes without one (docs/local.md). */
export const DEFAULT_LOCAL_REGION = 'us-east-1';

interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string };
  readonly displayName?: string;
}

export interface LoadTemplateOptions {
  readonly assemblyDir: string;
  /** The artifact ID (= construct ID) of the stack. */
  readonly stackId: string;
  /** Used when the stack is environment-agnostic. @default DEFAULT_LOCAL_REGION */
  readonly defaultRegion?: string;
}

export function loadLocalTemplate(options: LoadTemplateOptions): CfnLocalTemplate {
  const manifestFile = path.join(options.assemblyDir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  const artifact = manifest.artifacts?.[options.stackId];
  if (!artifact || artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) {
    const stacks = Object.entries(manifest.artifacts ?? {})
      .filter(([, a]) => a.type === 'aws:cloudformation:stack')
      .map(([id]) => id);
    throw new TemplateResolutionError(`${manifestFile}: no stack ${options.stackId} (found ${stacks.join(', ') || 'none'})`);
  }
  const template = JSON.parse(fs.readFileSync(path.join(options.assemblyDir, artifact.properties.templateFile), 'utf8')) as TemplateJson;
  // aws://<account>/<region>; "unknown-region" for an environment-agnostic stack.
  const region = /^aws:\/\/[^/]+\/([a-z0-9-]+)$/.exec(artifact.environment ?? '')?.[1];
  return new CfnLocalTemplate({
    template,
    stackName: artifact.properties.stackName ?? options.stackId,
    region: region && region !== 'unknown-region' ? region : (options.defaultRegion ?? DEFAULT_LOCAL_REGION),
    assemblyDir: options.assemblyDir,
  });
}
