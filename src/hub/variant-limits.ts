/**
 * Whether a repository's variant can load on this adapter, decided before anything is downloaded. WebGPU
 * allocates each weight as one buffer bound as a storage buffer, so the largest weight (the embedding table,
 * vocab × hidden) must fit both `maxBufferSize` and `maxStorageBufferBindingSize`.
 */
import { formatBytes } from '../format-bytes';
import { needsShaderF16, type Quantization } from '../model/config';
import type { DecoderShape } from './model-config';
import type { ModelVariant } from './variants';

export interface AdapterLimits {
  readonly maxBufferSizeBytes: number;
  readonly maxStorageBufferBindingSizeBytes: number;
  readonly hasShaderF16: boolean;
}

/**
 * Bytes per embedding element in onnx-community / transformers.js exports: 4-bit and bnb4 exports quantize
 * only MatMul weights and keep a float32 embedding; 8-bit exports quantize it to one byte.
 */
const EMBEDDING_BYTES_PER_ELEMENT: Readonly<Record<Quantization, number>> = {
  fp32: 4,
  fp16: 2,
  int8: 1,
  uint8: 1,
  quantized: 1,
  q4: 4,
  q4f16: 2,
  bnb4: 4,
};

/** protobuf cannot hold a message over 2 GiB, so a larger .onnx must keep its weights in external data. */
const PROTOBUF_LIMIT_BYTES = 2 ** 31 - 1;

export function estimatedLargestWeightBytes(decoder: DecoderShape, quantization: Quantization): number {
  return decoder.vocabSize * decoder.hiddenSize * EMBEDDING_BYTES_PER_ELEMENT[quantization];
}

/** Why this variant cannot run on this adapter, in plain words; undefined when it can. */
export function variantDisabledReason(
  variant: ModelVariant,
  decoder: DecoderShape,
  limits: AdapterLimits,
): string | undefined {
  if (needsShaderF16(variant.quantization) && !limits.hasShaderF16) {
    return 'Needs the WebGPU feature shader-f16, which this adapter does not have.';
  }
  if (variant.modelFile.bytes > PROTOBUF_LIMIT_BYTES) {
    return `${variant.modelFile.path} is ${formatBytes(variant.modelFile.bytes)} in one file; ONNX files over 2 GiB cannot be loaded (the weights must be in .onnx_data files).`;
  }
  const largest = estimatedLargestWeightBytes(decoder, variant.quantization);
  const limit = Math.min(limits.maxBufferSizeBytes, limits.maxStorageBufferBindingSizeBytes);
  if (largest > limit) {
    const which =
      limits.maxBufferSizeBytes <= limits.maxStorageBufferBindingSizeBytes
        ? 'maxBufferSize'
        : 'maxStorageBufferBindingSize';
    return `Cannot fit: its embedding table (${decoder.vocabSize} × ${decoder.hiddenSize}, about ${formatBytes(largest)}) is larger than this adapter's ${which} (${formatBytes(limit)}).`;
  }
  return undefined;
}
