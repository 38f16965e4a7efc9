/**
 * A LocalTemplate over a small hand-made template fragment, for tests that
 * need a few resources and no synth.
 */
import type { TemplateResource } from '../../../scripts/local/contracts';
import { CfnLocalTemplate } from '../../../scripts/local/template/local-template';

export function templateFragment(resources: Record<string, TemplateResource>, region = 'eu-west-1', stackName = 'Fragment'): CfnLocalTemplate {
  return new CfnLocalTemplate({ template: { Resources: resources }, stackName, region, assemblyDir: '/nonexistent' });
}
