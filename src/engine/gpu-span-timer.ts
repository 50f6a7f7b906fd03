/**
 * GPU-side time of a prefill, from `timestamp-query`: an empty compute pass stamps the queue just before
 * `session.run` and another just after it returns. The queue runs in submission order, so everything ORT
 * submitted during `run` executes between the two stamps, and the span bounds its GPU busy time from above.
 *
 * onnxruntime-web 1.30's WebGPU-EP build (the one that accepts our device) has no `env.webgpu.profiling`
 * hook (that is JSEP-only), so we stamp the queue ourselves. Without the feature, spans are not reported.
 */
export class GpuSpanTimer {
  private readonly querySet: GPUQuerySet;
  private readonly resolveBuffer: GPUBuffer;
  private readonly readBuffer: GPUBuffer;

  private constructor(private readonly device: GPUDevice) {
    this.querySet = device.createQuerySet({ type: 'timestamp', count: 2 });
    this.resolveBuffer = device.createBuffer({
      size: 16,
      usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
    });
    this.readBuffer = device.createBuffer({
      size: 16,
      usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ,
    });
  }

  static create(device: GPUDevice): GpuSpanTimer | undefined {
    return device.features.has('timestamp-query') ? new GpuSpanTimer(device) : undefined;
  }

  private stamp(index: 0 | 1): void {
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginComputePass({
      timestampWrites:
        index === 0
          ? { querySet: this.querySet, beginningOfPassWriteIndex: 0 }
          : { querySet: this.querySet, endOfPassWriteIndex: 1 },
    });
    pass.end();
    this.device.queue.submit([encoder.finish()]);
  }

  /** Submit right before the work to time. */
  markStart(): void {
    this.stamp(0);
  }

  /** Submit right after the work to time has been submitted. */
  markEnd(): void {
    this.stamp(1);
  }

  /** Reads the span; call after the clock has stopped (it maps a buffer). */
  async readSpanMs(): Promise<number> {
    const encoder = this.device.createCommandEncoder();
    encoder.resolveQuerySet(this.querySet, 0, 2, this.resolveBuffer, 0);
    encoder.copyBufferToBuffer(this.resolveBuffer, 0, this.readBuffer, 0, 16);
    this.device.queue.submit([encoder.finish()]);
    await this.readBuffer.mapAsync(GPUMapMode.READ);
    const [start, end] = new BigUint64Array(this.readBuffer.getMappedRange().slice(0));
    this.readBuffer.unmap();
    return Number(end! - start!) / 1e6;
  }

  destroy(): void {
    this.querySet.destroy();
    this.resolveBuffer.destroy();
    this.readBuffer.destroy();
  }
}
