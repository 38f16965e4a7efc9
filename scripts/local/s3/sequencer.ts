/**
 * S3 event sequencers: hexadecimal, and for one key a later event always has
 * a greater sequencer (docs/design.md, "Upload checks": the checker orders
 * events by them). Fixed width, from the clock and a counter, so they also
 * keep increasing across restarts of the local run.
 */
export class Sequencer {
  private last = 0n;

  constructor(private readonly now: () => number = Date.now) {}

  next(): string {
    const candidate = BigInt(this.now()) << 20n;
    this.last = candidate > this.last ? candidate : this.last + 1n;
    return this.last.toString(16).toUpperCase().padStart(18, '0');
  }
}
