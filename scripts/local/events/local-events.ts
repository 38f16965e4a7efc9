/**
 * The local default event bus and what hangs off it, built from the template:
 * every AWS::Events::Rule on the default bus (its EventPattern compiled by
 * ./event-pattern.ts), its SQS targets as local queues (./local-queue.ts), and
 * every AWS::Lambda::EventSourceMapping on those queues (./queue-poller.ts).
 * A rule or target the local run cannot honour stops it with a message naming
 * the resource; schedule rules and rules on other buses are listed as not
 * emulated.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LambdaInvoker, LocalTemplate } from '../contracts';
import { evaluateRequest } from '../iam/evaluate-request';
import type { PolicyDocumentJson } from '../iam/policy-document';
import { compilePattern, type EventMatcher } from './event-pattern';
import type { EventBridgeEvent, EventSink } from './eventbridge-event';
import { LocalQueue } from './local-queue';
import { QueuePoller } from './queue-poller';
import type { UntypedJson } from '../../common/untyped-json';

/** Local queue time runs 60 times faster (a 360 s visibility timeout is 6 s); docs/local.md. */
export const DEFAULT_TIME_SCALE = 1 / 60;

export class EventsConfigError extends Error {}

export interface LocalEventsOptions {
  readonly template: LocalTemplate;
  readonly invoker: LambdaInvoker;
  /** Queue contents persist here across runs (one JSON file per queue). */
  readonly stateDir?: string;
  /** @default DEFAULT_TIME_SCALE */
  readonly timeScale?: number;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

interface Target {
  readonly queue: LocalQueue;
  /** Where EventBridge puts an event it may not deliver (the target's DeadLetterConfig). */
  readonly deadLetter?: LocalQueue;
  /** Whether the queue's policy lets this rule send to it. */
  readonly allowed: boolean;
}

interface Rule {
  readonly logicalId: string;
  readonly matches: EventMatcher;
  readonly targets: readonly Target[];
}

type Props = Record<string, UntypedJson>;

const ALLOWED_TARGET_KEYS = new Set(['Arn', 'Id', 'DeadLetterConfig', 'RetryPolicy']);

export class LocalEvents implements EventSink {
  /** Things in the template the local bus does not emulate, for the start-up list. */
  readonly notEmulated: string[] = [];
  private readonly queues = new Map<string, LocalQueue>();
  private readonly queuesByArn = new Map<string, LocalQueue>();
  private readonly pollers: QueuePoller[] = [];
  private rules: Rule[] = [];
  private readonly log: (line: string) => void;

  private constructor(private readonly options: LocalEventsOptions) {
    this.log = options.log ?? (() => {});
  }

  /** Builds the bus, queues and pollers; async because queue policies are evaluated once here. */
  static async create(options: LocalEventsOptions): Promise<LocalEvents> {
    const events = new LocalEvents(options);
    events.buildQueues();
    await events.buildRules();
    events.buildPollers();
    return events;
  }

  queue(logicalId: string): LocalQueue {
    const queue = this.queues.get(logicalId);
    if (!queue) throw new Error(`No queue ${logicalId} in the template`);
    return queue;
  }

  put(event: EventBridgeEvent): void {
    const body = JSON.stringify(event);
    for (const rule of this.rules) {
      if (!rule.matches(event)) continue;
      for (const target of rule.targets) {
        if (target.allowed) target.queue.send(body, 'AIDAEVENTBRIDGELOCAL');
        else if (target.deadLetter) {
          this.log(
            `${rule.logicalId}: the queue policy of ${target.queue.settings.logicalId} refuses the rule; the event goes to the target's dead-letter queue`,
          );
          target.deadLetter.send(body, 'AIDAEVENTBRIDGELOCAL');
        } else this.log(`${rule.logicalId}: the queue policy of ${target.queue.settings.logicalId} refuses the rule; the event is dropped`);
      }
    }
  }

  /** Resolves once every queue with a consumer is empty and no batch is running (retries and dead-lettering included). */
  async idle(options: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    while (this.pollers.some((p) => p.busy)) {
      if (Date.now() > deadline) throw new Error('The local queues did not drain in time');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async close(): Promise<void> {
    for (const poller of this.pollers) poller.close();
  }

  private buildQueues(): void {
    const { template } = this.options;
    for (const id of template.resourcesOfType('AWS::SQS::Queue')) {
      const props = (template.resources[id].Properties ?? {}) as Props;
      if (props.FifoQueue === true) throw new EventsConfigError(`${id}: FIFO queues are not emulated by the local run`);
      const redrive = props.RedrivePolicy === undefined ? undefined : template.resolve<Props>(props.RedrivePolicy);
      const arn = template.resolve<string>({ 'Fn::GetAtt': [id, 'Arn'] });
      if (this.options.stateDir) fs.mkdirSync(this.options.stateDir, { recursive: true });
      const queue = new LocalQueue(
        {
          logicalId: id,
          arn,
          visibilityTimeoutSeconds: Number(props.VisibilityTimeout ?? 30),
          retentionSeconds: Number(props.MessageRetentionPeriod ?? 345_600),
          delaySeconds: Number(props.DelaySeconds ?? 0),
          redrive: redrive && { deadLetterArn: String(redrive.deadLetterTargetArn), maxReceiveCount: Number(redrive.maxReceiveCount) },
        },
        {
          timeScale: this.options.timeScale ?? DEFAULT_TIME_SCALE,
          now: this.options.now,
          stateFile: this.options.stateDir && path.join(this.options.stateDir, `${id}.json`),
          queueByArn: (a) => this.queuesByArn.get(a),
          onChange: () => this.kick(id),
        },
      );
      this.queues.set(id, queue);
      this.queuesByArn.set(arn, queue);
    }
  }

  private async buildRules(): Promise<void> {
    const { template } = this.options;
    for (const id of template.resourcesOfType('AWS::Events::Rule')) {
      const props = (template.resources[id].Properties ?? {}) as Props;
      if (props.State !== undefined && props.State !== 'ENABLED') continue;
      const bus = props.EventBusName === undefined ? 'default' : template.resolve<string>(props.EventBusName);
      if (bus !== 'default' && !bus.endsWith(':event-bus/default')) {
        this.notEmulated.push(`${id} (rule on event bus ${bus})`);
        continue;
      }
      if (props.ScheduleExpression !== undefined) {
        this.notEmulated.push(`${id} (schedule ${props.ScheduleExpression})`);
        continue;
      }
      const matches = compilePattern(template.resolve(props.EventPattern), id);
      const ruleArn = template.resolve<string>({ 'Fn::GetAtt': [id, 'Arn'] });
      const targets: Target[] = [];
      for (const target of (props.Targets ?? []) as Props[]) {
        const extra = Object.keys(target).filter((k) => !ALLOWED_TARGET_KEYS.has(k));
        if (extra.length > 0) throw new EventsConfigError(`${id} target ${target.Id}: ${extra.join(', ')} is not emulated by the local run`);
        const arn = template.resolve<string>(target.Arn);
        const queue = this.queuesByArn.get(arn);
        if (!queue) throw new EventsConfigError(`${id} target ${target.Id}: only SQS queue targets are emulated by the local run, not ${arn}`);
        const deadLetterArn = target.DeadLetterConfig?.Arn === undefined ? undefined : template.resolve<string>(target.DeadLetterConfig.Arn);
        targets.push({ queue, deadLetter: deadLetterArn ? this.queuesByArn.get(deadLetterArn) : undefined, allowed: await this.queueAllows(queue, ruleArn) });
      }
      this.rules.push({ logicalId: id, matches, targets });
    }
  }

  /** Does the queue's AWS::SQS::QueuePolicy let EventBridge send this rule's events (aws:SourceArn = the rule)? */
  private async queueAllows(queue: LocalQueue, ruleArn: string): Promise<boolean> {
    const { template } = this.options;
    const policies = template
      .resourcesOfType('AWS::SQS::QueuePolicy')
      .map((id) => template.resources[id].Properties as Props)
      .filter((p) => (p.Queues as unknown[]).some((q) => template.resolve(q) === template.resolve({ Ref: queue.settings.logicalId })));
    if (policies.length === 0) return false;
    const statements = policies.flatMap((p) => template.resolve<PolicyDocumentJson>(p.PolicyDocument).Statement);
    const evaluation = await evaluateRequest({
      principalArn: 'events.amazonaws.com',
      accountId: template.accountId,
      action: 'sqs:SendMessage',
      resource: queue.settings.arn,
      identityPolicies: [],
      resourcePolicy: { Version: '2012-10-17', Statement: statements },
      context: { 'aws:SourceArn': ruleArn, 'aws:SourceAccount': template.accountId, 'aws:SecureTransport': 'true' },
    });
    return evaluation.allowed;
  }

  private buildPollers(): void {
    const { template, invoker } = this.options;
    for (const id of template.resourcesOfType('AWS::Lambda::EventSourceMapping')) {
      const props = (template.resources[id].Properties ?? {}) as Props;
      if (props.Enabled === false) continue;
      const sourceArn = template.resolve<string>(props.EventSourceArn);
      const queue = this.queuesByArn.get(sourceArn);
      if (!queue) {
        this.notEmulated.push(`${id} (event source ${sourceArn})`);
        continue;
      }
      if (props.FilterCriteria !== undefined) throw new EventsConfigError(`${id}: FilterCriteria is not emulated by the local run`);
      const functionLogicalId = invoker.functionFor(props.FunctionName);
      if (!functionLogicalId) throw new EventsConfigError(`${id}: FunctionName ${JSON.stringify(props.FunctionName)} is not a function of the template`);
      const poller = new QueuePoller(
        queue,
        {
          functionLogicalId,
          batchSize: Number(props.BatchSize ?? 10),
          batchingWindowSeconds: Number(props.MaximumBatchingWindowInSeconds ?? 0),
          reportBatchItemFailures: ((props.FunctionResponseTypes ?? []) as string[]).includes('ReportBatchItemFailures'),
          // One sandbox per function locally (the runner serializes invokes), so one batch at a time:
          // more would wait in the sandbox while their visibility timeouts ran out.
          maxConcurrency: 1,
          region: template.region,
        },
        invoker,
        this.log,
        this.options.now,
      );
      this.pollers.push(poller);
      if (queue.size > 0) poller.kick();
    }
  }

  private kick(queueLogicalId: string): void {
    for (const poller of this.pollers) if (poller.queue.settings.logicalId === queueLogicalId) poller.kick();
  }
}
