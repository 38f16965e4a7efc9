/**
 * Defaults of the hosted web app (`webApp` in a stage config, and the
 * `HostedWebApp` construct's props). Pure data.
 */
export const WEB_APP_DEFAULTS = {
  /** Host the web app (S3 + CloudFront) in the stack. */
  enabled: false,
  /** Days CloudFront and S3 access logs of the site are kept. */
  accessLogRetentionDays: 90,
  /** Days a replaced version of a site file is kept (rollback by hand). */
  previousSiteVersionDays: 30,
  /** HSTS max-age: two years, the value browsers' preload lists expect. */
  hstsMaxAgeDays: 730,
} as const;
