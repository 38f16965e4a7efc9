/**
 * API defaults, shared by `AuthorizedApi`'s `@default`s and the stage schema.
 * Plain data (no CDK). Upload limits and URL lifetimes are the handlers' own
 * defaults (`lambda/shared/handler-env.ts`).
 */
export const API_DEFAULTS = {
  throttlingRateLimit: 50,
  throttlingBurstLimit: 100,
  authorizerCacheSeconds: 300,
  accessLogRetentionDays: 90,
  executionLogLevel: 'error',
  tracing: true,
  handlerMemoryMb: 256,
  handlerTimeoutSeconds: 10,
  handlerLogRetentionDays: 30,
  stageName: 'v1',
} as const;
