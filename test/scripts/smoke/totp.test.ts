import { base32Decode, totp } from '../../../scripts/smoke/totp';

describe('totp', () => {
  // RFC 6238 appendix B, SHA-1 secret "12345678901234567890"; the 8-digit values end in these 6 digits.
  test.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1234567890, '005924'],
    [20000000000, '353130'],
  ])('GIVEN the RFC 6238 secret WHEN the time is %i s THEN the code is %s', (seconds, code) => {
    expect(totp(Buffer.from('12345678901234567890'), seconds * 1000)).toBe(code);
  });

  test('GIVEN the base32 form of the RFC secret WHEN decoded THEN it is the ASCII secret', () => {
    expect(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ').toString('ascii')).toBe('12345678901234567890');
    expect(base32Decode('gezdgnbvgy3tqojq====').toString('ascii')).toBe('1234567890');
  });

  test('GIVEN a character outside base32 WHEN decoded THEN it throws', () => {
    expect(() => base32Decode('ABC1')).toThrow('not base32');
  });
});
