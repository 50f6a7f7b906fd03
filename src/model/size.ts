/** How many bytes a variant's weights take, computed from the shapes alone (before building anything). */
import type { LlamaConfig } from './config';
import {
  activationBytes,
  builtInStorage,
  type BuiltInQuantization,
  type LinearStorage,
} from './quantization';
import { elementCount, llamaWeightSpecs, type WeightSpec } from './weights';
import type { GraphForm } from './graph-form';

const SCALE_BYTES = { float: 4, float16: 2 } as const;

/** A linear weight [inputs, outputs] as the builder stores it: packed values plus their scales. */
function linearBytes(inputs: number, outputs: number, storage: LinearStorage): number {
  const { scales } = storage;
  if (scales === undefined) return (inputs * outputs * storage.bits) / 8;
  // Blocks run along the inputs of each output column; a short last block is padded to a whole block.
  const blockSize = scales.per === 'column' ? inputs : scales.blockSize;
  const blocks = Math.ceil(inputs / blockSize);
  return outputs * blocks * ((blockSize * storage.bits) / 8 + SCALE_BYTES[scales.scaleType]);
}

/** Embeddings and norms are stored in the activation type; linear weights as the level stores them. */
function weightBytes(spec: WeightSpec, quantization: BuiltInQuantization): number {
  return spec.role === 'linear'
    ? linearBytes(spec.shape[0]!, spec.shape[1]!, builtInStorage(quantization))
    : elementCount(spec.shape) * activationBytes(quantization);
}

/** The fused form stores cos and sin tables [max_position_embeddings, head_dim / 2] for GroupQueryAttention. */
export function rotaryCacheShape(config: LlamaConfig): readonly [number, number] {
  return [config.maxPositionEmbeddings, config.headDim / 2];
}

/** One of the fused form's two rotary tables, in the activation type; the plain form has none. */
export function rotaryCacheBytes(
  config: LlamaConfig,
  quantization: BuiltInQuantization,
  form: GraphForm,
): number {
  const [positions, half] = rotaryCacheShape(config);
  return form === 'fused' ? positions * half * activationBytes(quantization) : 0;
}

export function estimateVariantBytes(
  config: LlamaConfig,
  quantization: BuiltInQuantization,
  form: GraphForm = 'plain',
): number {
  let total = 2 * rotaryCacheBytes(config, quantization, form);
  for (const spec of llamaWeightSpecs(config)) total += weightBytes(spec, quantization);
  return total;
}

export interface LargestWeight {
  readonly spec: WeightSpec;
  readonly bytes: number;
}

/** The largest single weight tensor: WebGPU holds it in one buffer, bound as a storage buffer. */
export function largestWeight(config: LlamaConfig, quantization: BuiltInQuantization): LargestWeight {
  let largest: LargestWeight | undefined;
  for (const spec of llamaWeightSpecs(config)) {
    const bytes = weightBytes(spec, quantization);
    if (largest === undefined || bytes > largest.bytes) largest = { spec, bytes };
  }
  if (largest === undefined) throw new Error('a Llama decoder has weights');
  return largest;
}
