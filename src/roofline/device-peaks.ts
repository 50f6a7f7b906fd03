/**
 * What a peak measurement records. A "peak" here is the best this browser reached with our own kernels on
 * this GPU (after warming it up, in two series that agree), never the hardware's limit: a data sheet's
 * figure can be several times higher.
 */

export type MatmulPrecision = 'f32' | 'f16';

export const PEAK_KERNEL_NAMES = ['tiled', 'vec4', 'blocked', 'subgroup', 'subgroup-matrix'] as const;
export type PeakKernelName = (typeof PEAK_KERNEL_NAMES)[number];

/** One kernel tried for one precision: measured once (after its result was checked), or left out and why. */
export interface KernelOutcome {
  readonly kernel: PeakKernelName;
  readonly precision: MatmulPrecision;
  /** What this kernel ran as, where it varies by adapter (a subgroup-matrix configuration). */
  readonly detail: string | undefined;
  readonly result:
    | { readonly kind: 'measured'; readonly flopsPerSecond: number; readonly size: number }
    | { readonly kind: 'excluded'; readonly reason: string };
}

/** A kernel left out for a precision, and why. */
export function excludedOutcome(
  kernel: Pick<KernelOutcome, 'kernel' | 'precision' | 'detail'>,
  reason: string,
): KernelOutcome {
  const { precision, detail } = kernel;
  return { kernel: kernel.kernel, precision, detail, result: { kind: 'excluded', reason } };
}

/** One figure measured in independent series until two in a row agree (or the tries run out). */
export interface SeriesPeak {
  /** The figure used: the best any series reached. */
  readonly perSecond: number;
  /** Every series' value, in the order measured. */
  readonly series: readonly number[];
  /** Whether the last two series agree within the tolerance. */
  readonly agreement: 'agreed' | 'unstable';
}

export interface MatmulPeak extends SeriesPeak {
  readonly kernel: PeakKernelName;
  readonly detail: string | undefined;
  /** The square matrices' side. */
  readonly size: number;
}

export interface WarmupRecord {
  /** GPU work run before any measurement, ms (submit to done). */
  readonly gpuMs: number;
  /** Throughput of each warm-up submission, FLOP/s, in order: rising while the clocks ramp up. */
  readonly flopsPerSecond: readonly number[];
  /** 'plateau': throughput stopped rising; 'time-limit': it was still rising when the warm-up gave up. */
  readonly ended: 'plateau' | 'time-limit';
}

export interface DevicePeaks {
  /** Matrix multiply, FLOP/s. */
  readonly matmulF32: MatmulPeak;
  /** Only with shader-f16. */
  readonly matmulF16: MatmulPeak | undefined;
  /** Read + write bandwidth of a streaming copy, bytes/s. */
  readonly memory: SeriesPeak;
  readonly kernels: readonly KernelOutcome[];
  readonly warmup: WarmupRecord;
}
