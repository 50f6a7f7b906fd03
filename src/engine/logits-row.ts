/** The last position's logits row of a GPU-resident logits tensor, copied to the CPU (the rest stays there). */
import type { DecoderIo } from '../source/decoder-io';
import type { ort } from './ort-webgpu';
import { readGpuBytes } from './readback';

export function readLastLogitsRow(
  device: GPUDevice,
  io: DecoderIo,
  logits: ort.Tensor,
): Promise<ArrayBuffer> {
  const vocabSize = logits.dims.at(-1) ?? 0;
  // Graphs that compute the LM head for the last position only return one row, whatever the prompt length.
  const rows = logits.dims.at(-2) ?? 1;
  const rowBytes = vocabSize * (io.logitsDataType === 'float16' ? 2 : 4);
  return readGpuBytes(device, logits.gpuBuffer, (rows - 1) * rowBytes, rowBytes);
}
