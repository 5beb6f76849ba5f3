// Accuracy in the comparison: each row's runs over seeds summarized as a mean and a sample
// standard deviation, and the Pareto flag over (MACs, mean accuracy).
import type { ComparisonRow } from './compare.js';

/** Which accuracy a run reports: on held-out data when there is any, otherwise on the training data. */
export type AccuracyMetric = 'validation' | 'train';

export interface SeedRun {
  readonly seed: string;
  /** Final accuracy, a fraction in [0, 1]. */
  readonly accuracy: number;
}

export interface AccuracySummary {
  readonly metric: AccuracyMetric;
  readonly epochs: number;
  readonly runs: readonly SeedRun[];
  readonly mean: number;
  /** Sample standard deviation (divisor n - 1) over the seeds; null for a single seed. */
  readonly std: number | null;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('the mean of no values');
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Bessel-corrected: an estimate of the spread of a seed's result, not of these seeds' alone. */
export function sampleStd(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
}

export function summarize(metric: AccuracyMetric, epochs: number, runs: readonly SeedRun[]): AccuracySummary {
  const values = runs.map((r) => r.accuracy);
  return { metric, epochs, runs, mean: mean(values), std: sampleStd(values) };
}

interface Point {
  readonly macs: number;
  readonly accuracy: number;
}

/**
 * A point is on the Pareto frontier when no other point is at least as cheap and at least as
 * accurate while strictly better in one of the two. Equal points are all on it.
 */
export function paretoFlags(points: readonly Point[]): boolean[] {
  return points.map((p) => !points.some((q) => q.macs <= p.macs && q.accuracy >= p.accuracy && (q.macs < p.macs || q.accuracy > p.accuracy)));
}

/** Rows with their accuracy (in row order) and the Pareto flag over all of them. */
export function withAccuracy(rows: readonly ComparisonRow[], summaries: readonly AccuracySummary[]): ComparisonRow[] {
  if (summaries.length !== rows.length) throw new RangeError(`${summaries.length} accuracy summaries for ${rows.length} rows`);
  const pareto = paretoFlags(rows.map((r, i) => ({ macs: r.report.macs, accuracy: summaries[i].mean })));
  return rows.map((r, i) => ({ ...r, accuracy: summaries[i], pareto: pareto[i] }));
}
