/**
 * The upload checks as synthesized for the shipped stages: every object under
 * <identityId>/ reaches the checker through EventBridge and SQS, with bounded
 * retries and a dead-letter queue, and the bucket refuses SSE-C uploads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import type { StageConfigInput } from '../../lib/config/stage-config';
import { REPO_ROOT, synthStage, type SynthResult } from '../support/synth';

const prod = synthStage({ stage: 'prod', rulePacks: false });
const template = prod.template;
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
const idOf = (prefix: string, type: string) => Object.keys(resources).find((id) => id.startsWith(prefix) && resources[id].Type === type)!;

/** dev (removal "destroy") with its own checker concurrency and content types. */
const devFile = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'config', 'dev.json'), 'utf8')) as StageConfigInput;
const dev = synthStage({
  stage: 'dev',
  rulePacks: false,
  config: { ...devFile, storage: { ...devFile.storage, allowedContentTypes: ['text/csv', 'text/plain'], checker: { reservedConcurrency: 12 } } },
});
const checkerOf = (result: SynthResult) => {
  const all = result.template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
  return Object.entries(all).find(([id, r]) => id.startsWith('UploadChecksCheckerFunction') && r.Type === 'AWS::Lambda::Function')![1].Properties;
};

describe('upload checks', () => {
  test('GIVEN the user-files bucket THEN it sends EventBridge events', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', { NotificationConfiguration: { EventBridgeConfiguration: {} } });
  });

  test('GIVEN the rule THEN it sends every created and deleted object of this bucket, whatever its key (the checker decides and counts)', () => {
    const rule = resources[idOf('UploadChecksObjectEvents', 'AWS::Events::Rule')].Properties;
    expect(rule.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created', 'Object Deleted'],
      detail: {
        bucket: { name: [{ Ref: prod.stack.resolve((prod.stack.storage.bucket.node.defaultChild as any).logicalId) }] },
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
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [idOf('UploadChecksDeadLetterQueue', 'AWS::SQS::Queue'), 'Arn'] },
      maxReceiveCount: 5,
    });
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

  test("GIVEN prod (removal retain) THEN the checker gets the stage's content types and hashes file names in its logs", () => {
    expect(checkerOf(prod).Environment.Variables).toMatchObject({
      ALLOWED_CONTENT_TYPES: prod.config.storage.allowedContentTypes.join(','),
      LOG_FILE_NAMES: 'hash',
    });
  });

  test('GIVEN dev (removal destroy) with two content types THEN the checker gets both and logs file names plainly', () => {
    expect(checkerOf(dev).Environment.Variables).toMatchObject({ ALLOWED_CONTENT_TYPES: 'text/csv,text/plain', LOG_FILE_NAMES: 'plain' });
  });

  test('GIVEN storage.checker.reservedConcurrency 12 THEN the checker reserves 12 and its event source polls with up to 12', () => {
    expect(checkerOf(dev).ReservedConcurrentExecutions).toBe(12);
    dev.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 12 } });
  });

  test('GIVEN the queue and its dead-letter queue THEN both keep messages 14 days (the SQS maximum), so a backlog outlives a long outage', () => {
    const retention = (prefix: string) => resources[idOf(prefix, 'AWS::SQS::Queue')].Properties.MessageRetentionPeriod;
    expect(retention('UploadChecksQueue')).toBe(14 * 24 * 3600);
    // A dead-letter queue must keep a message at least as long as its source queue.
    expect(retention('UploadChecksDeadLetterQueue')).toBeGreaterThanOrEqual(retention('UploadChecksQueue'));
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
        'dynamodb:ConditionCheckItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        's3:DeleteObjectVersion',
        's3:GetObject',
        's3:GetObjectVersion',
        // prod encrypts the bucket with its own key: reading an object needs Decrypt (through S3 only).
        ...(prod.config.storage.kmsEncryption ? ['kms:Decrypt'] : []),
      ].sort(),
    );
  });

  test('GIVEN the results table THEN it is retained and deletion-protected in prod, with the newest-first index', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: 'identityId', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
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
