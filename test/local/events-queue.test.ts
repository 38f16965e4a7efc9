/**
 * The local bus → queue → event source mapping path on a template fragment:
 * rule matching, the queue policy, retries after the visibility timeout,
 * partial batch failures and the dead-letter queue, with a fake invoker.
 */
import type { LambdaInvoker, TemplateResource } from '../../scripts/local/contracts';
import type { EventBridgeEvent } from '../../scripts/local/events/eventbridge-event';
import { EventsConfigError, LocalEvents } from '../../scripts/local/events/local-events';
import { templateFragment } from './support/template-fragment';

/** 60 s of queue time is 30 ms here. */
const TIME_SCALE = 0.0005;

function fragment(overrides: Record<string, TemplateResource> = {}): Record<string, TemplateResource> {
  return {
    Dlq: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600 } },
    Queue: {
      Type: 'AWS::SQS::Queue',
      Properties: { VisibilityTimeout: 60, RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, maxReceiveCount: 2 } },
    },
    QueuePolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: 'Queue' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] },
              Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['Rule', 'Arn'] } } },
            },
          ],
        },
      },
    },
    Rule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        State: 'ENABLED',
        EventPattern: { source: ['aws.s3'], detail: { object: { key: [{ prefix: { 'Fn::Join': ['', [{ Ref: 'AWS::Region' }, ':']] } }] } } },
        Targets: [{ Id: 'Target0', Arn: { 'Fn::GetAtt': ['Queue', 'Arn'] }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } } }],
      },
    },
    Checker: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler' } },
    Mapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] },
        FunctionName: { Ref: 'Checker' },
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      },
    },
    ...overrides,
  };
}

function event(key: string): EventBridgeEvent {
  return {
    version: '0',
    id: key,
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '000000000000',
    time: '2026-01-01T00:00:00Z',
    region: 'eu-west-1',
    resources: [],
    detail: { object: { key } },
  };
}

interface Invocation {
  readonly keys: string[];
  readonly receiveCounts: string[];
}

/** Invokes `respond` per batch and records what the function saw. */
function fakeInvoker(respond: (records: any[], call: number) => unknown): { invoker: LambdaInvoker; calls: Invocation[] } {
  const calls: Invocation[] = [];
  return {
    calls,
    invoker: {
      functionFor: (ref) => ((ref as { Ref?: string })?.Ref === 'Checker' ? 'Checker' : undefined),
      invoke: async (logicalId, payload) => {
        expect(logicalId).toBe('Checker');
        const records = (payload as { Records: any[] }).Records;
        calls.push({ keys: records.map((r) => JSON.parse(r.body).detail.object.key), receiveCounts: records.map((r) => r.attributes.ApproximateReceiveCount) });
        for (const r of records)
          expect(r).toMatchObject({
            eventSource: 'aws:sqs',
            eventSourceARN: expect.stringMatching(/^arn:aws:sqs:eu-west-1:000000000000:/),
            awsRegion: 'eu-west-1',
          });
        return respond(records, calls.length);
      },
    },
  };
}

const opened: LocalEvents[] = [];
afterAll(async () => {
  for (const events of opened) await events.close();
});

async function localEvents(invoker: LambdaInvoker, resources = fragment()): Promise<LocalEvents> {
  const events = await LocalEvents.create({ template: templateFragment(resources), invoker, timeScale: TIME_SCALE });
  opened.push(events);
  return events;
}

describe('GIVEN a rule → queue (maxReceiveCount 2, DLQ) → checker with partial batch responses', () => {
  test('WHEN one item of a batch always fails THEN the others are done once, the failing one is retried after the visibility timeout and then dead-lettered', async () => {
    const { invoker, calls } = fakeInvoker((records) => ({
      batchItemFailures: records.filter((r) => JSON.parse(r.body).detail.object.key.includes('bad')).map((r) => ({ itemIdentifier: r.messageId })),
    }));
    const events = await localEvents(invoker);
    events.put(event('eu-west-1:a/good.csv'));
    events.put(event('eu-west-1:a/bad.csv'));
    await events.idle({ timeoutMs: 5000 });

    const seen = calls.flatMap((c) => c.keys.map((key, i) => `${key}#${c.receiveCounts[i]}`));
    expect(seen.filter((s) => s.startsWith('eu-west-1:a/good.csv'))).toEqual(['eu-west-1:a/good.csv#1']);
    expect(seen.filter((s) => s.startsWith('eu-west-1:a/bad.csv'))).toEqual(['eu-west-1:a/bad.csv#1', 'eu-west-1:a/bad.csv#2']);
    expect(events.queue('Queue').size).toBe(0);
    const dead = events.queue('Dlq').peek();
    expect(dead.map((m) => JSON.parse(m.body).detail.object.key)).toEqual(['eu-west-1:a/bad.csv']);
    expect(dead[0].receiveCount).toBe(2);
  });

  test('WHEN the function throws once THEN the whole batch comes back after the visibility timeout and then succeeds', async () => {
    const { invoker, calls } = fakeInvoker((_records, call) => {
      if (call === 1) throw new Error('transient');
      return { batchItemFailures: [] };
    });
    const events = await localEvents(invoker);
    events.put(event('eu-west-1:a/one.csv'));
    await events.idle({ timeoutMs: 5000 });
    expect(calls.map((c) => c.receiveCounts)).toEqual([['1'], ['2']]);
    expect(events.queue('Dlq').size).toBe(0);
  });

  test('WHEN the function reports an item that is not in the batch THEN the whole batch is treated as failed', async () => {
    const { invoker, calls } = fakeInvoker((_records, call) => (call === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] } : {}));
    const events = await localEvents(invoker);
    events.put(event('eu-west-1:a/one.csv'));
    await events.idle({ timeoutMs: 5000 });
    expect(calls.map((c) => c.receiveCounts)).toEqual([['1'], ['2']]);
  });

  test('WHEN an event does not match the pattern THEN nothing is queued or invoked', async () => {
    const { invoker, calls } = fakeInvoker(() => ({}));
    const events = await localEvents(invoker);
    events.put(event('not-permissions/x.csv'));
    await events.idle({ timeoutMs: 1000 });
    expect(calls).toEqual([]);
    expect(events.queue('Queue').size + events.queue('Dlq').size).toBe(0);
  });
});

describe('GIVEN a queue whose policy does not let the rule send', () => {
  test("WHEN a matching event arrives THEN it lands in the target's dead-letter queue, not the queue", async () => {
    const { invoker, calls } = fakeInvoker(() => ({}));
    const resources = fragment();
    delete (resources as Record<string, unknown>).QueuePolicy;
    const events = await localEvents(invoker, resources);
    events.put(event('eu-west-1:a/x.csv'));
    await events.idle({ timeoutMs: 1000 });
    expect(calls).toEqual([]);
    expect(events.queue('Dlq').size).toBe(1);
  });
});

describe('GIVEN template settings the local bus does not emulate', () => {
  test.each([
    [
      'an input transformer on a target',
      {
        Rule: {
          ...fragment().Rule,
          Properties: { ...fragment().Rule.Properties, Targets: [{ Id: 'T', Arn: { 'Fn::GetAtt': ['Queue', 'Arn'] }, InputPath: '$.detail' }] },
        },
      },
      /Rule target T: InputPath/,
    ],
    [
      'a non-queue target',
      { Rule: { ...fragment().Rule, Properties: { ...fragment().Rule.Properties, Targets: [{ Id: 'T', Arn: 'arn:aws:sns:eu-west-1:000000000000:topic' }] } } },
      /only SQS queue targets/,
    ],
    [
      'a pattern operator it does not implement',
      { Rule: { ...fragment().Rule, Properties: { ...fragment().Rule.Properties, EventPattern: { source: [{ wildcard: 'aws.*' }] } } } },
      /wildcard/,
    ],
    [
      'a filtered event source mapping',
      { Mapping: { ...fragment().Mapping, Properties: { ...fragment().Mapping.Properties, FilterCriteria: { Filters: [] } } } },
      /Mapping: FilterCriteria/,
    ],
  ])('WHEN the template has %s THEN the local bus refuses to start, naming it', async (_name, overrides, message) => {
    const { invoker } = fakeInvoker(() => ({}));
    await expect(LocalEvents.create({ template: templateFragment(fragment(overrides as Record<string, TemplateResource>)), invoker })).rejects.toThrow(message);
  });

  test('WHEN a FIFO queue is in the template THEN EventsConfigError', async () => {
    const { invoker } = fakeInvoker(() => ({}));
    const resources = fragment({ Fifo: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true } } });
    await expect(LocalEvents.create({ template: templateFragment(resources), invoker })).rejects.toThrow(EventsConfigError);
  });
});
