/**
 * Counts the WebGPU calls that cost CPU time per kernel — compute dispatches and queue submits, the two each trial
 * records — by wrapping the WebGPU prototypes in this realm once (each wrapper is one more call on the measured
 * path, so only what is recorded is wrapped). onnxruntime's WebGPU EP calls these JS objects
 * directly (emdawnwebgpu), so the counts are exactly what one `session.run` issued: the "kernels per token"
 * that bound a small model's latency on a fast GPU (~12 µs a dispatch on an H200).
 */
export interface GpuWorkCounts {
  readonly dispatches: number;
  readonly submits: number;
}

const counts = { dispatches: 0, submits: 0 };
let installed = false;

type Method = (this: unknown, ...args: never[]) => unknown;

function countCalls(prototype: object | undefined, name: string, count: () => void): void {
  if (prototype === undefined) return;
  const original = (prototype as Record<string, unknown>)[name];
  if (typeof original !== 'function') return;
  const method = original as Method;
  Object.defineProperty(prototype, name, {
    configurable: true,
    writable: true,
    value: function counted(this: unknown, ...args: never[]): unknown {
      count();
      return method.apply(this, args);
    },
  });
}

/** Installs the counters (idempotent); returns false where this realm has no WebGPU. */
export function installGpuWorkCounter(): boolean {
  if (installed) return true;
  if (typeof GPUComputePassEncoder === 'undefined') return false;
  countCalls(GPUComputePassEncoder.prototype, 'dispatchWorkgroups', () => counts.dispatches++);
  countCalls(GPUComputePassEncoder.prototype, 'dispatchWorkgroupsIndirect', () => counts.dispatches++);
  countCalls(GPUQueue.prototype, 'submit', () => counts.submits++);
  installed = true;
  return true;
}

export function readGpuWorkCounts(): GpuWorkCounts {
  return { ...counts };
}

export function gpuWorkSince(before: GpuWorkCounts): GpuWorkCounts {
  return {
    dispatches: counts.dispatches - before.dispatches,
    submits: counts.submits - before.submits,
  };
}
