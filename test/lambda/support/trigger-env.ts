/**
 * Trigger environment for the trigger tests; import first (the triggers read
 * their environment when their module loads).
 */
export const TRIGGER_TEST_ENV = {
  AWS_REGION: 'eu-west-1',
  ALLOWED_EMAIL_DOMAINS: 'example.org, Partner.Example.NET',
  // One provider per policy; Cognito's own names, as the stack writes them.
  PROVIDER_SIGN_UP: JSON.stringify({ Google: 'open', Facebook: 'existingUsers', Okta: { allowedEmailDomains: ['example.org'] } }),
  DEFAULT_GROUP: 'members',
  AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
  AWS_SECRET_ACCESS_KEY: 'fakeSecretKeyfakeSecretKeyfakeSecretKey0',
  AWS_EC2_METADATA_DISABLED: 'true',
} as const;

Object.assign(process.env, TRIGGER_TEST_ENV);
