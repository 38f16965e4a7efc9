/**
 * A Lambda event source mapping on a local queue: receives batches
 * (BatchSize, MaximumBatchingWindowInSeconds), invokes the function with an
 * SQS event, deletes what succeeded. With ReportBatchItemFailures only the
 * reported items stay for a retry after the visibility timeout; a thrown
 * error (or an invalid failure report) leaves the whole batch, as Lambda does.
 */
import type { LambdaInvoker } from '../contracts';
import type { LocalQueue, QueueMessage } from './local-queue';

export interface PollerSettings {
  readonly functionLogicalId: string;
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  readonly reportBatchItemFailures: boolean;
  /** ScalingConfig.MaximumConcurrency: batches in flight at once. */
  readonly maxConcurrency: number;
  readonly region: string;
}

export class QueuePoller {
  private inFlight = 0;
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    readonly queue: LocalQueue,
    private readonly settings: PollerSettings,
    private readonly invoker: LambdaInvoker,
    private readonly log: (line: string) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  /** Messages waiting or in flight, or a batch running. */
  get busy(): boolean {
    return this.inFlight > 0 || this.queue.size > 0;
  }

  /** Something changed: poll soon (after the batching window, when there is one). */
  kick(): void {
    if (this.closed || this.timer) return;
    const delay = this.settings.batchingWindowSeconds > 0 ? this.queue.scaled(this.settings.batchingWindowSeconds) : 0;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, delay);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pump(): void {
    while (!this.closed && this.inFlight < this.settings.maxConcurrency) {
      const batch = this.queue.receive(this.settings.batchSize);
      if (batch.length === 0) break;
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        this.kick();
      });
    }
    const next = this.queue.nextVisibleAt();
    if (!this.closed && next !== undefined && !this.timer) {
      this.timer = setTimeout(
        () => {
          this.timer = undefined;
          this.pump();
        },
        Math.max(1, next - this.now() + 1),
      );
    }
  }

  private async run(batch: QueueMessage[]): Promise<void> {
    let failed: Set<string>;
    try {
      const result = await this.invoker.invoke(this.settings.functionLogicalId, this.sqsEvent(batch));
      failed = this.failedItems(result, batch);
    } catch (error) {
      this.log(`${this.settings.functionLogicalId} failed a batch of ${batch.length} from ${this.queue.settings.logicalId}: ${(error as Error).message}`);
      failed = new Set(batch.map((m) => m.messageId));
    }
    for (const message of batch) if (!failed.has(message.messageId)) this.queue.delete(message.receiptHandle!);
  }

  /** The messages to leave on the queue: the reported failures, or all of them when the report is invalid. */
  private failedItems(result: unknown, batch: QueueMessage[]): Set<string> {
    if (!this.settings.reportBatchItemFailures) return new Set();
    const failures = (result as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures;
    if (failures === undefined || failures === null) return new Set();
    const ids = new Set(batch.map((m) => m.messageId));
    if (!Array.isArray(failures) || failures.some((f) => typeof f?.itemIdentifier !== 'string' || !ids.has(f.itemIdentifier))) {
      this.log(`${this.settings.functionLogicalId} returned an invalid batchItemFailures report; the whole batch is retried`);
      return ids;
    }
    return new Set(failures.map((f) => f.itemIdentifier as string));
  }

  private sqsEvent(batch: QueueMessage[]): { Records: unknown[] } {
    return {
      Records: batch.map((m) => ({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: m.body,
        attributes: {
          ApproximateReceiveCount: String(m.receiveCount),
          SentTimestamp: String(m.sentAt),
          SenderId: m.senderId,
          ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt ?? m.sentAt),
        },
        messageAttributes: {},
        md5OfBody: m.md5OfBody,
        eventSource: 'aws:sqs',
        eventSourceARN: this.queue.settings.arn,
        awsRegion: this.settings.region,
      })),
    };
  }
}
