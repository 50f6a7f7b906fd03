import { describe, expect, it } from 'vitest';
import { quantile, summarize } from './statistics';

describe('statistics of repeated trials', () => {
  it('matches hand-computed values for 1..4', () => {
    const summary = summarize([4, 1, 3, 2]);
    expect(summary).toMatchObject({ n: 4, median: 2.5, mean: 2.5, min: 1, max: 4 });
    expect(summary.p10).toBeCloseTo(1.3, 12);
    expect(summary.p90).toBeCloseTo(3.7, 12);
    expect(summary.stdDev).toBeCloseTo(Math.sqrt(5 / 3), 12);
  });

  it('uses the sample standard deviation', () => {
    expect(summarize([2, 4, 4, 4, 5, 5, 7, 9]).stdDev).toBeCloseTo(2.138089935299395, 12);
  });

  it('handles a single measurement', () => {
    expect(summarize([7.5])).toEqual({
      n: 1,
      median: 7.5,
      mean: 7.5,
      stdDev: 0,
      min: 7.5,
      max: 7.5,
      p10: 7.5,
      p90: 7.5,
    });
  });

  it('interpolates quantiles like numpy', () => {
    // numpy.quantile([10, 20, 30, 40, 50], 0.9) == 46.0
    expect(quantile([10, 20, 30, 40, 50], 0.9)).toBeCloseTo(46, 12);
    expect(quantile([10, 20, 30, 40, 50], 0.5)).toBe(30);
  });

  it('refuses empty or non-finite input', () => {
    expect(() => summarize([])).toThrow(/empty/);
    expect(() => summarize([1, Number.NaN])).toThrow(/finite/);
  });
});
