/**
 * Counts the GPU buffers created on a device and the ones destroyed, with their bytes, so a long sweep can
 * show it does not leak GPU memory. Installed on the app's own device, which onnxruntime also allocates on,
 * so its buffers are counted too. Buffers dropped without `destroy()` stay counted as live: that is a leak
 * in WebGPU terms too (their memory waits for garbage collection).
 */
export interface GpuBufferAccounting {
  readonly liveBuffers: number;
  readonly liveBytes: number;
  readonly peakBytes: number;
  readonly createdBuffers: number;
  readonly destroyedBuffers: number;
}

const accountings = new WeakMap<GPUDevice, () => GpuBufferAccounting>();

export function installGpuBufferAccounting(device: GPUDevice): () => GpuBufferAccounting {
  const existing = accountings.get(device);
  if (existing !== undefined) return existing;
  const live = new Map<GPUBuffer, number>();
  let liveBytes = 0;
  let peakBytes = 0;
  let createdBuffers = 0;
  let destroyedBuffers = 0;
  const createBuffer = device.createBuffer.bind(device);
  device.createBuffer = (descriptor: GPUBufferDescriptor): GPUBuffer => {
    const buffer = createBuffer(descriptor);
    createdBuffers++;
    live.set(buffer, descriptor.size);
    liveBytes += descriptor.size;
    peakBytes = Math.max(peakBytes, liveBytes);
    const destroy = buffer.destroy.bind(buffer);
    buffer.destroy = () => {
      const size = live.get(buffer);
      if (size !== undefined) {
        live.delete(buffer);
        liveBytes -= size;
        destroyedBuffers++;
      }
      destroy();
    };
    return buffer;
  };
  const read = (): GpuBufferAccounting => ({
    liveBuffers: live.size,
    liveBytes,
    peakBytes,
    createdBuffers,
    destroyedBuffers,
  });
  accountings.set(device, read);
  return read;
}

/** The accounting of a device, if it was installed. */
export function gpuBufferAccounting(device: GPUDevice): GpuBufferAccounting | undefined {
  return accountings.get(device)?.();
}
