/**
 * The floor: the least code that gets a first token from onnxruntime-web on WebGPU. One `session.run` on the
 * prompt's ids (tokenized before the clock starts), a barrier, the last logits row copied to the CPU, argmax.
 * Apart from the one-row GPU copy (`readGpuBytes`) it shares nothing with the engine's trial code, so
 * engine / floor is the engine's own overhead: tokenizing, bookkeeping, GPU timestamps, error checks.
 */
import { argmaxFloat16, argmaxFloat32 } from '../../bench/argmax';
import type { RuntimeOptions } from '../../config/sweep-config';
import { configureOrt, loadedOrt, loadOrt, type ort } from '../../engine/ort-webgpu';
import { readGpuBytes } from '../../engine/readback';
import type { Contender, VariantUrls } from '../contender';

function int64(values: readonly number[]): ort.Tensor {
  return new (loadedOrt().Tensor)('int64', BigInt64Array.from(values, BigInt), [1, values.length]);
}

/** Empty `past_key_values.*` tensors shaped [1, kv heads, 0, head dim], read from the session's metadata. */
function emptyPast(session: ort.InferenceSession): Record<string, ort.Tensor> {
  const past: Record<string, ort.Tensor> = {};
  for (const input of session.inputMetadata) {
    if (!input.name.startsWith('past_key_values.') || !input.isTensor) continue;
    const [, heads, , headDim] = input.shape;
    if (typeof heads !== 'number' || typeof headDim !== 'number') {
      throw new Error(`${input.name} has no fixed head count or head size`);
    }
    const dims = [1, heads, 0, headDim];
    past[input.name] =
      input.type === 'float16'
        ? new (loadedOrt().Tensor)('float16', new Uint16Array(0), dims)
        : new (loadedOrt().Tensor)('float32', new Float32Array(0), dims);
  }
  return past;
}

async function lastRowArgmax(device: GPUDevice, logits: ort.Tensor): Promise<number> {
  const [, rows = 1, vocab = 0] = logits.dims;
  const rowBytes = vocab * (logits.type === 'float16' ? 2 : 4);
  const row = await readGpuBytes(device, logits.gpuBuffer, (rows - 1) * rowBytes, rowBytes);
  return logits.type === 'float16'
    ? argmaxFloat16(new Uint16Array(row))
    : argmaxFloat32(new Float32Array(row));
}

/** The floor runs with the engine's onnxruntime settings, so engine / floor compares only the code around them. */
export async function loadFloorContender(
  device: GPUDevice,
  urls: VariantUrls,
  runtime: RuntimeOptions,
): Promise<Contender> {
  const ort = await loadOrt(runtime.ortBuild);
  configureOrt(device);
  const session = await ort.InferenceSession.create(urls.model, {
    executionProviders: [
      {
        name: 'webgpu',
        device,
        validationMode: runtime.validationMode,
        storageBufferCacheMode: runtime.bufferCache,
      },
    ],
    preferredOutputLocation: 'gpu-buffer',
    externalData: urls.externalData.map((file) => ({ path: file.path, data: file.url })),
  });
  const past = emptyPast(session);
  const wantsPositions = session.inputNames.includes('position_ids');
  return {
    name: 'floor',
    async firstToken(prompt) {
      const start = performance.now();
      const ids = prompt.tokenIds;
      const feeds: Record<string, ort.Tensor> = {
        input_ids: int64(ids),
        attention_mask: int64(ids.map(() => 1)),
        ...past,
      };
      if (wantsPositions) feeds['position_ids'] = int64(ids.map((_, position) => position));
      const outputs = await session.run(feeds);
      try {
        await device.queue.onSubmittedWorkDone();
        const logits = outputs['logits'];
        if (logits === undefined) throw new Error('the model has no logits output');
        const firstTokenId = await lastRowArgmax(device, logits);
        return { ttftMs: performance.now() - start, firstTokenId };
      } finally {
        for (const output of Object.values(outputs)) output.dispose();
      }
    },
    release: () => session.release(),
  };
}
