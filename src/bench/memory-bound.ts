/**
 * Whether a long sweep holds its memory: samples of JS heap and GPU buffer bytes taken as trials finish. The
 * first samples include loading (sessions, compiled kernels, caches); after that, memory may grow only by
 * the trial records themselves. Judge one prompt shape at a time: onnxruntime keeps GPU buffers per tensor
 * shape, so a new prompt length legitimately adds GPU memory.
 */
import { formatBytes } from '../format-bytes';
import { quantile } from './statistics';

export interface MemorySample {
  readonly trials: number;
  /** JS heap in use after a forced garbage collection. */
  readonly jsHeapBytes: number;
  /** GPU buffers created and not yet destroyed on the app's device. */
  readonly gpuLiveBytes: number;
  /**
   * The browser's own measurement of the page and its workers (performance.measureUserAgentSpecificMemory):
   * undefined where the page is not cross-origin isolated.
   */
  readonly userAgentBytes?: number | undefined;
}

export interface MemoryBound {
  /** Samples before this many trials are warm-up of the memory (loading, first shapes) and not judged. */
  readonly settleTrials: number;
  /** For the JS heap and, where measured, the browser's own measurement. */
  readonly maxJsHeapGrowthBytes: number;
  readonly maxGpuGrowthBytes: number;
}

/** 4 MiB of heap between halves of ~150 trials; GPU memory must not grow at all within one prompt shape. */
export const DEFAULT_MEMORY_BOUND: MemoryBound = {
  settleTrials: 50,
  maxJsHeapGrowthBytes: 4 * 2 ** 20,
  maxGpuGrowthBytes: 0,
};

export interface MemoryVerdict {
  readonly ok: boolean;
  readonly jsHeapGrowthBytes: number;
  /** Undefined unless every judged sample has the browser's measurement. */
  readonly userAgentGrowthBytes: number | undefined;
  readonly gpuGrowthBytes: number;
  readonly judgedTrials: number;
  readonly problems: readonly string[];
}

/** Growths and their bounds in one unit, so they read side by side. */
function mib(bytes: number): string {
  return formatBytes(bytes, { unit: 'MiB', digits: 2 });
}

/** A growth in KiB with its sign: "+697 KiB", "-2024 KiB". */
export function formatGrowth(bytes: number): string {
  return formatBytes(bytes, { unit: 'KiB', signed: true });
}

function medianOf(values: readonly number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/**
 * Growth from the first half of the settled samples to the second. Heap samples follow a forced garbage
 * collection, so what they hold is either kept (a leak raises every later sample) or alive at that instant
 * (a spike in one sample): the halves' medians ignore spikes and still move with a leak. GPU samples land
 * inside trials, so one trial's transient buffers come and go: the halves' peaks ignore that, and a leak,
 * which raises every later peak, still shows.
 */
export function judgeMemory(
  samples: readonly MemorySample[],
  bound: MemoryBound = DEFAULT_MEMORY_BOUND,
): MemoryVerdict {
  const settled = samples.filter((sample) => sample.trials >= bound.settleTrials);
  if (settled.length < 4) {
    return {
      ok: false,
      jsHeapGrowthBytes: 0,
      userAgentGrowthBytes: undefined,
      gpuGrowthBytes: 0,
      judgedTrials: 0,
      problems: [`need at least four samples after ${bound.settleTrials} trials; got ${settled.length}`],
    };
  }
  const half = Math.floor(settled.length / 2);
  const early = settled.slice(0, half);
  const late = settled.slice(half);
  const medianGrowth = (of: (s: MemorySample) => number) => medianOf(late.map(of)) - medianOf(early.map(of));
  const peakGrowth = (of: (s: MemorySample) => number) =>
    Math.max(...late.map(of)) - Math.max(...early.map(of));
  const jsHeapGrowthBytes = medianGrowth((s) => s.jsHeapBytes);
  const userAgentGrowthBytes = settled.every((s) => s.userAgentBytes !== undefined)
    ? medianGrowth((s) => s.userAgentBytes ?? 0)
    : undefined;
  const gpuGrowthBytes = peakGrowth((s) => s.gpuLiveBytes);
  const judgedTrials = settled.at(-1)!.trials - settled[0]!.trials;
  const problems: string[] = [];
  const heapBound = mib(bound.maxJsHeapGrowthBytes);
  if (jsHeapGrowthBytes > bound.maxJsHeapGrowthBytes) {
    problems.push(`JS heap grew ${mib(jsHeapGrowthBytes)} over ${judgedTrials} trials (bound ${heapBound})`);
  }
  if (userAgentGrowthBytes !== undefined && userAgentGrowthBytes > bound.maxJsHeapGrowthBytes) {
    problems.push(
      `the browser measured ${mib(userAgentGrowthBytes)} of growth over ${judgedTrials} trials (bound ${heapBound})`,
    );
  }
  if (gpuGrowthBytes > bound.maxGpuGrowthBytes) {
    problems.push(
      `GPU buffers grew ${mib(gpuGrowthBytes)} over ${judgedTrials} trials (bound ${mib(bound.maxGpuGrowthBytes)})`,
    );
  }
  return {
    ok: problems.length === 0,
    jsHeapGrowthBytes,
    userAgentGrowthBytes,
    gpuGrowthBytes,
    judgedTrials,
    problems,
  };
}
