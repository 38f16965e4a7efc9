/** Median and spread of repeated measurements. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Half the min–max range: the "±" printed next to the median. */
  readonly spread: number;
  readonly runs: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  return { median, min, max, spread: (max - min) / 2, runs: sorted.length };
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * A figure measured against a reference in the same run: each sample pairs
 * one subject run with one reference run, so a slow or loaded machine moves
 * both and the ratio stays put.
 */
export interface Ratio {
  /** subject ÷ reference, per pair. */
  readonly ratio: Summary;
  readonly subject: Summary;
  readonly reference: Summary;
}

export function ratioOf(runs: number, pair: () => { subject: number; reference: number }): Ratio {
  const subject: number[] = [];
  const reference: number[] = [];
  for (let i = 0; i < runs; i++) {
    const sample = pair();
    subject.push(sample.subject);
    reference.push(sample.reference);
  }
  return ratioFromSamples(subject, reference);
}

export async function ratioOfAsync(runs: number, pair: () => Promise<{ subject: number; reference: number }>): Promise<Ratio> {
  const subject: number[] = [];
  const reference: number[] = [];
  for (let i = 0; i < runs; i++) {
    const sample = await pair();
    subject.push(sample.subject);
    reference.push(sample.reference);
  }
  return ratioFromSamples(subject, reference);
}

export function ratioFromSamples(subject: readonly number[], reference: readonly number[]): Ratio {
  return { ratio: summarize(subject.map((s, i) => s / reference[i])), subject: summarize(subject), reference: summarize(reference) };
}
