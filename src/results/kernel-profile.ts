/**
 * Where a variant's GPU time goes, kernel by kernel, as onnxruntime's own profiler reported it (timestamp
 * queries around every WebGPU dispatch) in a session made only for profiling: never the measured one, since
 * the queries and their readbacks cost time of their own. Recorded with the variant's load; older files lack it.
 */
import { z } from 'zod';

export interface OpKernelTime {
  /** onnxruntime's op type, with the shader program when it differs: `MatMulNBits · MatMulNBitsWideTile`. */
  readonly op: string;
  /** Kernels of this kind in one run (mean over the profiled runs). */
  readonly kernels: number;
  /** Their GPU time in one run, in microseconds (mean over the profiled runs). */
  readonly gpuUs: number;
}

/** One kind of run (a prefill of `promptTokens`, or one decode step after it), averaged over warm runs. */
export interface RunKernelProfile {
  /** Warm runs the numbers are averaged over (the first run of each kind is left out: shader compilation). */
  readonly runs: number;
  /** `session.run` as onnxruntime timed it (`model_run`), median, in microseconds; includes the profiler's readback. */
  readonly wallUs: number;
  /** onnxruntime's executor walking the graph on the CPU (`SequentialExecutor::Execute`), median, in microseconds. */
  readonly executeUs: number;
  /** GPU kernels (dispatches) per run. */
  readonly kernels: number;
  /** The sum of the kernels' GPU times per run, in microseconds. */
  readonly gpuBusyUs: number;
  /** From the first kernel's start to the last one's end on the GPU, per run, in microseconds. */
  readonly gpuSpanUs: number;
  /** Nodes onnxruntime ran on the CPU per run (shape arithmetic, or ops WebGPU has no kernel for). */
  readonly cpuNodes: number;
  /** Their CPU time per run, in microseconds. */
  readonly cpuNodeUs: number;
  /** GPU time by op, most first. */
  readonly ops: readonly OpKernelTime[];
}

export interface KernelProfile {
  readonly promptTokens: number;
  readonly prefill: RunKernelProfile;
  /** One decode step on top of that prefill's cache. */
  readonly decode: RunKernelProfile;
  /**
   * Every kernel time a multiple of 100 µs: the browser rounded its GPU timestamps (Chrome does unless WebGPU
   * developer features are on), so per-kernel times say little; counts still hold.
   */
  readonly timestampsRounded: boolean;
}

export type KernelProfileReport =
  | { readonly kind: 'measured'; readonly profiles: readonly KernelProfile[] }
  | { readonly kind: 'not measured'; readonly reason: string };

const micros = z.number().finite().nonnegative();
const count = z.number().finite().nonnegative();

const runKernelProfileSchema = z.object({
  runs: z.number().int().min(1),
  wallUs: micros,
  executeUs: micros,
  kernels: count,
  gpuBusyUs: micros,
  gpuSpanUs: micros,
  cpuNodes: count,
  cpuNodeUs: micros,
  ops: z.array(z.object({ op: z.string().min(1).max(300), kernels: count, gpuUs: micros })).max(2000),
});

export const kernelProfileReportSchema: z.ZodType<KernelProfileReport> = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('measured'),
    profiles: z
      .array(
        z.object({
          promptTokens: z.number().int().min(1),
          prefill: runKernelProfileSchema,
          decode: runKernelProfileSchema,
          timestampsRounded: z.boolean(),
        }),
      )
      .max(64),
  }),
  z.object({ kind: z.literal('not measured'), reason: z.string().max(2000) }),
]);
