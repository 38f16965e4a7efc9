/**
 * Defaults of every bundled handler function (API routes, triggers, the
 * upload checker), shared by `HandlerFunction`'s `@default`s and the stage
 * schema. Plain data (no CDK).
 */
export const HANDLER_DEFAULTS = {
  memoryMb: 256,
  timeoutSeconds: 10,
  logRetentionDays: 30,
} as const;
