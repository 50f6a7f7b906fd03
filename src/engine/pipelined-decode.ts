/**
 * Greedy decode without a CPU round trip between tokens: each step's argmax runs on the GPU (gpu-argmax.ts) and
 * writes the id the next step reads as `input_ids`, so onnxruntime records step n + 1 while the GPU still runs
 * step n. The tokens come back together after the last step; the loop's wall time (through that readback) over
 * the token count is every step's time, since no single step's end is seen on the CPU.
 */
import type { DecoderIo } from '../source/decoder-io';
import type { GpuTokenId } from './decoder-feeds';
import { GpuArgmax, TOKEN_ID_BYTES } from './gpu-argmax';
import { lastLogitsRow } from './logits-row';
import type { ort } from './ort-webgpu';
import { readGpuBytes } from './readback';

/** The token a decode step runs: known on the CPU, or the int64 id an earlier step's argmax left on the GPU. */
export type StepToken = { readonly id: number } | GpuTokenId;

/** One decode step: runs the token at its position and hands back the step's logits (still on the GPU). */
export type DecodeStep = (token: StepToken, step: number) => Promise<ort.Tensor | undefined>;

export interface PipelinedDecodeRequest {
  readonly device: GPUDevice;
  readonly io: DecoderIo;
  readonly decodeTokens: number;
  readonly decodeStep: DecodeStep;
}

export async function pipelinedGreedyDecode(
  request: PipelinedDecodeRequest,
  firstTokenId: number,
): Promise<{ stepMs: number[]; tokenIds: number[] }> {
  const { device, io, decodeTokens, decodeStep } = request;
  if (decodeTokens === 0) return { stepMs: [], tokenIds: [] };
  const argmax = GpuArgmax.for(device, io.logitsDataType);
  // One buffer carries the id from step to step: the queue orders step n's read, its argmax's write and step
  // n + 1's read. Each argmax also copies its id into the log the CPU reads at the end.
  const nextId = argmax.tokenIdBuffer('decode input id');
  const log = device.createBuffer({
    size: TOKEN_ID_BYTES * decodeTokens,
    usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    label: 'decoded ids',
  });
  let vocab: GPUBuffer | undefined;
  try {
    device.queue.writeBuffer(nextId, 0, BigInt64Array.of(BigInt(firstTokenId)));
    const start = performance.now();
    for (let step = 0; step < decodeTokens; step++) {
      const logits = await decodeStep({ onGpu: nextId }, step);
      if (logits === undefined || logits.location !== 'gpu-buffer') {
        throw new Error('the session did not leave the decode step’s logits on the GPU');
      }
      const { rows, vocabSize } = lastLogitsRow(logits);
      if (rows !== 1) throw new Error(`a decode step returned ${rows} rows of logits, expected 1`);
      vocab ??= argmax.vocabUniform(vocabSize);
      const encoder = device.createCommandEncoder({ label: 'greedy token' });
      argmax.encode(encoder, logits.gpuBuffer, vocab, nextId);
      encoder.copyBufferToBuffer(nextId, 0, log, step * TOKEN_ID_BYTES, TOKEN_ID_BYTES);
      device.queue.submit([encoder.finish()]);
    }
    const words = new Uint32Array(await readGpuBytes(device, log, 0, TOKEN_ID_BYTES * decodeTokens));
    const perStep = (performance.now() - start) / decodeTokens;
    const tokenIds = Array.from({ length: decodeTokens }, (_, step) => words[2 * step]!);
    return { stepMs: tokenIds.map(() => perStep), tokenIds };
  } finally {
    nextId.destroy();
    log.destroy();
    vocab?.destroy();
  }
}
