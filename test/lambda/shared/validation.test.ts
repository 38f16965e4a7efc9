import { encodeNextToken, fileNameFromPath, MAX_KEY_BYTES, parseListQuery, validateFileName } from '../../../lambda/shared/validation';
import { HttpError } from '../../../lambda/shared/http';
import { redact } from '../../../lambda/shared/log';

const ID_LENGTH = 'eu-west-1:9f8e7d6c-5b4a-4321-8fed-cba987654321'.length;

describe('file name rule', () => {
  test.each(['report.csv', 'a', '...', '.hidden', 'my report (1).csv', 'Résumé.csv', '数据.csv', '😀.csv', '%2F.csv', 'a'.repeat(255)])(
    'GIVEN %p WHEN validated THEN accepted unchanged',
    (name) => {
      expect(validateFileName(name, ID_LENGTH)).toBe(name);
    },
  );

  test.each([
    ['empty', ''],
    ['.', '.'],
    ['..', '..'],
    ['reserved route name', 'upload-url'],
    ['slash', 'a/b'],
    ['traversal', '../x'],
    ['backslash', 'a\\b'],
    ['NUL', 'a\0'],
    ['tab', 'a\tb'],
    ['DEL', 'a\x7f'],
    ['C1', 'a\x85'],
    ['RLO U+202E', '\u202Ecsv.exe'],
    ['LRI U+2066', 'a\u2066'],
    ['ZWSP', 'a\u200B'],
    ['ZWJ', 'a\u200D'],
    ['BOM', '\uFEFFa'],
    ['soft hyphen', 'a\u00ADb'],
    ['U+2028', 'a\u2028'],
    ['U+2029', 'a\u2029'],
    ['lone high surrogate', '\uD83D'],
    ['lone low surrogate', 'a\uDE00'],
    ['256 chars', 'a'.repeat(256)],
    ['${filename}', '${filename}'],
  ])('GIVEN %s WHEN validated THEN 400 invalid_request', (_label, name) => {
    expect(() => validateFileName(name, ID_LENGTH)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_request' }));
  });

  test('GIVEN a name whose key would be exactly 1024 bytes WHEN validated THEN accepted, one byte more is refused', () => {
    const fits = '😀'.repeat(Math.floor((MAX_KEY_BYTES - ID_LENGTH - 1) / 4));
    const rest = MAX_KEY_BYTES - ID_LENGTH - 1 - Buffer.byteLength(fits);
    const exact = fits + 'a'.repeat(rest);
    expect(ID_LENGTH + 1 + Buffer.byteLength(exact)).toBe(MAX_KEY_BYTES);
    expect([...exact].length).toBeLessThanOrEqual(255);
    expect(validateFileName(exact, ID_LENGTH)).toBe(exact);
    expect(() => validateFileName(`${exact}a`, ID_LENGTH)).toThrow(HttpError);
  });

  test.each([
    ['plain', 'a.csv', 'a.csv'],
    ['encoded space', 'a%20b.csv', 'a b.csv'],
    ['encoded percent stays a percent (decoded once)', 'a%252F.csv', 'a%2F.csv'],
    ['encoded unicode', '%E6%95%B0.csv', '数.csv'],
    ['raw unicode', '数.csv', '数.csv'],
  ])('GIVEN path parameter %s WHEN read THEN the name is decoded once', (_label, raw, name) => {
    expect(fileNameFromPath({ name: raw }, ID_LENGTH)).toBe(name);
  });
});

describe('list query', () => {
  test('GIVEN no query WHEN parsed THEN limit 100 and no token', () => {
    expect(parseListQuery(null, null)).toEqual({ limit: 100 });
  });

  test('GIVEN a token we issued WHEN parsed THEN the S3 token round-trips', () => {
    const s3Token = '1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=';
    expect(parseListQuery({ nextToken: encodeNextToken(s3Token), limit: '7' }, null)).toEqual({ limit: 7, continuationToken: s3Token });
  });
});

describe('log redaction', () => {
  test('GIVEN a JWT or SigV4 query values in a string WHEN redacted THEN they are gone', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const url = 'https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F20240101&X-Amz-Security-Token=tok&X-Amz-Signature=abc123';
    const out = redact(`token ${jwt} url ${url}`);
    expect(out).not.toContain(jwt);
    expect(out).not.toMatch(/abc123|AKIA|tok&/);
    expect(out).toContain('X-Amz-Signature=[redacted]');
  });
});
