import type { CfnTemplate } from './compare-templates';

/**
 * The template with asset hashes and the bootstrap asset bucket masked.
 * Release templates are recorded without bundling and from any folder, so
 * their hashes never match a deployed stack's; masking both sides keeps a
 * handler edit from reading as a change at all (only Lambda code and the site
 * deployment carry them, and neither holds data).
 */
export function maskAssetHashes(template: CfnTemplate): CfnTemplate {
  const text = JSON.stringify(template)
    .replace(/[0-9a-f]{64}(\.zip|\.json)?/g, (_m, ext: string | undefined) => `[HASH]${ext ?? ''}`)
    .replace(/cdk-hnb659fds-assets-\$\{AWS::AccountId\}-\$\{AWS::Region\}/g, '[ASSET-BUCKET]');
  return JSON.parse(text) as CfnTemplate;
}
