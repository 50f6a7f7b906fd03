/** Copies one row of a GPU-resident tensor to the CPU, leaving the rest of it on the GPU. */

/** WebGPU requires copy offsets and sizes to be multiples of 4 bytes. */
const COPY_ALIGNMENT_BYTES = 4;

export async function readGpuBytes(
  device: GPUDevice,
  source: GPUBuffer,
  offsetBytes: number,
  lengthBytes: number,
): Promise<ArrayBuffer> {
  const alignedOffset = Math.floor(offsetBytes / COPY_ALIGNMENT_BYTES) * COPY_ALIGNMENT_BYTES;
  const lead = offsetBytes - alignedOffset;
  const alignedLength = Math.ceil((lead + lengthBytes) / COPY_ALIGNMENT_BYTES) * COPY_ALIGNMENT_BYTES;
  const staging = device.createBuffer({
    size: alignedLength,
    usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ,
  });
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(source, alignedOffset, staging, 0, alignedLength);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    return staging.getMappedRange().slice(lead, lead + lengthBytes);
  } finally {
    staging.destroy();
  }
}
