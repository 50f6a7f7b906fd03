import { describe, expect, it } from 'vitest';
import { formatClock, formatEstimate } from './duration-format';

describe('durations for people', () => {
  it('shows elapsed and remaining time as a clock', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(7_400)).toBe('0:07');
    expect(formatClock(754_000)).toBe('12:34');
    expect(formatClock(3_723_000)).toBe('1:02:03');
    expect(formatClock(-5)).toBe('0:00');
  });

  it('rounds estimates to what an estimate can know', () => {
    expect(formatEstimate(0.4)).toBe('1 s');
    expect(formatEstimate(22)).toBe('20 s');
    expect(formatEstimate(58)).toBe('1 min');
    expect(formatEstimate(70)).toBe('1 min 10 s');
    expect(formatEstimate(119)).toBe('2 min');
    expect(formatEstimate(1_500)).toBe('25 min');
    expect(formatEstimate(7_500)).toBe('2 h 5 min');
    expect(formatEstimate(7_200)).toBe('2 h');
    expect(formatEstimate(47 * 3_600)).toBe('47 h');
  });

  it('counts days from two days on, with separators (a hostile link can ask for years)', () => {
    expect(formatEstimate(48 * 3_600)).toBe('2 days');
    expect(formatEstimate(9.1e8)).toBe('10,532 days');
  });
});
