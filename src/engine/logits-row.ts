/** The last position's logits row of a GPU-resident logits tensor, copied to the CPU (the rest stays there). */
import type { DecoderIo } from '../source/decoder-io';
import type { ort } from './ort-webgpu';
import { readGpuBytes } from './readback';

/**
 * Where the last position's row sits in a logits tensor [.., rows, vocab]: its length and first element. Graphs
 * that compute the LM head for the last position only return one row, whatever the prompt length.
 */
export function lastLogitsRow(logits: ort.Tensor): {
  readonly vocabSize: number;
  readonly rows: number;
  readonly start: number;
} {
  const vocabSize = logits.dims.at(-1) ?? 0;
  const rows = logits.dims.at(-2) ?? 1;
  return { vocabSize, rows, start: (rows - 1) * vocabSize };
}

export function readLastLogitsRow(
  device: GPUDevice,
  io: DecoderIo,
  logits: ort.Tensor,
): Promise<ArrayBuffer> {
  const { vocabSize, start } = lastLogitsRow(logits);
  const elementBytes = io.logitsDataType === 'float16' ? 2 : 4;
  return readGpuBytes(device, logits.gpuBuffer, start * elementBytes, vocabSize * elementBytes);
}
