/**
 * Whether a long sweep holds its memory: samples of JS heap and GPU buffer bytes taken as trials finish. The
 * first samples include loading (sessions, compiled kernels, caches); after that, memory may grow only by
 * the trial records themselves. Judge one prompt shape at a time: onnxruntime keeps GPU buffers per tensor
 * shape, so a new prompt length legitimately adds GPU memory.
 */
export interface MemorySample {
  readonly trials: number;
  /** JS heap in use after a forced garbage collection. */
  readonly jsHeapBytes: number;
  /** GPU buffers created and not yet destroyed on the app's device. */
  readonly gpuLiveBytes: number;
}

export interface MemoryBound {
  /** Samples before this many trials are warm-up of the memory (loading, first shapes) and not judged. */
  readonly settleTrials: number;
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
  readonly gpuGrowthBytes: number;
  readonly judgedTrials: number;
  readonly problems: readonly string[];
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(2)} MiB`;
}

/**
 * Growth = the highest value in the second half of the settled samples minus the highest in the first half.
 * Samples land at random points inside a trial, so one trial's transient buffers come and go; comparing
 * peaks of two halves ignores that noise while a leak, which raises every later peak, still shows.
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
      gpuGrowthBytes: 0,
      judgedTrials: 0,
      problems: [`need at least four samples after ${bound.settleTrials} trials; got ${settled.length}`],
    };
  }
  const half = Math.floor(settled.length / 2);
  const early = settled.slice(0, half);
  const late = settled.slice(half);
  const peak = (part: readonly MemorySample[], of: (s: MemorySample) => number) => Math.max(...part.map(of));
  const jsHeapGrowthBytes = peak(late, (s) => s.jsHeapBytes) - peak(early, (s) => s.jsHeapBytes);
  const gpuGrowthBytes = peak(late, (s) => s.gpuLiveBytes) - peak(early, (s) => s.gpuLiveBytes);
  const judgedTrials = settled.at(-1)!.trials - settled[0]!.trials;
  const problems: string[] = [];
  if (jsHeapGrowthBytes > bound.maxJsHeapGrowthBytes) {
    problems.push(
      `JS heap grew ${mib(jsHeapGrowthBytes)} over ${judgedTrials} trials (bound ${mib(bound.maxJsHeapGrowthBytes)})`,
    );
  }
  if (gpuGrowthBytes > bound.maxGpuGrowthBytes) {
    problems.push(
      `GPU buffers grew ${mib(gpuGrowthBytes)} over ${judgedTrials} trials (bound ${mib(bound.maxGpuGrowthBytes)})`,
    );
  }
  return { ok: problems.length === 0, jsHeapGrowthBytes, gpuGrowthBytes, judgedTrials, problems };
}
