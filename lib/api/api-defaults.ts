/**
 * API defaults, shared by `AuthorizedApi`'s `@default`s and the stage schema.
 * Plain data (no CDK). Upload limits and URL lifetimes are the handlers' own
 * defaults (`contracts/handler-env.ts`).
 */
import { HANDLER_DEFAULTS } from '../handlers/handler-defaults';

export const API_DEFAULTS = {
  throttlingRateLimit: 50,
  throttlingBurstLimit: 100,
  authorizerCacheSeconds: 300,
  accessLogRetentionDays: 90,
  executionLogLevel: 'error',
  tracing: true,
  handlerMemoryMb: HANDLER_DEFAULTS.memoryMb,
  handlerTimeoutSeconds: HANDLER_DEFAULTS.timeoutSeconds,
  handlerLogRetentionDays: HANDLER_DEFAULTS.logRetentionDays,
  stageName: 'v1',
} as const;
