/** Alarm thresholds (plain data), documented in the README's "Operating it". */
export const OPERATIONS_DEFAULTS = {
  /** Below this many requests in 5 minutes an error rate is not computed (reads 0). */
  minRequestsForRate: 20,
  api5xxRatePercent: 5,
  api4xxRatePercent: 25,
  apiP99LatencyMs: 3000,
  wafBlockedPer5Minutes: 500,
} as const;
