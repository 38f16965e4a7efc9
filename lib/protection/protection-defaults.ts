/**
 * Protection defaults (WAF, log encryption), shared by the constructs'
 * `@default`s and the stage schema. Plain data (no CDK).
 */
export const PROTECTION_DEFAULTS = {
  logEncryption: false,
  waf: {
    enabled: false,
    /** Requests one client IP may send in any 5-minute window before WAF blocks it. */
    rateLimitPer5Minutes: 2000,
    /** AWS managed rule groups, evaluated in this order before the rate rule. */
    managedRuleGroups: ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'],
    /** WAF log retention; a WAF log names client IPs and request paths. */
    logRetentionDays: 365,
  },
} as const;
