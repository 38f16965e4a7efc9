/**
 * The upload checker's CloudWatch metrics: pure data, so the stack's alarms
 * (lib/) and the checker name the same metric (docs/design.md, "Seams").
 * Published dimensionless through the embedded metric format (lambda/shared/emf.ts).
 */
export const UPLOAD_CHECK_METRICS = {
  namespace: 'CognitoAccess/UploadChecks',
  /** Count of bucket events for keys outside every `<identityId>/` prefix: nothing should write there. */
  keysOutsideIdentityPrefix: 'KeysOutsideIdentityPrefix',
} as const;
