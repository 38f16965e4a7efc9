/**
 * `storage.checker.reservedConcurrency`: how many upload checks run at once.
 * A bad value stops synth with one line naming the file and the field.
 */
import { parseStageConfig, StageConfigError } from '../../lib/config/load-stage-config';

const FILE = 'config/test.json';
const base = { webClient: { callbackUrls: ['https://app.example.org/auth/callback'], logoutUrls: ['https://app.example.org/'] } };

function problemsOf(config: unknown): string[] {
  try {
    parseStageConfig(config, FILE);
    return [];
  } catch (error) {
    if (!(error instanceof StageConfigError)) throw error;
    return error.problems;
  }
}

describe('storage.checker.reservedConcurrency', () => {
  test('GIVEN no storage.checker WHEN validated THEN the checker reserves 5, as before the key existed', () => {
    expect(parseStageConfig(base, FILE).storage.checker.reservedConcurrency).toBe(5);
  });

  test.each([2, 12, 1000])('GIVEN %i WHEN validated THEN it is accepted', (value) => {
    expect(parseStageConfig({ ...base, storage: { checker: { reservedConcurrency: value } } }, FILE).storage.checker.reservedConcurrency).toBe(value);
  });

  test.each<[unknown, string, string]>([
    [1, '>=2', '1'],
    [0, '>=2', '0'],
    [1001, '<=1000', '1001'],
    [2.5, 'int', '2.5'],
    ['5', 'number', '"5"'],
  ])('GIVEN %j WHEN validated THEN one line names the file and the field, what was expected and what was found', (value, expected, found) => {
    const problems = problemsOf({ ...base, storage: { checker: { reservedConcurrency: value } } });
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(`${FILE}: storage.checker.reservedConcurrency: expected `)).toBe(true);
    expect(problems[0]).toContain(expected);
    expect(problems[0]).toMatch(new RegExp(`; found ${found.replace(/[.]/g, '\\.')}$`));
  });

  test('GIVEN an unknown key under storage.checker WHEN validated THEN it is refused by name', () => {
    expect(problemsOf({ ...base, storage: { checker: { concurrency: 5 } } })).toEqual([
      expect.stringMatching(/^config\/test\.json: storage\.checker\.concurrency: expected no such key/),
    ]);
  });
});
