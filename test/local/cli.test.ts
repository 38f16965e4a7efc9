/**
 * `npm run local` and `npm run smoke -- --local` refuse bad input with one
 * line and exit 1, before writing anything.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, parseLocalArgs } from '../../scripts/local/cli';
import { mainLocal } from '../../scripts/smoke/cli';

describe('npm run local arguments', () => {
  it('GIVEN no arguments THEN stage dev on port 5173, state kept', () => {
    expect(parseLocalArgs([])).toEqual({ stage: 'dev', port: 5173, reset: false, stateRoot: undefined, help: false });
    expect(parseLocalArgs(['--stage', 'prod', '--port', '7000', '--reset'])).toMatchObject({ stage: 'prod', port: 7000, reset: true });
  });

  it.each([
    [['--port', 'abc'], /--port must be a whole number from 1024 to 65530/],
    [['--port', '65533'], /--port must be a whole number/],
    [['--port', '80'], /--port must be a whole number/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /Unexpected argument 'extra'/],
  ])('GIVEN %j THEN a one-line error with the usage', (argv, message) => {
    expect(() => parseLocalArgs(argv)).toThrow(message);
    expect(() => parseLocalArgs(argv)).toThrow(/Usage: npm run local/);
  });

  it('GIVEN a stage without a config file THEN the same one-line error as cdk synth, exit 1, and no state written', async () => {
    const stateRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'local-cli-'));
    const err: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
    try {
      expect(await main(['--stage', 'nosuchstage', '--state-root', stateRoot])).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(err.join('')).toMatch(/^Invalid stage config: config\/nosuchstage\.json: file not found; expected one of the stages there \(.*dev.*\)\n$/);
    expect(fs.readdirSync(stateRoot)).toEqual([]);
    fs.rmSync(stateRoot, { recursive: true, force: true });
  });
});

describe('npm run smoke -- --local', () => {
  it('GIVEN no running local stage THEN it says to start npm run local, exit 1', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'local-smoke-'));
    const out: string[] = [];
    const err: string[] = [];
    expect(await mainLocal(['--stage', 'dev'], { out: (l) => out.push(l), err: (l) => err.push(l) }, root)).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^Error: .*\.local\/dev\/endpoints\.json: file not found; start the stage with `npm run local` first/)]);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
