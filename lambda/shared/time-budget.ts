/**
 * How long a handler may keep starting work: Lambda's remaining time minus a
 * reserve for the steps that must still fit after the last batch (and the
 * response). Outside Lambda (tests, benchmarks) a context may lack
 * `getRemainingTimeInMillis`; then the budget counts down from `fallbackMs`.
 */
import type { Context } from 'aws-lambda';

export interface TimeBudget {
  /** True while at least the reserve is left. */
  hasTime(): boolean;
}

export function timeBudget(context: Partial<Context> | undefined, reserveMs: number, fallbackMs: number, now: () => number = Date.now): TimeBudget {
  const started = now();
  const remaining =
    typeof context?.getRemainingTimeInMillis === 'function' ? () => (context.getRemainingTimeInMillis as () => number)() : () => fallbackMs - (now() - started);
  return { hasTime: () => remaining() > reserveMs };
}
