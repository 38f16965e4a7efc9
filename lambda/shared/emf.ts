/**
 * CloudWatch embedded metric format, by hand: one JSON line on stdout per
 * data point, which CloudWatch Logs turns into a metric. Written with
 * process.stdout, not console, so Lambda's JSON log format does not wrap it
 * (a wrapped line is not extracted). No dimensions: alarms match the bare metric.
 */
export function emitCount(namespace: string, metric: string, value = 1, write: (line: string) => void = (line) => void process.stdout.write(line)): void {
  const line = {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[]], Metrics: [{ Name: metric, Unit: 'Count' }] }],
    },
    [metric]: value,
  };
  write(`${JSON.stringify(line)}\n`);
}
