/**
 * When a peak measurement can be trusted. A GPU that has idled runs at low clocks (an H200 drops to 345 MHz
 * between runs and measured half its warm peak), so the kernels first run until their throughput stops
 * rising; then each figure is measured in independent series until two in a row agree.
 */
import type { SeriesPeak } from './device-peaks';

export interface WarmupOptions {
  /** GPU work to run at least, whatever the throughput does. */
  readonly minGpuMs: number;
  /** Give up waiting for a plateau after this much GPU work. */
  readonly maxGpuMs: number;
  /** A submission "rose" when it beat everything before it by more than this fraction. */
  readonly riseTolerance: number;
}

const WARMUP: WarmupOptions = { minGpuMs: 1000, maxGpuMs: 10_000, riseTolerance: 0.02 };

export interface WarmupSample {
  readonly gpuMs: number;
  readonly perSecond: number;
}

/**
 * 'continue', or why the warm-up ends: throughput has stopped rising (the last two submissions beat the best
 * before them by no more than the tolerance) after at least the minimum of GPU work, or the time is up.
 */
export function warmupVerdict(
  samples: readonly WarmupSample[],
  options: WarmupOptions = WARMUP,
): 'continue' | 'plateau' | 'time-limit' {
  const gpuMs = samples.reduce((total, sample) => total + sample.gpuMs, 0);
  if (samples.length >= 3 && gpuMs >= options.minGpuMs) {
    const bestBefore = Math.max(...samples.slice(0, -2).map((sample) => sample.perSecond));
    const recent = Math.max(...samples.slice(-2).map((sample) => sample.perSecond));
    if (recent <= bestBefore * (1 + options.riseTolerance)) return 'plateau';
  }
  return gpuMs >= options.maxGpuMs ? 'time-limit' : 'continue';
}

export interface AgreementOptions {
  /** Two series agree when they differ by at most this fraction of the larger. */
  readonly tolerance: number;
  /** Series to measure at most before calling the figure unstable. */
  readonly maxSeries: number;
}

export const AGREEMENT: AgreementOptions = { tolerance: 0.05, maxSeries: 4 };

export function agree(first: number, second: number, tolerance = AGREEMENT.tolerance): boolean {
  const larger = Math.max(first, second);
  return larger > 0 && Math.abs(first - second) <= tolerance * larger;
}

/**
 * After each series: measure another, or settle. The figure is the best any series reached (a series that
 * ran slower, say before the clocks came up, takes nothing from what the GPU did); it is 'agreed' when the
 * last two series agree, 'unstable' when the tries ran out first.
 */
export function seriesVerdict(
  series: readonly number[],
  options: AgreementOptions = AGREEMENT,
): { readonly kind: 'again' } | { readonly kind: 'settled'; readonly peak: SeriesPeak } {
  if (series.length < 2) return { kind: 'again' };
  const agreed = agree(series[series.length - 2]!, series[series.length - 1]!, options.tolerance);
  if (!agreed && series.length < options.maxSeries) return { kind: 'again' };
  return {
    kind: 'settled',
    peak: { perSecond: Math.max(...series), series: [...series], agreement: agreed ? 'agreed' : 'unstable' },
  };
}

/** Runs `measureOnce` (one independent series) until seriesVerdict settles. */
export async function measureUntilAgreed(
  measureOnce: () => Promise<number>,
  options: AgreementOptions = AGREEMENT,
): Promise<SeriesPeak> {
  const series: number[] = [];
  for (;;) {
    series.push(await measureOnce());
    const verdict = seriesVerdict(series, options);
    if (verdict.kind === 'settled') return verdict.peak;
  }
}
