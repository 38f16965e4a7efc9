/** `protection`: WAF, alarms and log encryption, and the RegionalWebAcl props they become. */
import { z } from 'zod';
import { PROTECTION_DEFAULTS } from '../../protection/protection-defaults';
import type { RegionalWebAclProps } from '../../protection/web-acl';
import { removalPolicyOf } from '../removal';
import type { StageConfig } from '../stage-config';

const WAF = PROTECTION_DEFAULTS.waf;

export const protection = z
  .strictObject({
    waf: z
      .strictObject({
        enabled: z
          .boolean()
          .default(WAF.enabled)
          .describe(
            'Create a regional WAFv2 web ACL for the user pool and the API stage (instead of api.webAclArn). WAF logs go to the aws-waf-logs-<stackName> log group (1 year) with the Authorization and Cookie headers and the query string redacted.',
          ),
        rateLimitPer5Minutes: z
          .number()
          .int()
          .min(10)
          .max(2_000_000_000)
          .default(WAF.rateLimitPer5Minutes)
          .describe('Requests one client IP may send in any 5 minutes before WAF blocks it (rule RateLimitPerIp).'),
        managedRuleGroups: z
          .array(z.string().regex(/^AWSManagedRules[A-Za-z0-9]+$/, 'an AWS managed rule group name such as AWSManagedRulesCommonRuleSet'))
          .default([...WAF.managedRuleGroups])
          .refine((groups) => new Set(groups).size === groups.length, 'each rule group once')
          .describe('AWS managed rule groups the web ACL runs, in order, before the rate rule.'),
      })
      .prefault({})
      .describe('The regional web ACL.'),
    alarmEmail: z
      .email()
      .optional()
      .describe(
        'Email subscribed to the alarm topic (confirm the subscription mail). Without it the alarms and the topic still exist; subscribe to the AlarmTopicArn output yourself.',
      ),
    logEncryption: z
      .boolean()
      .default(PROTECTION_DEFAULTS.logEncryption)
      .describe(
        'Encrypt every log group of the stack (API access logs, handlers, WAF, Cognito) with one customer managed KMS key (rotation on) that only CloudWatch Logs in this Region may use, for log groups of this account and Region.',
      ),
  })
  .prefault({})
  .describe('WAF, alarms and log encryption.');

/** The stack's web ACL; the stack adds the log encryption key. */
export function webAclProps(config: StageConfig): RegionalWebAclProps {
  return {
    rateLimitPer5Minutes: config.protection.waf.rateLimitPer5Minutes,
    managedRuleGroups: config.protection.waf.managedRuleGroups,
    logRemovalPolicy: removalPolicyOf(config),
  };
}
