/**
 * For tests of out-of-memory handling: a GPU whose buffers top out at `ceilingBytes`, simulated in the engine
 * worker. A larger buffer is asked of the real device just over its real limit, so WebGPU itself reports the
 * failure, asynchronously, as a GPU without the memory would. Patched on the prototype before the device
 * exists, so the app's buffer accounting and onnxruntime see the requests as made.
 */
export function simulateBufferCeiling(ceilingBytes: number): void {
  const createBuffer = GPUDevice.prototype.createBuffer;
  GPUDevice.prototype.createBuffer = function (this: GPUDevice, descriptor: GPUBufferDescriptor) {
    const tooLarge = descriptor.size > ceilingBytes;
    return createBuffer.call(
      this,
      tooLarge ? { ...descriptor, size: this.limits.maxBufferSize + 256 } : descriptor,
    );
  };
}
