import { createHash } from 'node:crypto';
import { fileNameForLog } from '../../../lambda/shared/log';

describe('fileNameForLog', () => {
  const key = 'eu-west-1:9f8e7d6c-5b4a-4321-8fed-cba987654321/payslip-jane.csv';

  test('GIVEN hash mode WHEN a key is logged THEN sha256: and the first 16 hex digits of its SHA-256, the same every time', () => {
    const expected = `sha256:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
    expect(fileNameForLog(key, 'hash')).toBe(expected);
    expect(fileNameForLog(key, 'hash')).toBe(expected);
    expect(fileNameForLog(`${key}x`, 'hash')).not.toBe(expected);
  });

  test('GIVEN plain mode WHEN a key is logged THEN as it is', () => {
    expect(fileNameForLog(key, 'plain')).toBe(key);
  });
});
