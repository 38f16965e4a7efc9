/**
 * The protection layer as the stack builds it from stage configs: the web
 * ACL, log encryption, alarms and Cognito log delivery, asserted on the
 * synthesized template. One synth per config, shared by the tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { parseStageConfig, StageConfigError } from '../../lib/config/load-stage-config';
import type { StageConfigInput } from '../../lib/config/stage-config';
import { DISABLED_CONTROLS } from '../../lib/composition/control-tower-controls';
import { OperationsAlarms } from '../../lib/operations/operations-alarms';
import { REPO_ROOT, synthStage, type SynthResult } from '../support/synth';

let dev: SynthResult;
let prod: SynthResult;

beforeAll(() => {
  dev = synthStage({ stage: 'dev', rulePacks: false });
  prod = synthStage({ stage: 'prod', rulePacks: false });
});

const resources = (result: SynthResult, type: string): Array<[string, any]> =>
  Object.entries(result.template.toJSON().Resources as Record<string, any>).filter(([, r]) => r.Type === type);
const idOf = (result: SynthResult, construct: { node: { defaultChild?: unknown } } | object): string =>
  result.stack.getLogicalId((construct as any).node.defaultChild ?? construct);

describe('web ACL (protection.waf)', () => {
  test('GIVEN prod (waf on) WHEN synthesized THEN the ACL runs the three managed rule groups in order, then blocks an IP above 2000 requests per 5 minutes', () => {
    const [[, acl]] = resources(prod, 'AWS::WAFv2::WebACL');
    expect(acl.Properties.Scope).toBe('REGIONAL');
    expect(acl.Properties.DefaultAction).toEqual({ Allow: {} });
    const rules = acl.Properties.Rules;
    expect(rules.map((r: any) => [r.Priority, r.Name])).toEqual([
      [0, 'AWSManagedRulesCommonRuleSet'],
      [1, 'AWSManagedRulesKnownBadInputsRuleSet'],
      [2, 'AWSManagedRulesAmazonIpReputationList'],
      [3, 'RateLimitPerIp'],
    ]);
    expect(rules[3].Action).toEqual({ Block: {} });
    expect(rules[3].Statement.RateBasedStatement).toEqual({ Limit: 2000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 });
  });

  test('GIVEN prod WHEN synthesized THEN the ACL protects both the user pool and the API stage', () => {
    const aclRef = { 'Fn::GetAtt': [idOf(prod, prod.stack.webAcl!.webAcl), 'Arn'] };
    const associated = resources(prod, 'AWS::WAFv2::WebACLAssociation').map(([, r]) => r.Properties);
    expect(associated).toHaveLength(2);
    expect(associated.every((a) => JSON.stringify(a.WebACLArn) === JSON.stringify(aclRef))).toBe(true);
    expect(associated.map((a) => a.ResourceArn)).toEqual(
      expect.arrayContaining([
        { 'Fn::GetAtt': [idOf(prod, prod.stack.userDirectory.userPool), 'Arn'] },
        expect.objectContaining({ 'Fn::Join': expect.anything() }),
      ]),
    );
  });

  test('GIVEN prod WHEN synthesized THEN WAF logs go to an aws-waf-logs- group with the Authorization and Cookie headers and the query string redacted', () => {
    const [[, logging]] = resources(prod, 'AWS::WAFv2::LoggingConfiguration');
    // The query string of /oauth2/idpresponse (and /auth/callback) carries OAuth code and state values.
    expect(logging.Properties.RedactedFields).toEqual([{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }, { QueryString: {} }]);
    prod.template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-CognitoAccess-prod', RetentionInDays: 365 });
    expect(JSON.stringify(logging.Properties.LogDestinationConfigs)).toContain(':log-group:aws-waf-logs-CognitoAccess-prod');
  });

  test('GIVEN dev (waf off) WHEN synthesized THEN there is no web ACL and no association', () => {
    dev.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    dev.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });

  test('GIVEN both protection.waf and api.webAclArn WHEN validated THEN the schema refuses it naming protection.waf.enabled', () => {
    const config: StageConfigInput = {
      webClient: { callbackUrls: ['https://app.example.org/cb'], logoutUrls: ['https://app.example.org/'] },
      api: { webAclArn: 'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/api/00000000-0000-0000-0000-000000000000' },
      protection: { waf: { enabled: true } },
    };
    expect(() => parseStageConfig(config, 'config/x.json')).toThrow(StageConfigError);
    try {
      parseStageConfig(config, 'config/x.json');
    } catch (error) {
      expect((error as StageConfigError).problems).toEqual([
        expect.stringMatching(/^config\/x\.json: protection\.waf\.enabled: expected either protection\.waf or api\.webAclArn, not both/),
      ]);
    }
  });
});

describe('log encryption (protection.logEncryption)', () => {
  test('GIVEN prod WHEN synthesized THEN every log group of the stack is encrypted with the one log key', () => {
    const keyId = idOf(prod, prod.stack.logEncryption!.key);
    const groups = resources(prod, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(9); // access logs, 5 handlers, WAF, 2 Cognito
    for (const [, group] of groups) expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
  });

  test('GIVEN prod WHEN synthesized THEN the key rotates and only CloudWatch Logs of this Region, for log groups of this account and Region, may use it', () => {
    const key = prod.template.toJSON().Resources[idOf(prod, prod.stack.logEncryption!.key)];
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const statement = key.Properties.KeyPolicy.Statement.find((s: any) => s.Sid === 'CloudWatchLogsForThisAccountAndRegion');
    expect(statement.Principal).toEqual({ Service: 'logs.eu-west-1.amazonaws.com' });
    expect(statement.Condition).toEqual({
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:aws:logs:eu-west-1:', { Ref: 'AWS::AccountId' }, ':log-group:*']] } },
    });
  });

  test('GIVEN dev (logEncryption off) WHEN synthesized THEN no log group names a KMS key', () => {
    for (const [, group] of resources(dev, 'AWS::Logs::LogGroup')) expect(group.Properties.KmsKeyId).toBeUndefined();
  });

  test('GIVEN any stage WHEN synthesized THEN every KMS key denies grants that are not for an AWS resource by an AWS service (CT.KMS.PR.3)', () => {
    for (const result of [dev, prod]) {
      for (const [, key] of resources(result, 'AWS::KMS::Key')) {
        expect(key.Properties.KeyPolicy.Statement).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Action: 'kms:CreateGrant',
            Principal: { AWS: '*' },
            Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
          }),
        );
      }
    }
  });
});

describe('alarms and dashboard', () => {
  test('GIVEN prod (alarmEmail, WAF) WHEN synthesized THEN the KMS-encrypted topic has the email subscription and every alarm notifies it', () => {
    const topicId = idOf(prod, prod.stack.operations.topic);
    prod.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    prod.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.org', TopicArn: { Ref: topicId } });
    const alarms = resources(prod, 'AWS::CloudWatch::Alarm');
    for (const [, alarm] of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  test('GIVEN prod WHEN synthesized THEN there are alarms on API 5xx rate, p99 latency, 4xx spikes, each handler, Cognito throttling and WAF blocks', () => {
    const names = Object.keys(prod.template.toJSON().Resources).filter((id) => id.startsWith('Operations'));
    const expected = ['Api5xxRate', 'ApiLatencyP99', 'Api4xxSpike', 'WafBlockedSpike', 'CognitoSignInThrottles', 'CognitoTokenRefreshThrottles'];
    for (const name of [...expected, ...Object.keys(prod.stack.api.handlers).flatMap((h) => [`${h}Errors`, `${h}Throttles`])]) {
      expect(names.some((id) => id.startsWith(`Operations${name}`))).toBe(true);
    }
    prod.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(requests >= 20, 100 * serverErrors / requests, 0)' })]),
      Threshold: 5,
    });
    const alarm = (prefix: string) => JSON.stringify(resources(prod, 'AWS::CloudWatch::Alarm').find(([id]) => id.startsWith(`Operations${prefix}`))![1]);
    expect(alarm('ApiLatencyP99')).toMatch(/"MetricName":"Latency".*"Stat":"p99".*"Threshold":3000/);
    // The WebACL dimension is the ACL's own metric name, or the alarm would watch nothing.
    expect(alarm('WafBlockedSpike')).toContain(
      `{"Name":"WebACL","Value":"${prod.stack.webAcl!.webAcl.visibilityConfig && (prod.stack.webAcl!.webAcl.visibilityConfig as any).metricName}"}],"MetricName":"BlockedRequests","Namespace":"AWS/WAFV2"`,
    );
  });

  test('GIVEN dev (no email, no WAF) WHEN synthesized THEN alarms and topic still exist, with no subscription, no WAF alarm, and the topic ARN is an output', () => {
    dev.template.resourceCountIs('AWS::SNS::Subscription', 0);
    expect(resources(dev, 'AWS::CloudWatch::Alarm').length).toBeGreaterThan(10);
    expect(JSON.stringify(dev.template.toJSON())).not.toContain('BlockedRequests');
    dev.template.hasOutput('AlarmTopicArn', { Value: { Ref: idOf(dev, dev.stack.operations.topic) } });
    dev.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  const alarmNamed = (result: SynthResult, prefix: string) => {
    const found = resources(result, 'AWS::CloudWatch::Alarm').filter(([id]) => id.startsWith(`Operations${prefix}`));
    expect(found).toHaveLength(1);
    return found[0][1].Properties;
  };

  test.each(['dev', 'prod'] as const)(
    'GIVEN %s WHEN synthesized THEN an alarm fires on any object key outside identity prefixes the checker reports, and notifies the topic',
    (stage) => {
      const result = stage === 'dev' ? dev : prod;
      expect(alarmNamed(result, 'UploadKeysOutsideIdentityPrefix')).toMatchObject({
        Namespace: 'CognitoAccess/UploadChecks',
        MetricName: 'KeysOutsideIdentityPrefix',
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: idOf(result, result.stack.operations.topic) }],
        OKActions: [{ Ref: idOf(result, result.stack.operations.topic) }],
      });
      // The checker emits the metric without dimensions; an alarm with any would watch nothing.
      expect(alarmNamed(result, 'UploadKeysOutsideIdentityPrefix').Dimensions).toBeUndefined();
    },
  );

  test("GIVEN prod WHEN synthesized THEN an alarm fires when the upload queue's oldest message is an hour old, long before its 14-day retention", () => {
    expect(alarmNamed(prod, 'QueueAgeQueue')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(prod, prod.stack.uploadChecks.queue), 'QueueName'] } }],
      Statistic: 'Maximum',
      Threshold: 3600,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: idOf(prod, prod.stack.operations.topic) }],
    });
  });

  test("GIVEN prod WHEN synthesized THEN CloudWatch may use the alarm topic's key only for alarms of this account and Region", () => {
    const keyId = Object.keys(prod.template.toJSON().Resources).find((id) => id.startsWith('OperationsTopicKey'))!;
    const statement = prod.template.toJSON().Resources[keyId].Properties.KeyPolicy.Statement.find((st: any) => st.Sid === 'CloudWatchAlarmsPublish');
    expect(statement.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
    expect(statement.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:aws:cloudwatch:eu-west-1:', { Ref: 'AWS::AccountId' }, ':alarm:*']] } },
    });
  });

  test('GIVEN a queue WHEN alarmOnQueueDepth is called THEN one more alarm watches its visible messages and notifies the topic', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Bare');
    const api = new apigw.RestApi(stack, 'Api');
    api.root.addMethod('GET', new apigw.MockIntegration());
    const operations = new OperationsAlarms(stack, 'Operations', {
      apiStage: api.deploymentStage,
      handlers: {},
      userPoolId: 'pool',
      userPoolClientId: 'client',
    });
    const before = operations.alarms.length;

    operations.alarmOnQueueDepth(new sqs.Queue(stack, 'UploadDlq'));

    expect(operations.alarms).toHaveLength(before + 1);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      AlarmActions: [{ Ref: stack.getLogicalId(operations.topic.node.defaultChild as any) }],
    });
  });
});

describe('Cognito log delivery', () => {
  test('GIVEN dev (Essentials) WHEN synthesized THEN only user-notification errors are delivered to CloudWatch Logs', () => {
    const [[, delivery]] = resources(dev, 'AWS::Cognito::LogDeliveryConfiguration');
    expect(delivery.Properties.LogConfigurations).toEqual([
      { EventSource: 'userNotification', LogLevel: 'ERROR', CloudWatchLogsConfiguration: { LogGroupArn: expect.anything() } },
    ]);
  });

  test('GIVEN prod (Plus) WHEN synthesized THEN user auth events are delivered as well', () => {
    const [[, delivery]] = resources(prod, 'AWS::Cognito::LogDeliveryConfiguration');
    expect(delivery.Properties.LogConfigurations.map((c: any) => [c.EventSource, c.LogLevel])).toEqual([
      ['userNotification', 'ERROR'],
      ['userAuthEvents', 'INFO'],
    ]);
  });
});

describe('API invoke permissions', () => {
  test('GIVEN any stage WHEN synthesized THEN every API Gateway invoke permission names this account as well as the API', () => {
    const permissions = resources(prod, 'AWS::Lambda::Permission');
    expect(permissions.length).toBeGreaterThan(0);
    for (const [, permission] of permissions) expect(permission.Properties.SourceAccount).toEqual({ Ref: 'AWS::AccountId' });
  });
});

describe('Control Tower controls', () => {
  const VERIFICATION_DOC = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'verification.md'), 'utf8');
  const RULES_DIR = path.join(REPO_ROOT, 'node_modules', '@cdklabs', 'cdk-validator-cfnguard', 'rules', 'control-tower', 'cfn-guard');
  const ruleFiles = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? ruleFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));

  test.each(DISABLED_CONTROLS.map((c) => [c.control, c]))(
    'GIVEN disabled control %s WHEN checked THEN its rule file exists, reports that rule, and the docs/verification.md table gives it with a reason',
    (_id, control) => {
      const file = ruleFiles(RULES_DIR).find((f) => path.parse(f).name === control.ruleFile);
      expect(file).toBeDefined();
      expect(fs.readFileSync(file!, 'utf8')).toContain(`rule ${control.rule} `);
      expect(VERIFICATION_DOC).toContain(`| ${control.control} | \`${control.rule}\` |`);
      expect(control.reason.length).toBeGreaterThan(40);
    },
  );
});
