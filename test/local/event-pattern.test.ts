/** The local EventBridge pattern matcher: each operator it implements, and refusal of the rest. */
import { UnsupportedPatternError, compilePattern } from '../../scripts/local/events/event-pattern';

const s3Event = (key: string, detailType = 'Object Created', bucket = 'user-files') => ({
  source: 'aws.s3',
  'detail-type': detailType,
  detail: { bucket: { name: bucket }, object: { key, size: 5 }, reason: 'PutObject' },
});

describe("GIVEN the upload checks rule's pattern (exact values, nested objects, a key prefix)", () => {
  const matches = compilePattern(
    {
      source: ['aws.s3'],
      'detail-type': ['Object Created', 'Object Deleted'],
      detail: { bucket: { name: ['user-files'] }, object: { key: [{ prefix: 'eu-west-1:' }] } },
    },
    'UploadRule',
  );

  test.each([
    ['an upload under an identity prefix', s3Event('eu-west-1%3Aabc/x.csv'), false],
    ['an upload with a raw identity prefix', s3Event('eu-west-1:abc/x.csv'), true],
    ['a delete under an identity prefix', s3Event('eu-west-1:abc/x.csv', 'Object Deleted'), true],
    ['an upload outside any identity prefix', s3Event('not-permissions/x.csv'), false],
    ['another bucket', s3Event('eu-west-1:abc/x.csv', 'Object Created', 'other'), false],
    ['another detail type', s3Event('eu-west-1:abc/x.csv', 'Object Restore Completed'), false],
    ['an event without detail', { source: 'aws.s3', 'detail-type': 'Object Created' }, false],
  ])('WHEN %s arrives THEN match is %s', (_name, event, expected) => {
    expect(matches(event)).toBe(expected);
  });
});

describe('GIVEN the other operators', () => {
  test('WHEN exists is true or false THEN presence of a leaf decides', () => {
    const present = compilePattern({ detail: { reason: [{ exists: true }] } }, 'p');
    const absent = compilePattern({ detail: { 'deletion-type': [{ exists: false }] } }, 'p');
    expect(present(s3Event('k'))).toBe(true);
    expect(absent(s3Event('k'))).toBe(true);
    expect(absent({ detail: { 'deletion-type': 'Permanently Deleted' } })).toBe(false);
  });

  test('WHEN anything-but names values or a prefix THEN those are excluded and a missing field never matches', () => {
    const notPut = compilePattern({ detail: { reason: [{ 'anything-but': ['PutObject', 'CopyObject'] }] } }, 'p');
    expect(notPut(s3Event('k'))).toBe(false);
    expect(notPut({ detail: { reason: 'POST Object' } })).toBe(true);
    expect(notPut({ detail: {} })).toBe(false);
    const notTmp = compilePattern({ detail: { object: { key: [{ 'anything-but': { prefix: 'tmp/' } }] } } }, 'p');
    expect(notTmp(s3Event('tmp/x'))).toBe(false);
    expect(notTmp(s3Event('data/x'))).toBe(true);
  });

  test('WHEN numeric ranges, suffixes, case-insensitive values and array fields are used THEN each matches as EventBridge does', () => {
    expect(compilePattern({ detail: { object: { size: [{ numeric: ['>', 0, '<=', 5] }] } } }, 'p')(s3Event('k'))).toBe(true);
    expect(compilePattern({ detail: { object: { size: [{ numeric: ['>', 5] }] } } }, 'p')(s3Event('k'))).toBe(false);
    expect(compilePattern({ detail: { object: { key: [{ suffix: '.csv' }] } } }, 'p')(s3Event('a.csv'))).toBe(true);
    expect(compilePattern({ source: [{ 'equals-ignore-case': 'AWS.S3' }] }, 'p')(s3Event('k'))).toBe(true);
    expect(compilePattern({ resources: ['arn:b'] }, 'p')({ resources: ['arn:a', 'arn:b'] })).toBe(true);
    expect(compilePattern({ detail: { object: { size: [5] } } }, 'p')(s3Event('k'))).toBe(true);
    expect(compilePattern({ detail: { object: { size: ['5'] } } }, 'p')(s3Event('k'))).toBe(false);
  });

  test.each([
    [{ detail: { object: { key: [{ wildcard: '*.csv' }] } } }, 'wildcard'],
    [{ $or: [{ source: ['a'] }, { source: ['b'] }] }, '$or'],
    [{ detail: { ip: [{ cidr: '10.0.0.0/8' }] } }, 'cidr'],
  ])('WHEN a pattern uses an operator the local run does not implement (%j) THEN compiling refuses it, naming %s', (pattern, operator) => {
    expect(() => compilePattern(pattern, 'SomeRule')).toThrow(UnsupportedPatternError);
    expect(() => compilePattern(pattern, 'SomeRule')).toThrow(new RegExp(`SomeRule.*${operator.replace('$', '\\$')}`));
  });
});
