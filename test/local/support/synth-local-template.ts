/**
 * A stage synthesized once (no bundling, no rule packs; cached across files) and wrapped as the
 * local run's LocalTemplate, for tests of services built from the template.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CfnLocalTemplate } from '../../../scripts/local/template/local-template';
import { cachedStageTemplate } from '../../support/stage-template-cache';

export const LOCAL_REGION = 'eu-west-1';

export function synthLocalTemplate(stage = 'dev'): CfnLocalTemplate {
  // Read-only use of the template and its assets: one synth shared by every file (test/support/stage-template-cache.ts).
  const { template, stackName, assemblyDir } = cachedStageTemplate(stage);
  return new CfnLocalTemplate({ template, stackName, region: LOCAL_REGION, assemblyDir });
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
