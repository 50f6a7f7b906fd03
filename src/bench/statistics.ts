/** Descriptive statistics of repeated measurements. */

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly mean: number;
  /** Sample standard deviation (n - 1); 0 for a single value. */
  readonly stdDev: number;
  readonly min: number;
  readonly max: number;
  readonly p10: number;
  readonly p90: number;
}

/** Quantile by linear interpolation between order statistics (numpy's default, Hyndman–Fan type 7). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('quantile of no values');
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const fraction = position - lower;
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * fraction;
}

/** The median of unsorted values (quantile 0.5: the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('cannot summarize an empty set of measurements');
  if (values.some((value) => !Number.isFinite(value))) throw new Error('measurements must be finite numbers');
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / n;
  const variance = n < 2 ? 0 : sorted.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1);
  return {
    n,
    median: quantile(sorted, 0.5),
    mean,
    stdDev: Math.sqrt(variance),
    min: sorted[0]!,
    max: sorted[n - 1]!,
    p10: quantile(sorted, 0.1),
    p90: quantile(sorted, 0.9),
  };
}
