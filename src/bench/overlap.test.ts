import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OverlapLog } from './overlap';

describe('overlapping runs', () => {
  it('marks a trial measured while another run measured, and only those', () => {
    const log = new OverlapLog();
    expect(log.overlaps(0, 100)).toBe(false);
    log.begin('tab-b', 1000);
    expect(log.active()).toEqual(['tab-b']);
    expect(log.overlaps(900, 999)).toBe(false);
    expect(log.overlaps(900, 1000)).toBe(true);
    expect(log.overlaps(5000, 6000)).toBe(true);
    log.end('tab-b', 2000);
    expect(log.active()).toEqual([]);
    expect(log.overlaps(1500, 3000)).toBe(true);
    expect(log.overlaps(2001, 3000)).toBe(false);
    // A second overlap later on.
    log.begin('tab-b', 4000);
    log.begin('tab-b', 4100);
    expect(log.overlaps(3000, 3999)).toBe(false);
    expect(log.overlaps(4050, 4060)).toBe(true);
  });

  it('agrees with a brute-force check of every span', () => {
    const span = fc
      .tuple(fc.nat(10_000), fc.nat(10_000))
      .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
    fc.assert(
      fc.property(fc.array(span, { maxLength: 8 }), span, (spans, [from, to]) => {
        const log = new OverlapLog();
        spans.forEach(([start, end], i) => {
          log.begin(`run-${i}`, start);
          log.end(`run-${i}`, end);
        });
        const expected = spans.some(([start, end]) => start <= to && end >= from);
        return log.overlaps(from, to) === expected;
      }),
    );
  });
});
