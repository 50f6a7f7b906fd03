/**
 * Inputs of one decoder run, as Hugging Face / onnx-community exports expect them: new token ids on top of a
 * KV cache that is empty or holds `pastTokens` tokens (a prefix, earlier chunks, or previous decode steps).
 * The cache is the `present.*` outputs of an earlier run, fed back as `past_key_values.*` where they are (on
 * the GPU for WebGPU sessions). onnxruntime only reads inputs: a run's `present.*` are new buffers (unless the
 * caller binds past and present to one buffer, which this app never does), so one cache can feed many runs.
 */
import type { DecoderIo } from '../source/decoder-io';
import { loadedOrt, type ort } from './ort-webgpu';

/** `present.*` of an earlier run, by the `past_key_values.*` input each feeds. */
export type KvCache = Readonly<Record<string, ort.Tensor>>;

/** One token id as an int64 the GPU holds (a pipelined decode's argmax), fed without a trip through the CPU. */
export interface GpuTokenId {
  readonly onGpu: GPUBuffer;
}

export interface DecoderStep {
  readonly tokenIds: readonly number[] | GpuTokenId;
  /** Tokens the cache holds; the new tokens take positions pastTokens, pastTokens + 1, … */
  readonly pastTokens: number;
  /** The cache; undefined for an empty one (pastTokens 0). */
  readonly past: KvCache | undefined;
}

function int64Tensor(values: BigInt64Array, dims: readonly number[]): ort.Tensor {
  return new (loadedOrt().Tensor)('int64', values, dims);
}

export function decoderFeeds(io: DecoderIo, step: DecoderStep): Record<string, ort.Tensor> {
  const { tokenIds, pastTokens, past } = step;
  if ((past === undefined) !== (pastTokens === 0)) {
    throw new Error(`a KV cache of ${pastTokens} tokens needs its tensors (and an empty one none)`);
  }
  const inputIds =
    'onGpu' in tokenIds
      ? loadedOrt().Tensor.fromGpuBuffer(tokenIds.onGpu, { dataType: 'int64', dims: [1, 1] })
      : int64Tensor(BigInt64Array.from(tokenIds, BigInt), [1, tokenIds.length]);
  const length = inputIds.dims[1]!;
  const positions = new BigInt64Array(length);
  for (let i = 0; i < length; i++) positions[i] = BigInt(pastTokens + i);
  const total = pastTokens + length;
  const feeds: Record<string, ort.Tensor> = {
    input_ids: inputIds,
    attention_mask: int64Tensor(new BigInt64Array(total).fill(1n), [1, total]),
  };
  if (io.hasPositionIds) feeds['position_ids'] = int64Tensor(positions, [1, length]);
  const { Tensor } = loadedOrt();
  if (io.hasUseCacheBranch) {
    feeds['use_cache_branch'] = new Tensor('bool', Uint8Array.of(past === undefined ? 0 : 1), [1]);
  }
  const emptyDims = [1, io.numKeyValueHeads, 0, io.headDim];
  for (const name of io.pastInputNames) {
    const cached = past?.[name];
    if (past !== undefined && cached === undefined) throw new Error(`the KV cache has no ${name}`);
    feeds[name] =
      cached ??
      (io.kvDataType === 'float16'
        ? new Tensor('float16', new Uint16Array(0), emptyDims)
        : new Tensor('float32', new Float32Array(0), emptyDims));
  }
  return feeds;
}

/** A run's `present.*` outputs as the cache for the next run. */
export function kvCacheOf(io: DecoderIo, outputs: ort.InferenceSession.OnnxValueMapType): KvCache {
  const cache: Record<string, ort.Tensor> = {};
  for (const name of io.pastInputNames) {
    const presentName = name.replace('past_key_values.', 'present.');
    const present = outputs[presentName];
    if (present === undefined) throw new Error(`the model returned no ${presentName}`);
    cache[name] = present as ort.Tensor;
  }
  return cache;
}

export function disposeAll(values: Readonly<Record<string, { dispose(): void }>>): void {
  for (const value of Object.values(values)) value.dispose();
}
