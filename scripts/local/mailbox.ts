/**
 * Where the local user pool's email and SMS go (docs/local.md): kept in
 * memory, oldest first, served as JSON at `/_local/mailbox?to=<address>` by
 * the web service, and printed on the console so a developer can read codes.
 */
import type { MailMessage, Mailbox } from './contracts';

export class LocalMailbox implements Mailbox {
  private readonly messages: MailMessage[] = [];

  constructor(
    private readonly print: (line: string) => void = () => undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  send(message: Omit<MailMessage, 'sentAt'>): void {
    const stored: MailMessage = { ...message, sentAt: this.now().toISOString() };
    this.messages.push(stored);
    this.print(`mail to ${stored.to}: ${stored.subject}${stored.code ? ` (code ${stored.code})` : ''}`);
  }

  /** Messages to `to` (case-insensitive, as email addresses are), or all, oldest first. */
  list(to?: string): MailMessage[] {
    const wanted = to?.toLowerCase();
    return this.messages.filter((m) => wanted === undefined || m.to.toLowerCase() === wanted);
  }
}
