/**
 * AuthorizedApi takes interfaces (IUserPool, IBucket), so it must work with
 * resources created elsewhere: an imported user pool and an imported bucket
 * have no CloudFormation resource in this stack.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AuthorizedApi } from '../../lib/api/authorized-api';
import { API_ROUTES } from '../../lib/api/routes';
import { addRulePacks } from '../../lib/composition/rule-packs';
import { contextApp, unacknowledgedRuleIds } from '../support/synth';

const IDENTITY_POOL_ID = 'eu-west-1:00000000-0000-0000-0000-000000000000';

/** An API over a user pool and a bucket that exist elsewhere, imported by ID/name or by ARN. */
function importedApi(app: App = contextApp(), by: 'name' | 'arn' = 'name'): { app: App; stack: Stack } {
  const stack = new Stack(app, 'Imported', { env: { account: '111122223333', region: 'eu-west-1' } });
  new AuthorizedApi(stack, 'Api', {
    userPool:
      by === 'name'
        ? cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_AbC123')
        : cognito.UserPool.fromUserPoolArn(stack, 'Pool', 'arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_AbC123'),
    identityPoolId: IDENTITY_POOL_ID,
    bucket:
      by === 'name'
        ? s3.Bucket.fromBucketName(stack, 'Bucket', 'existing-user-files')
        : s3.Bucket.fromBucketArn(stack, 'Bucket', 'arn:aws:s3:::existing-user-files'),
    routes: API_ROUTES,
    handlerCode: () => lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
  return { app, stack };
}

describe('AuthorizedApi with imported resources', () => {
  test('GIVEN an imported user pool and bucket WHEN synthesized THEN every route exists and grants name the imported bucket', () => {
    const { stack } = importedApi();
    const template = Template.fromStack(stack);

    expect(Object.keys(template.findResources('AWS::ApiGateway::Method')).length).toBeGreaterThanOrEqual(API_ROUTES.length);
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain(':s3:::existing-user-files/*');
    expect(JSON.stringify(template.findResources('AWS::ApiGateway::Authorizer'))).toContain(':cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_AbC123');
  });

  test('GIVEN the rule packs WHEN an API on imported resources is synthesized THEN the bucket-wide grant is acknowledged by its rendered ARN', () => {
    const { app } = importedApi();
    addRulePacks(app);
    const findings = unacknowledgedRuleIds(() => app.synth());
    // APIG3 (no web ACL) is the caller's decision and shows the findings were read;
    // nothing about the imported bucket may remain.
    expect(findings).toContain('AwsSolutions-APIG3');
    expect(findings.filter((finding) => finding.includes('IAM5'))).toEqual([]);
  });

  test('GIVEN a bare app without cdk.json context WHEN an API on resources imported by ARN is built THEN it does not throw', () => {
    expect(() => importedApi(new App({ builtinCloudFormationValidation: false }), 'arn')).not.toThrow();
  });
});
