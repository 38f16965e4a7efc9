/**
 * Secret references pin a version so a rotated value reaches the stack:
 * CloudFormation re-reads a dynamic reference only when its text changes.
 */
import { Stack } from 'aws-cdk-lib';
import { secretFromReference } from '../../lib/util/secret-reference';

const resolved = (ref: Parameters<typeof secretFromReference>[0]) => new Stack().resolve(secretFromReference(ref));

describe('secretFromReference', () => {
  test('GIVEN a version ID WHEN resolved THEN the dynamic reference names that version', () => {
    expect(resolved({ secretName: 'idp/google', jsonField: 'clientSecret', versionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' })).toBe(
      '{{resolve:secretsmanager:idp/google:SecretString:clientSecret::a1b2c3d4-5678-90ab-cdef-EXAMPLE11111}}',
    );
  });

  test('GIVEN a version stage WHEN resolved THEN the dynamic reference names that staging label', () => {
    expect(resolved({ secretName: 'idp/okta', versionStage: 'AWSPENDING' })).toBe('{{resolve:secretsmanager:idp/okta:SecretString::AWSPENDING:}}');
  });

  test('GIVEN a new version ID WHEN resolved THEN the reference text differs (so CloudFormation reads the new value)', () => {
    const before = resolved({ secretName: 'idp/google', versionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' });
    const after = resolved({ secretName: 'idp/google', versionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE22222' });
    expect(after).not.toBe(before);
  });

  test('GIVEN both a version ID and a stage WHEN resolved THEN it is refused', () => {
    expect(() => secretFromReference({ secretName: 'idp/google', versionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111', versionStage: 'AWSCURRENT' })).toThrow(
      /only one/,
    );
  });
});
