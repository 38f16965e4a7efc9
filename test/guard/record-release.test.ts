/**
 * `npm run release:record` writes what the guard compares against: one
 * template per shipped stage, asset hashes masked, so recording the same
 * commit from any folder gives the same bytes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listStages } from '../../lib/config/load-stage-config';
import { main, RELEASE_DIR } from '../../scripts/guard/record-release';

const RAW_HASH = /[0-9a-f]{64}/;

describe('release templates', () => {
  test('GIVEN the shipped stages WHEN recorded THEN each gets a 2-space JSON template with every asset hash masked', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'release-'));
    const lines: string[] = [];
    try {
      const code = await main(['--out', out], { out: (l) => lines.push(l), err: (l) => lines.push(l) });

      expect(code).toBe(0);
      expect(fs.readdirSync(out).sort()).toEqual(listStages().map((stage) => `${stage}.template.json`));
      for (const file of fs.readdirSync(out)) {
        const text = fs.readFileSync(path.join(out, file), 'utf8');
        expect(text).not.toMatch(RAW_HASH);
        expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
        expect(text).toContain('"[HASH].zip"');
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('GIVEN the committed release/ folder WHEN read THEN every shipped stage has a masked release template for CI to guard against', () => {
    for (const stage of listStages()) {
      const text = fs.readFileSync(path.join(RELEASE_DIR, `${stage}.template.json`), 'utf8');
      expect(text).not.toMatch(RAW_HASH);
      expect(Object.keys(JSON.parse(text).Resources).length).toBeGreaterThan(0);
    }
  });
});
