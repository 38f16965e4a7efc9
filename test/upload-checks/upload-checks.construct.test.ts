/**
 * UploadChecks on its own, in a bare stack: its defaults without any stage
 * config, and the props it refuses.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { UploadChecks, type UploadChecksProps } from '../../lib/upload-checks/upload-checks';
import { contextApp } from '../support/synth';

function bareChecks(props: Partial<UploadChecksProps> = {}) {
  const stack = new Stack(contextApp(), 'Bare', { env: { region: 'eu-central-1' } });
  const bucket = new s3.Bucket(stack, 'Bucket', { eventBridgeEnabled: true });
  const checks = new UploadChecks(stack, 'UploadChecks', { bucket, handlerCode: () => lambda.Code.fromInline('exports.handler = async () => ({})'), ...props });
  return { stack, checks };
}

describe('UploadChecks defaults', () => {
  const { stack } = bareChecks();
  const template = Template.fromStack(stack);
  const checker = Object.values(template.findResources('AWS::Lambda::Function')).find(
    (f: any) => f.Properties.Environment?.Variables?.UPLOAD_RESULTS_TABLE,
  ) as any;

  test('GIVEN no props WHEN built THEN the checker reserves 5, accepts text/csv and hashes file names in its logs', () => {
    expect(checker.Properties.ReservedConcurrentExecutions).toBe(5);
    expect(checker.Properties.Environment.Variables).toMatchObject({ ALLOWED_CONTENT_TYPES: 'text/csv', LOG_FILE_NAMES: 'hash' });
  });

  test('GIVEN no props WHEN built THEN the queue keeps messages 14 days', () => {
    const queues = Object.values(template.findResources('AWS::SQS::Queue')) as any[];
    expect(queues.map((q) => q.Properties.MessageRetentionPeriod)).toEqual([1209600, 1209600]);
  });
});

describe('UploadChecks props it refuses', () => {
  test.each([1, 0, 1001, 2.5])(
    'GIVEN maxConcurrency %p WHEN built THEN it is refused (the SQS event source polls with at least 2; 0 would never check an upload)',
    (value) => {
      expect(() => bareChecks({ maxConcurrency: value })).toThrow(/maxConcurrency must be an integer from 2 to 1000/);
    },
  );
});
