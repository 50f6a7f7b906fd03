import { describe, expect, it } from 'vitest';
import { agree, measureUntilAgreed, seriesVerdict, warmupVerdict, type WarmupSample } from './peak-stability';

const samples = (perSecond: readonly number[], gpuMs = 200): WarmupSample[] =>
  perSecond.map((value) => ({ gpuMs, perSecond: value }));

describe('warmupVerdict', () => {
  it('keeps going while the clocks ramp up, and stops once throughput stops rising', () => {
    // An idle GPU: throughput doubles over the first submissions, then flattens.
    const ramp = [8, 11, 14, 16, 16.2, 16.1];
    const verdicts = ramp.map((_, index) => warmupVerdict(samples(ramp.slice(0, index + 1))));
    expect(verdicts).toEqual(['continue', 'continue', 'continue', 'continue', 'continue', 'plateau']);
  });

  it('runs at least a second of GPU work even when the throughput is flat from the start', () => {
    expect(warmupVerdict(samples([5, 5, 5], 100))).toBe('continue');
    expect(warmupVerdict(samples([5, 5, 5, 5, 5, 5, 5, 5, 5, 5], 100))).toBe('plateau');
  });

  it('a rise of more than 2% over the best before counts as still rising', () => {
    expect(warmupVerdict(samples([10, 10, 10, 10.3], 400))).toBe('continue');
    expect(warmupVerdict(samples([10, 10, 10, 10.1], 400))).toBe('plateau');
  });

  it('gives up after ten seconds of GPU work if the throughput never settles', () => {
    const rising = Array.from({ length: 50 }, (_, index) => 1.05 ** index);
    expect(warmupVerdict(samples(rising.slice(0, 49), 200))).toBe('continue');
    expect(warmupVerdict(samples(rising, 200))).toBe('time-limit');
  });
});

describe('series agreement', () => {
  it('two series agree within 5% of the larger', () => {
    expect(agree(16.3, 16.5)).toBe(true);
    expect(agree(100, 95)).toBe(true);
    expect(agree(100, 94.9)).toBe(false);
    expect(agree(7.5, 16.3)).toBe(false);
    expect(agree(0, 0)).toBe(false);
  });

  it('settles once two series in a row agree, on the best reached', () => {
    expect(seriesVerdict([16.3])).toEqual({ kind: 'again' });
    expect(seriesVerdict([16.3, 16.5])).toEqual({
      kind: 'settled',
      peak: { perSecond: 16.5, series: [16.3, 16.5], agreement: 'agreed' },
    });
  });

  it('measures again when two disagree, and judges only the last two', () => {
    expect(seriesVerdict([8.1, 16.3])).toEqual({ kind: 'again' });
    expect(seriesVerdict([8.1, 16.3, 16.4])).toEqual({
      kind: 'settled',
      peak: { perSecond: 16.4, series: [8.1, 16.3, 16.4], agreement: 'agreed' },
    });
  });

  it('after four series that never agree it reports "unstable", keeping every number', () => {
    expect(seriesVerdict([7.5, 16.3, 8.1])).toEqual({ kind: 'again' });
    expect(seriesVerdict([7.5, 16.6, 8.1, 16.5])).toEqual({
      kind: 'settled',
      peak: { perSecond: 16.6, series: [7.5, 16.6, 8.1, 16.5], agreement: 'unstable' },
    });
  });

  it('a series that ran faster before the last two agreed still counts as reached', () => {
    expect(seriesVerdict([16.9, 15.0, 15.2])).toEqual({
      kind: 'settled',
      peak: { perSecond: 16.9, series: [16.9, 15.0, 15.2], agreement: 'agreed' },
    });
  });

  it('measureUntilAgreed runs one series at a time until they settle', async () => {
    const values = [8, 16, 16.4, 99];
    let calls = 0;
    const peak = await measureUntilAgreed(() => Promise.resolve(values[calls++]!));
    expect(calls).toBe(3);
    expect(peak).toEqual({ perSecond: 16.4, series: [8, 16, 16.4], agreement: 'agreed' });
  });
});
