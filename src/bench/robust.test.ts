import { describe, expect, it } from 'vitest';
import { coefficientOfVariation, madOutliers, medianConfidenceInterval } from './robust';

describe('median confidence interval', () => {
  it('uses X(2)..X(9) for n = 10 (coverage 97.85%)', () => {
    const ci = medianConfidenceInterval([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]);
    expect([ci.low, ci.high]).toEqual([2, 9]);
    expect(ci.confidence).toBeCloseTo(1 - 2 * (11 / 1024), 12);
  });

  it('falls back to min..max and says how sure it is for 5 samples (93.75%)', () => {
    const ci = medianConfidenceInterval([5, 3, 4, 1, 2]);
    expect(ci).toEqual({ low: 1, high: 5, confidence: 0.9375 });
  });

  it('narrows with many samples: n = 100 uses X(40)..X(61)', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const ci = medianConfidenceInterval(values);
    expect([ci.low, ci.high]).toEqual([40, 61]);
    expect(ci.confidence).toBeGreaterThanOrEqual(0.95);
  });
});

describe('spread and outliers', () => {
  it('coefficient of variation is sd over mean', () => {
    expect(coefficientOfVariation(200, 30)).toBeCloseTo(0.15, 12);
  });

  it('flags a far value by MAD and leaves ordinary noise alone', () => {
    expect(madOutliers([10, 11, 10.5, 9.8, 10.2, 30])).toEqual([5]);
    expect(madOutliers([10, 11, 10.5, 9.8, 10.2])).toEqual([]);
    expect(madOutliers([5, 5, 5, 9])).toEqual([]);
  });
});
