import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDurationTick, formatGrouped } from './axis-format';

describe('axis labels', () => {
  it('show durations in ms below a second and in seconds above, with thousands separators', () => {
    expect(formatDurationTick(0)).toBe('0 ms');
    expect(formatDurationTick(250)).toBe('250 ms');
    expect(formatDurationTick(0.125)).toBe('0.125 ms');
    expect(formatDurationTick(1500)).toBe('1.5 s');
    expect(formatDurationTick(61_000)).toBe('61 s');
    expect(formatDurationTick(1e9)).toBe('1,000,000 s');
    expect(formatDurationTick(123_456_789)).toBe('123,457 s');
  });

  it('group counts and rates', () => {
    expect(formatGrouped(32768)).toBe('32,768');
    expect(formatGrouped(1234.567)).toBe('1,234.57');
    expect(formatGrouped(7)).toBe('7');
  });

  it('stay short for any duration a chart can hold', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e12, noNaN: true }), (ms) => formatDurationTick(ms).length <= 16),
    );
  });
});
