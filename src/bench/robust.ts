/** Statistics that say how far to trust a cell: a distribution-free CI of the median, CV, and MAD outliers. */

export interface MedianInterval {
  readonly low: number;
  readonly high: number;
  /** The coverage actually achieved: with few samples it is below the 95% asked for. */
  readonly confidence: number;
}

function binomialHalfCdfBelow(n: number, j: number): number {
  // P(B < j) for B ~ Binomial(n, 1/2), summed in log space so large n does not overflow.
  let total = 0;
  let logChoose = 0;
  for (let i = 0; i < j; i++) {
    if (i > 0) logChoose += Math.log((n - i + 1) / i);
    total += Math.exp(logChoose - n * Math.LN2);
  }
  return total;
}

/**
 * Order-statistic interval for the median (no assumption about the distribution): the widest symmetric pair
 * X(j), X(n+1-j) whose coverage P(j ≤ B < n+1-j) is at least `level`, or [min, max] when even that is less.
 */
export function medianConfidenceInterval(values: readonly number[], level = 0.95): MedianInterval {
  if (values.length === 0) throw new Error('no values');
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  let j = 1;
  while (j + 1 <= n + 1 - (j + 1) && 1 - 2 * binomialHalfCdfBelow(n, j + 1) >= level) j++;
  return {
    low: sorted[j - 1]!,
    high: sorted[n - j]!,
    confidence: n === 1 ? 0 : 1 - 2 * binomialHalfCdfBelow(n, j),
  };
}

/** Coefficient of variation: sample standard deviation over the mean. */
export function coefficientOfVariation(mean: number, stdDev: number): number {
  return mean === 0 ? 0 : stdDev / mean;
}

/** Above this CV a cell's median is shaky: suggest more repetitions. */
export const HIGH_CV = 0.1;

/**
 * Indexes of outliers by the modified z-score 0.6745·|x − median| / MAD > 3.5 (Iglewicz & Hoaglin). With
 * MAD = 0 (most values identical) nothing is flagged rather than everything that differs.
 */
export function madOutliers(values: readonly number[], threshold = 3.5): number[] {
  if (values.length < 3) return [];
  const median = medianOf(values);
  const mad = medianOf(values.map((value) => Math.abs(value - median)));
  if (mad === 0) return [];
  return values.flatMap((value, index) =>
    (0.6745 * Math.abs(value - median)) / mad > threshold ? [index] : [],
  );
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
