import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { limitGrantsToAwsServices } from '../util/limit-grants-to-aws-services';
import { OPERATIONS_DEFAULTS } from './operations-defaults';

const FIVE_MINUTES = Duration.minutes(5);

export interface OperationsAlarmsProps {
  /** The API stage whose 5xx rate, 4xx rate and p99 latency are watched. */
  readonly apiStage: apigw.Stage;
  /** Each handler's Errors and Throttles are watched, by name. */
  readonly handlers: Record<string, lambda.IFunction>;
  /** Cognito's per-pool throttling metrics (sign-in, sign-up, token refresh, federation). */
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  /**
   * The metric name of a WAF web ACL (its `WebACL` dimension); adds a BlockedRequests spike alarm.
   * @default - no WAF alarm
   */
  readonly webAclMetricName?: string;
  /**
   * Email subscribed to the alarm topic (the address must confirm the subscription).
   * @default - no subscription; subscribe to `topic` yourself
   */
  readonly alarmEmail?: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * What an operator watches: alarms on the API, each handler, Cognito
 * throttling and WAF blocks, all notifying one KMS-encrypted SNS topic, and a
 * dashboard with the same figures. Other constructs add alarms through
 * `alarmOnQueueDepth` instead of creating their own topic.
 */
export class OperationsAlarms extends Construct {
  public readonly topic: sns.Topic;
  public readonly dashboard: cloudwatch.Dashboard;
  public readonly alarms: cloudwatch.Alarm[] = [];
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const stack = Stack.of(this);
    const key = new kms.Key(this, 'TopicKey', { description: 'Encrypts the alarm topic', enableKeyRotation: true, removalPolicy });
    // CloudWatch publishes alarm notifications to the encrypted topic with this key: only for
    // alarms of this account and Region, so no other account's alarm can use it (confused deputy).
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
        },
      }),
    );
    limitGrantsToAwsServices(key);
    this.topic = new sns.Topic(this, 'Topic', { displayName: `${stack.stackName} alarms`, masterKey: key, enforceSSL: true });
    if (props.alarmEmail) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
      Validations.of(this.topic).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          "The only subscription is an operator's email address; an undelivered notification loses nothing, since the alarm state stays in CloudWatch and on the dashboard.",
      });
    }
    this.action = new actions.SnsAction(this.topic);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });

    const stage = props.apiStage;
    const requests = stage.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' });
    const serverErrors = stage.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' });
    const clientErrors = stage.metricClientError({ period: FIVE_MINUTES, statistic: 'Sum' });
    const minRequests = OPERATIONS_DEFAULTS.minRequestsForRate;
    const rate = (label: string, errorsId: string, errors: cloudwatch.IMetric) =>
      new cloudwatch.MathExpression({
        // No rate below a handful of requests: one failure in three is noise, not an outage.
        expression: `IF(requests >= ${minRequests}, 100 * ${errorsId} / requests, 0)`,
        usingMetrics: { [errorsId]: errors, requests },
        period: FIVE_MINUTES,
        label,
      });
    const rate5xx = rate('5xx %', 'serverErrors', serverErrors);
    const rate4xx = rate('4xx %', 'clientErrors', clientErrors);
    const p99 = stage.metricLatency({ period: FIVE_MINUTES, statistic: 'p99', label: 'p99 latency (ms)' });

    this.addAlarm(
      'Api5xxRate',
      rate5xx,
      OPERATIONS_DEFAULTS.api5xxRatePercent,
      2,
      `At least ${OPERATIONS_DEFAULTS.api5xxRatePercent}% of API requests answered 5xx in two 5-minute periods.`,
    );
    this.addAlarm(
      'ApiLatencyP99',
      p99,
      OPERATIONS_DEFAULTS.apiP99LatencyMs,
      3,
      `API p99 latency at or above ${OPERATIONS_DEFAULTS.apiP99LatencyMs} ms for 15 minutes.`,
    );
    this.addAlarm(
      'Api4xxSpike',
      rate4xx,
      OPERATIONS_DEFAULTS.api4xxRatePercent,
      2,
      `At least ${OPERATIONS_DEFAULTS.api4xxRatePercent}% of API requests answered 4xx in two 5-minute periods.`,
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'API requests', left: [requests], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'API error rates (%)', left: [rate5xx, rate4xx], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'API p99 latency (ms)', left: [p99], width: 8 }),
    );

    const handlerErrors: cloudwatch.IMetric[] = [];
    const handlerThrottles: cloudwatch.IMetric[] = [];
    for (const [name, fn] of Object.entries(props.handlers)) {
      const errors = fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum', label: `${name} errors` });
      const throttles = fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum', label: `${name} throttles` });
      this.addAlarm(`${name}Errors`, errors, 1, 1, `The ${name} handler failed (threw or timed out) at least once in 5 minutes.`);
      this.addAlarm(`${name}Throttles`, throttles, 1, 1, `The ${name} handler was throttled at least once in 5 minutes.`);
      handlerErrors.push(errors);
      handlerThrottles.push(throttles);
    }
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Handler errors', left: handlerErrors, width: 12 }),
      new cloudwatch.GraphWidget({ title: 'Handler throttles', left: handlerThrottles, width: 12 }),
    );

    const cognitoThrottles = ['SignInThrottles', 'SignUpThrottles', 'TokenRefreshThrottles', 'FederationThrottles'].map(
      (metricName) =>
        new cloudwatch.Metric({
          namespace: 'AWS/Cognito',
          metricName,
          dimensionsMap: { UserPool: props.userPoolId, UserPoolClient: props.userPoolClientId },
          period: FIVE_MINUTES,
          statistic: 'Sum',
          label: metricName,
        }),
    );
    for (const metric of cognitoThrottles) {
      this.addAlarm(
        `Cognito${metric.metricName}`,
        metric,
        1,
        1,
        `Cognito throttled ${metric.metricName.replace('Throttles', '')} requests of the web client in 5 minutes.`,
      );
    }
    const widgets: cloudwatch.IWidget[] = [new cloudwatch.GraphWidget({ title: 'Cognito throttling', left: cognitoThrottles, width: 12 })];

    if (props.webAclMetricName) {
      const blocked = new cloudwatch.Metric({
        namespace: 'AWS/WAFV2',
        metricName: 'BlockedRequests',
        dimensionsMap: { WebACL: props.webAclMetricName, Region: stack.region, Rule: 'ALL' },
        period: FIVE_MINUTES,
        statistic: 'Sum',
        label: 'WAF blocked requests',
      });
      this.addAlarm(
        'WafBlockedSpike',
        blocked,
        OPERATIONS_DEFAULTS.wafBlockedPer5Minutes,
        1,
        `WAF blocked ${OPERATIONS_DEFAULTS.wafBlockedPer5Minutes} or more requests in 5 minutes.`,
      );
      widgets.push(new cloudwatch.GraphWidget({ title: 'WAF blocked requests', left: [blocked], width: 12 }));
    }
    this.dashboard.addWidgets(...widgets);
  }

  /**
   * Alarms when `queue` holds at least `threshold` visible messages (e.g. a
   * dead-letter queue, where any message is a failure to look at).
   */
  public alarmOnQueueDepth(queue: sqs.IQueue, threshold = 1): cloudwatch.Alarm {
    const depth = queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' });
    const alarm = this.addAlarm(`QueueDepth${queue.node.id}`, depth, threshold, 1, `Queue ${queue.node.id} holds ${threshold} or more messages.`);
    this.dashboard.addWidgets(new cloudwatch.GraphWidget({ title: `Queue ${queue.node.id} depth`, left: [depth], width: 12 }));
    return alarm;
  }

  /**
   * Alarms when `queue`'s oldest message is `maxAge` old or older: the consumer is not
   * keeping up (throttled, failing, or switched off) long before the queue's retention
   * would drop messages unseen.
   */
  public alarmOnQueueAge(queue: sqs.IQueue, maxAge: Duration): cloudwatch.Alarm {
    const age = queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum' });
    const alarm = this.addAlarm(
      `QueueAge${queue.node.id}`,
      age,
      maxAge.toSeconds(),
      1,
      `The oldest message in queue ${queue.node.id} has waited ${maxAge.toHumanString()} or longer.`,
    );
    this.dashboard.addWidgets(new cloudwatch.GraphWidget({ title: `Queue ${queue.node.id} oldest message (s)`, left: [age], width: 12 }));
    return alarm;
  }

  /**
   * Alarms when `metric` (a count, summed per period) is 1 or more: something that
   * should never happen did. No data (nothing happened) is not a breach.
   */
  public alarmOnAnyOccurrence(id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm {
    const alarm = this.addAlarm(id, metric, 1, 1, description);
    this.dashboard.addWidgets(new cloudwatch.GraphWidget({ title: id, left: [metric], width: 12 }));
    return alarm;
  }

  private addAlarm(id: string, metric: cloudwatch.IMetric, threshold: number, evaluationPeriods: number, description: string): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No traffic is not a failure.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `${description} See README, "Operating it".`,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}
