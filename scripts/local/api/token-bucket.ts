/**
 * API Gateway's throttling: a token bucket of `burstLimit` tokens refilled at
 * `rateLimit` per second; an empty bucket answers 429 THROTTLED.
 */
import type { Throttle } from './api-model';

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limits: Throttle,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = limits.burstLimit;
    this.last = now();
  }

  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.limits.burstLimit, this.tokens + ((now - this.last) / 1000) * this.limits.rateLimit);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
