/**
 * A stage synthesized once (no bundling, no rule packs) and wrapped as the
 * local run's LocalTemplate, for tests of services built from the template.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CfnLocalTemplate } from '../../../scripts/local/template/local-template';
import { synthStage } from '../../support/synth';

export const LOCAL_REGION = 'eu-west-1';

export function synthLocalTemplate(stage = 'dev'): CfnLocalTemplate {
  const { template, stack, assembly } = synthStage({ stage, rulePacks: false });
  return new CfnLocalTemplate({ template: template.toJSON(), stackName: stack.stackName, region: LOCAL_REGION, assemblyDir: assembly.directory });
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
