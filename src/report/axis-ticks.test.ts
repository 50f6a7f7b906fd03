import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDurationTick, formatGrouped } from './axis-format';
import { labelWidthPx, linearTicks, logTicks, positionPx, thinTicks, yAxisWidthPx } from './axis-ticks';

describe('axis ticks', () => {
  it('steps linear axes by 1, 2 or 5 × 10ⁿ from zero past the largest value', () => {
    expect(linearTicks(26_000)).toEqual([0, 10_000, 20_000, 30_000]);
    expect(linearTicks(21_116)).toEqual([0, 5_000, 10_000, 15_000, 20_000, 25_000]);
    expect(linearTicks(12.6)).toEqual([0, 5, 10, 15]);
    expect(linearTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(linearTicks(0)).toEqual([0]);
  });

  it('labels long durations in seconds with thousands separators', () => {
    expect(linearTicks(80_000).map(formatDurationTick)).toEqual(['0 ms', '20 s', '40 s', '60 s', '80 s']);
    expect(formatDurationTick(12_500)).toBe('12.5 s');
    expect(formatDurationTick(1_250_000)).toBe('1,250 s');
  });

  it('covers any range with ticks, the data inside their span', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e9, noNaN: true }), (max) => {
        const ticks = linearTicks(max);
        expect(ticks[0]).toBe(0);
        expect(ticks.at(-1)!).toBeGreaterThanOrEqual(max * (1 - 1e-9));
        expect(ticks.length).toBeLessThanOrEqual(11);
      }),
    );
  });

  it('puts log ticks at 1, 2, 5 per decade, or powers of ten when the range is wide', () => {
    expect(logTicks(16, 1024)).toEqual([10, 20, 50, 100, 200, 500, 1000, 2000]);
    expect(logTicks(3, 4)).toEqual([2, 5]);
    expect(logTicks(1, 1e6)).toEqual([1, 10, 100, 1000, 1e4, 1e5, 1e6]);
    expect(logTicks(0, 5)).toEqual([]);
  });

  it('makes the y axis as wide as its longest label, so a title beside it never covers one', () => {
    const labels = linearTicks(1_250_000).map(formatDurationTick);
    expect(labels.at(-1)).toBe('1,500 s');
    expect(yAxisWidthPx(labels)).toBe(labelWidthPx('1,500 s') + 16);
    expect(labelWidthPx('1,500 s')).toBeGreaterThan(labelWidthPx('40 s'));
    expect(yAxisWidthPx(['0'])).toBe(36);
  });

  it('thins x ticks that would touch on a narrow chart, keeping the ends', () => {
    const lengths = [8, 16, 32, 64, 128, 256, 512, 1024];
    const axis = (lengthPx: number) => ({
      scale: 'linear' as const,
      domain: [8, 1024] as const,
      lengthPx,
      label: formatGrouped,
    });
    // 300 px wide: 8, 16, 32 and 64 sit within 17 px of each other.
    const kept = thinTicks(lengths, axis(300));
    expect(kept[0]).toBe(8);
    expect(kept.at(-1)).toBe(1024);
    expect(kept).not.toContain(16);
    for (let i = 1; i < kept.length; i++) {
      const gap =
        positionPx(kept[i]!, axis(300)) -
        positionPx(kept[i - 1]!, axis(300)) -
        (labelWidthPx(formatGrouped(kept[i]!)) + labelWidthPx(formatGrouped(kept[i - 1]!))) / 2;
      expect(gap).toBeGreaterThanOrEqual(8);
    }
    // On a log axis 1200 px wide every length fits.
    expect(thinTicks(lengths, { ...axis(1200), scale: 'log' })).toEqual(lengths);
  });
});
