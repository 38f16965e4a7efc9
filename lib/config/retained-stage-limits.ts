/**
 * The numbers and words of the retained-stage policy. The policy itself is
 * checked once, in stage-config.ts; sections cite these in their key texts.
 */

/** Longest ID/access token lifetime a retained stage accepts: revocation does not reach a token already issued. */
export const MAX_RETAINED_TOKEN_MINUTES = 60;
/** Longest refresh token lifetime a retained stage accepts. */
export const MAX_RETAINED_REFRESH_TOKEN_DAYS = 30;

/** The loopback rule of retained stages, in words (the check is isLoopbackUrl in loopback-host.ts). */
export const LOOPBACK_TEXT =
  'A retained stage refuses any URL whose host is this machine (localhost, *.localhost, 127.0.0.0/8 in any spelling such as 127.1 or 0x7f000001, [::1], 0.0.0.0), over http or https.';
