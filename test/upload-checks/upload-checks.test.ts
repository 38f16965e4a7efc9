/**
 * The upload checks as synthesized for the shipped stages: every object under
 * <identityId>/ reaches the checker through EventBridge and SQS, with bounded
 * retries and a dead-letter queue, and the bucket refuses SSE-C uploads.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { synthStage } from '../support/synth';

const prod = synthStage({ stage: 'prod', rulePacks: false });
const template = prod.template;
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
const idOf = (prefix: string, type: string) => Object.keys(resources).find((id) => id.startsWith(prefix) && resources[id].Type === type)!;

describe('upload checks', () => {
  test('GIVEN the user-files bucket THEN it sends EventBridge events', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', { NotificationConfiguration: { EventBridgeConfiguration: {} } });
  });

  test('GIVEN the rule THEN it matches created and deleted objects of this bucket under an identity-ID prefix only', () => {
    const rule = resources[idOf('UploadChecksObjectEvents', 'AWS::Events::Rule')].Properties;
    expect(rule.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created', 'Object Deleted'],
      detail: {
        bucket: { name: [{ Ref: prod.stack.resolve((prod.stack.storage.bucket.node.defaultChild as any).logicalId) }] },
        object: { key: [{ prefix: 'eu-west-1:' }] },
      },
    });
    expect(rule.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [idOf('UploadChecksQueue', 'AWS::SQS::Queue'), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [idOf('UploadChecksDeadLetterQueue', 'AWS::SQS::Queue'), 'Arn'] } },
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
      }),
    ]);
  });

  test('GIVEN the queue THEN failed messages go to the dead-letter queue after 5 receives and the visibility covers six checker timeouts', () => {
    const queue = resources[idOf('UploadChecksQueue', 'AWS::SQS::Queue')].Properties;
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [idOf('UploadChecksDeadLetterQueue', 'AWS::SQS::Queue'), 'Arn'] }, maxReceiveCount: 5 });
    expect(queue.VisibilityTimeout).toBe(360);
    expect(queue.SqsManagedSseEnabled).toBe(true);
  });

  test('GIVEN the checker THEN it reports partial batch failures, has reserved concurrency and reads its limits from config', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    const checker = resources[idOf('UploadChecksCheckerFunction', 'AWS::Lambda::Function')].Properties;
    expect(checker).toMatchObject({ Architectures: ['arm64'], ReservedConcurrentExecutions: 5, Timeout: 60 });
    expect(checker.Environment.Variables).toMatchObject({
      MAX_UPLOAD_BYTES: String(prod.config.storage.maxUploadBytes),
      QUOTA_BYTES_PER_USER: String(prod.config.storage.quotaBytesPerUser),
      CSV_MAX_COLUMNS: String(prod.config.storage.csv.maxColumns),
      CSV_MAX_FIELD_BYTES: String(prod.config.storage.csv.maxFieldBytes),
    });
  });

  test('GIVEN the checker role THEN it reads and deletes object versions and writes results, and nothing else', () => {
    const roleId = resources[idOf('UploadChecksCheckerFunction', 'AWS::Lambda::Function')].Properties.Role['Fn::GetAtt'][0];
    const actions = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .flatMap((s: { Action: string | string[] }) => [s.Action].flat())
      .filter((a: string) => !a.startsWith('logs:') && !a.startsWith('xray:') && !a.startsWith('sqs:'));
    expect(actions.sort()).toEqual(
      [
        'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 's3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion',
        // prod encrypts the bucket with its own key: reading an object needs Decrypt (through S3 only).
        ...(prod.config.storage.kmsEncryption ? ['kms:Decrypt'] : []),
      ].sort(),
    );
  });

  test('GIVEN the results table THEN it is retained and deletion-protected in prod, with the newest-first index', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [{ AttributeName: 'identityId', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'ByCheckedAt' })],
        Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })],
      }),
    });
  });

  test('GIVEN the bucket policy THEN uploads with a customer-provided key (SSE-C) are denied to everyone', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DenySseCUploads',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:PutObject',
            Condition: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } },
          }),
        ]),
      },
    });
  });
});
