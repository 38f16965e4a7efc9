/**
 * The protection constructs on their own, in bare stacks: their defaults
 * without any stage config.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LogEncryptionKey } from '../../lib/protection/log-encryption-key';
import { RegionalWebAcl } from '../../lib/protection/web-acl';

function bareStack(): Stack {
  return new Stack(new App({ builtinCloudFormationValidation: false }), 'Bare', { env: { region: 'eu-central-1' } });
}

describe('RegionalWebAcl defaults', () => {
  const stack = bareStack();
  const acl = new RegionalWebAcl(stack, 'Acl');
  acl.associate('Pool', 'arn:aws:cognito-idp:eu-central-1:111122223333:userpool/eu-central-1_abc');
  const template = Template.fromStack(stack);

  test('GIVEN no props WHEN built THEN the three default managed groups run, then a 2000-per-5-minutes IP rate rule', () => {
    const [acl] = Object.values(template.findResources('AWS::WAFv2::WebACL'));
    expect(acl.Properties.Rules.map((r: any) => r.Name)).toEqual([
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'AWSManagedRulesAmazonIpReputationList',
      'RateLimitPerIp',
    ]);
    expect(acl.Properties.Rules[3].Statement.RateBasedStatement.Limit).toBe(2000);
  });

  test('GIVEN no props WHEN built THEN the WAF log group is retained for a year and associate() adds one association', () => {
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { LogGroupName: 'aws-waf-logs-Bare', RetentionInDays: 365 } });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });
});

describe('LogEncryptionKey defaults', () => {
  test('GIVEN no props WHEN built THEN the key rotates and is retained with the logs it encrypts', () => {
    const stack = bareStack();
    new LogEncryptionKey(stack, 'Logs');
    Template.fromStack(stack).hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
  });
});
