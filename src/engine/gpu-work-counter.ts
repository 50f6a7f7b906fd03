/**
 * Counts the WebGPU calls that cost CPU time per kernel — compute dispatches, queue submits, bind groups, buffer
 * writes — by wrapping the WebGPU prototypes in this realm once. onnxruntime's WebGPU EP calls these JS objects
 * directly (emdawnwebgpu), so the counts are exactly what one `session.run` issued: the "kernels per token"
 * that bound a small model's latency on a fast GPU (~12 µs a dispatch on an H200).
 */
export interface GpuWorkCounts {
  readonly dispatches: number;
  readonly submits: number;
  readonly bindGroups: number;
  readonly bufferWrites: number;
}

const counts = { dispatches: 0, submits: 0, bindGroups: 0, bufferWrites: 0 };
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
  countCalls(GPUQueue.prototype, 'writeBuffer', () => counts.bufferWrites++);
  countCalls(GPUDevice.prototype, 'createBindGroup', () => counts.bindGroups++);
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
    bindGroups: counts.bindGroups - before.bindGroups,
    bufferWrites: counts.bufferWrites - before.bufferWrites,
  };
}
