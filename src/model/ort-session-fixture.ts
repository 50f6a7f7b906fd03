/**
 * Running built decoders through onnxruntime-web's wasm backend in Node, for the tests that hold them to the
 * reference forward pass: sessions, feeds (with or without `position_ids`, as the graph asks), the KV cache fed
 * back, and comparisons.
 */
import * as ort from 'onnxruntime-web';
import { PRESETS, type LlamaConfig } from './config';
import { builtInStorage, QUANTIZATION_LEVELS, type BuiltInQuantization } from './quantization';
import type { ModelFiles } from '../source/model-source';
import { float16BitsToFloat32 } from './float16';
import { activationType } from './llama-graph';

/** Shapes unlike tiny's: 3 query heads per KV head, a hidden size that is not a power of two, Llama-3 RoPE scaling. */
export const SMALL: LlamaConfig = {
  ...PRESETS.tiny.config,
  vocabSize: 512,
  numLayers: 3,
  hiddenSize: 96,
  intermediateSize: 160,
  numAttentionHeads: 6,
  numKeyValueHeads: 2,
  ropeTheta: 10000,
  ropeScaling: { factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 64 },
};

/** SMALL with tied embeddings, as SmolLM2 and Llama-3.2 have them: the embedding and LM head are one master. */
export const SMALL_TIED: LlamaConfig = { ...SMALL, tieWordEmbeddings: true };

/**
 * Largest |ORT - reference| logit allowed (logits have RMS ≈ 4), from how the level computes (its registry
 * entry). The reference reads exactly the stored values (4-bit and int8 codes dequantized with their scales), so
 * float32 activations (fp32, q4) differ only in float32 summation order (measured ≤ 1.4e-5). Float16 activations
 * (fp16, q4f16) round (≤ 0.014). Activations quantized to uint8 per tensor (int8): where float32 sums differ in
 * the last bit a value can round to the neighbouring level, and such flips compound through the layers (≤ 0.2).
 */
export function toleranceOf(quantization: BuiltInQuantization): number {
  if (builtInStorage(quantization).quantizesActivations === true) return 0.5;
  return QUANTIZATION_LEVELS[quantization].activationType === 'float16' ? 0.05 : 5e-5;
}
export const SEED = 7;

export type Past = Record<string, ort.Tensor>;

export interface Run {
  readonly logits: Float32Array;
  readonly outputs: ort.InferenceSession.OnnxValueMapType;
}

export function configureWasm(): void {
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
}

export async function session(model: ModelFiles): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(model.modelBytes, {
    executionProviders: ['wasm'],
    externalData: model.externalData.map((file) => ({ path: file.path, data: file.data })),
  });
}

export function emptyPast(config: LlamaConfig, quantization: BuiltInQuantization): Past {
  const feeds: Past = {};
  const dims = [1, config.numKeyValueHeads, 0, config.headDim];
  for (let layer = 0; layer < config.numLayers; layer++) {
    for (const part of ['key', 'value']) {
      feeds[`past_key_values.${layer}.${part}`] =
        activationType(quantization) === 'float16'
          ? new ort.Tensor('float16', new Uint16Array(0), dims)
          : new ort.Tensor('float32', new Float32Array(0), dims);
    }
  }
  return feeds;
}

/** The present.* outputs of a run, renamed to the past_key_values.* inputs of the next. */
export function pastFrom(outputs: ort.InferenceSession.OnnxValueMapType): Past {
  return Object.fromEntries(
    Object.entries(outputs)
      .filter(([name]) => name.startsWith('present.'))
      .map(([name, value]) => [name.replace('present.', 'past_key_values.'), value as ort.Tensor]),
  );
}

export function toFloat32(tensor: ort.Tensor): Float32Array {
  if (tensor.type === 'float32') return tensor.data as Float32Array;
  return Float32Array.from(tensor.data as Uint16Array, float16BitsToFloat32);
}

/** Feeds `ids` after `pastLength` cached tokens (all attended); position_ids only where the graph has that input. */
export async function run(
  s: ort.InferenceSession,
  ids: readonly number[],
  pastLength: number,
  past: Past,
): Promise<Run> {
  const total = pastLength + ids.length;
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
    ...past,
  };
  if (s.inputNames.includes('position_ids')) {
    const positions = BigInt64Array.from(ids, (_, i) => BigInt(pastLength + i));
    feeds['position_ids'] = new ort.Tensor('int64', positions, [1, ids.length]);
  }
  const outputs = await s.run(feeds);
  return { logits: toFloat32(outputs['logits']!), outputs };
}

export function lastRow(logits: Float32Array, vocabSize: number): Float32Array {
  return logits.subarray(logits.length - vocabSize);
}

export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`compared ${a.length} values with ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

export const promptIds = (config: LlamaConfig, length: number): number[] =>
  Array.from({ length }, (_, i) => (i * 7919 + 128000) % config.vocabSize);
