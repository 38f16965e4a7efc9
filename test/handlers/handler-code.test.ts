/**
 * The synth path of the handler bundles (the bundle test covers esbuild alone):
 * with bundling on, every function's asset is one `index.js` built by
 * `bundledHandlerCode`, and its asset hash is the hash of that bundle.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { API_ROUTES } from '../../lib/api/routes';
import { synthStage } from '../support/synth';

const { template, assembly, stack } = synthStage({ stage: 'dev', bundling: true, rulePacks: false });

test('GIVEN bundling on WHEN the dev stage is synthesized THEN each handler ships exactly one minified index.js exporting handler', () => {
  const functions = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith('AuthorizedApi'));
  expect(functions).toHaveLength(API_ROUTES.length);
  const hashes = new Set<string>();
  for (const [, fn] of functions) {
    expect(fn.Properties.Handler).toBe('index.handler');
    const hash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '');
    hashes.add(hash);
    const dir = path.join(assembly.directory, `asset.${hash}`);
    expect(fs.readdirSync(dir)).toEqual(['index.js']);
    const code = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
    expect(code).toMatch(/handler/);
    expect(code.split('\n').length).toBeLessThan(50); // minified
  }
  // Five different handlers, five different bundles.
  expect(hashes.size).toBe(API_ROUTES.length);
  expect(stack.bundlingRequired).toBe(true);
});
