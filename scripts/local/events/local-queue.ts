/**
 * An SQS standard queue with the template's semantics: a received message is
 * invisible for VisibilityTimeout, counts its receives, moves to the
 * dead-letter queue once received more than RedrivePolicy.maxReceiveCount
 * times, and expires after MessageRetentionPeriod. Durations are multiplied by
 * `timeScale` (the local run shortens them; docs/local.md). Contents persist in
 * a JSON file when one is given.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';

export interface QueueSettings {
  readonly logicalId: string;
  readonly arn: string;
  readonly visibilityTimeoutSeconds: number;
  readonly retentionSeconds: number;
  readonly delaySeconds: number;
  readonly redrive?: { readonly deadLetterArn: string; readonly maxReceiveCount: number };
}

export interface QueueMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly sentAt: number;
  readonly senderId: string;
  receiveCount: number;
  firstReceivedAt?: number;
  visibleAt: number;
  receiptHandle?: string;
}

export interface QueueOptions {
  /** Multiplies every duration. @default 1 */
  readonly timeScale?: number;
  readonly now?: () => number;
  /** Where the messages are kept across runs. */
  readonly stateFile?: string;
  /** Finds the dead-letter queue named by the redrive policy. */
  readonly queueByArn?: (arn: string) => LocalQueue | undefined;
  /** Called whenever a message may have become receivable (sent, or made visible again). */
  readonly onChange?: () => void;
}

export class LocalQueue {
  private messages: QueueMessage[];
  private readonly now: () => number;
  private readonly scale: number;

  constructor(
    readonly settings: QueueSettings,
    private readonly options: QueueOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.scale = options.timeScale ?? 1;
    this.messages = options.stateFile && fs.existsSync(options.stateFile) ? JSON.parse(fs.readFileSync(options.stateFile, 'utf8')) : [];
  }

  /** Milliseconds of local time for `seconds` of queue time. */
  scaled(seconds: number): number {
    return Math.round(seconds * 1000 * this.scale);
  }

  send(body: string, senderId = 'AIDALOCALSENDER'): QueueMessage {
    const now = this.now();
    const message: QueueMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: createHash('md5').update(body).digest('hex'),
      sentAt: now,
      senderId,
      receiveCount: 0,
      visibleAt: now + this.scaled(this.settings.delaySeconds),
    };
    this.messages.push(message);
    this.changed();
    return message;
  }

  /**
   * Up to `max` visible messages, now invisible for the visibility timeout.
   * A message already received maxReceiveCount times goes to the dead-letter
   * queue instead, as SQS moves it on the receive that would exceed the count.
   */
  receive(max: number): QueueMessage[] {
    this.expire();
    const now = this.now();
    const out: QueueMessage[] = [];
    for (const message of [...this.messages]) {
      if (out.length >= max) break;
      if (message.visibleAt > now) continue;
      const redrive = this.settings.redrive;
      if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
        const dlq = this.options.queueByArn?.(redrive.deadLetterArn);
        if (!dlq) throw new Error(`${this.settings.logicalId}: its dead-letter queue ${redrive.deadLetterArn} is not in the template`);
        this.messages = this.messages.filter((m) => m !== message);
        dlq.adopt(message);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + this.scaled(this.settings.visibilityTimeoutSeconds);
      message.receiptHandle = randomBytes(24).toString('base64url');
      out.push(message);
    }
    this.save();
    return out;
  }

  delete(receiptHandle: string): boolean {
    const before = this.messages.length;
    this.messages = this.messages.filter((m) => m.receiptHandle !== receiptHandle);
    this.save();
    return this.messages.length < before;
  }

  /** Every message (visible or in flight), oldest first. */
  peek(): readonly QueueMessage[] {
    this.expire();
    return [...this.messages];
  }

  get size(): number {
    return this.peek().length;
  }

  /** When the next invisible message becomes visible (undefined when none is waiting). */
  nextVisibleAt(): number | undefined {
    const times = this.messages.map((m) => m.visibleAt).filter((t) => t > this.now());
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /** A message moved here by a redrive policy keeps its ID, body, sent time and receive count, as SQS keeps them. */
  private adopt(message: QueueMessage): void {
    this.messages.push({ ...message, visibleAt: this.now(), receiptHandle: undefined });
    this.changed();
  }

  private expire(): void {
    const cutoff = this.now() - this.scaled(this.settings.retentionSeconds);
    const kept = this.messages.filter((m) => m.sentAt > cutoff);
    if (kept.length !== this.messages.length) {
      this.messages = kept;
      this.save();
    }
  }

  private changed(): void {
    this.save();
    this.options.onChange?.();
  }

  private save(): void {
    if (!this.options.stateFile) return;
    const temp = `${this.options.stateFile}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(this.messages));
    fs.renameSync(temp, this.options.stateFile);
  }
}
