/**
 * Handler environment for the tests. Import this first in every handler test:
 * the handlers read their environment once, when their module loads.
 */
export const TEST_ENV = {
  AWS_REGION: 'eu-west-1',
  IDENTITY_POOL_ID: 'eu-west-1:11111111-2222-3333-4444-555555555555',
  USER_POOL_PROVIDER_NAME: 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123',
  IDENTITY_MAP_TABLE: 'identity-map-table',
  BUCKET_NAME: 'user-files-bucket',
  ALLOWED_CONTENT_TYPES: 'text/csv,application/json',
  MAX_UPLOAD_BYTES: '10485760',
  UPLOAD_URL_TTL_SECONDS: '300',
  DOWNLOAD_URL_TTL_SECONDS: '60',
  ALLOWED_ORIGINS: 'https://app.example.com,http://localhost:5173',
  UPLOAD_RESULTS_TABLE: 'upload-results',
  // Presigning needs credentials; these are fake and nothing is ever sent.
  AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
  AWS_SECRET_ACCESS_KEY: 'fakeSecretKeyfakeSecretKeyfakeSecretKey0',
  AWS_SESSION_TOKEN: 'fake-session-token',
  AWS_EC2_METADATA_DISABLED: 'true',
} as const;

Object.assign(process.env, TEST_ENV);
