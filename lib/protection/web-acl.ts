import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { PROTECTION_DEFAULTS } from './protection-defaults';

const DEFAULTS = PROTECTION_DEFAULTS.waf;

export interface RegionalWebAclProps {
  /**
   * Requests one client IP may send in any 5-minute window; more are blocked.
   * @default 2000
   */
  readonly rateLimitPer5Minutes?: number;
  /**
   * AWS managed rule groups (vendor AWS), evaluated in order before the rate rule.
   * @default - AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet, AWSManagedRulesAmazonIpReputationList
   */
  readonly managedRuleGroups?: readonly string[];
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /** @default - CloudWatch Logs' own encryption */
  readonly logEncryptionKey?: kms.IKey;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * A regional WAFv2 web ACL: AWS managed rule groups, then a per-IP rate
 * limit; everything else is allowed. Every request is logged to a CloudWatch
 * Logs group with the Authorization and Cookie headers and the query string
 * redacted, so no token or OAuth code reaches the log. Protect a resource with `associate`.
 */
export class RegionalWebAcl extends Construct {
  public readonly webAcl: wafv2.CfnWebACL;
  public readonly logGroup: logs.LogGroup;
  /** The metric name of the whole ACL (WAF's `WebACL` dimension), for alarms. */
  public readonly metricName: string;
  public readonly associations: wafv2.CfnWebACLAssociation[] = [];

  constructor(scope: Construct, id: string, props: RegionalWebAclProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    this.metricName = `${stack.stackName}-${id}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128);
    const groups = props.managedRuleGroups ?? DEFAULTS.managedRuleGroups;
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      description: `Managed rule groups and a per-IP rate limit for ${stack.stackName}`,
      visibilityConfig: visibility(this.metricName),
      rules: [
        ...groups.map((name, priority) => ({
          name,
          priority,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
          visibilityConfig: visibility(name),
        })),
        {
          name: 'RateLimitPerIp',
          priority: groups.length,
          action: { block: {} },
          statement: {
            rateBasedStatement: { limit: props.rateLimitPer5Minutes ?? DEFAULTS.rateLimitPer5Minutes, aggregateKeyType: 'IP', evaluationWindowSec: 300 },
          },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
      ],
    });

    // WAF writes only to log groups whose name starts with aws-waf-logs-.
    const logGroupName = `aws-waf-logs-${stack.stackName}`;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName,
      retention: props.logRetention ?? DEFAULTS.logRetentionDays,
      encryptionKey: props.logEncryptionKey,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group ARN without the ":*" suffix of logGroupArn.
      logDestinationConfigs: [
        stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      ],
      // Bearer tokens, session cookies and query strings never reach the log: a query can carry
      // OAuth values (`code`, `state` on /oauth2/idpresponse of the sign-in domain).
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }, { queryString: {} }],
    });
    logging.node.addDependency(this.logGroup);
  }

  /** Puts `resourceArn` (a user pool, an API Gateway stage, …) behind this web ACL. */
  public associate(id: string, resourceArn: string): wafv2.CfnWebACLAssociation {
    const association = new wafv2.CfnWebACLAssociation(this, id, { resourceArn, webAclArn: this.webAcl.attrArn });
    this.associations.push(association);
    return association;
  }
}
