/** Alarm thresholds (plain data), documented in the README's "Operating it". */
export const OPERATIONS_DEFAULTS = {
  /** Below this many requests in 5 minutes an error rate is not computed (reads 0). */
  minRequestsForRate: 20,
  api5xxRatePercent: 5,
  api4xxRatePercent: 25,
  apiP99LatencyMs: 3000,
  wafBlockedPer5Minutes: 500,
  /**
   * Age of the upload queue's oldest message that alarms: a check takes seconds, so an
   * hour-old message means the checker is stuck, 14 days (the queue's retention) before it is lost.
   */
  uploadQueueOldestMessageSeconds: 3600,
} as const;
