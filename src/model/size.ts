/** How many bytes a variant's weights take, computed from the shapes alone (before building anything). */
import type { LlamaConfig, BuiltInQuantization } from './config';
import type { GraphForm } from './graph-form';
import { Q4_BLOCK_SIZE } from './quantize';
import { elementCount, llamaWeightSpecs } from './weights';

function linearBytes(inputs: number, outputs: number, quantization: BuiltInQuantization): number {
  const blocks = Math.ceil(inputs / Q4_BLOCK_SIZE);
  switch (quantization) {
    case 'fp32':
      return inputs * outputs * 4;
    case 'fp16':
      return inputs * outputs * 2;
    case 'int8':
      return inputs * outputs + outputs * 4;
    case 'q4':
      return outputs * blocks * (Q4_BLOCK_SIZE / 2 + 4);
    case 'q4f16':
      return outputs * blocks * (Q4_BLOCK_SIZE / 2 + 2);
  }
}

/** The fused form also stores cos and sin tables [max_position_embeddings, head_dim / 2] for GroupQueryAttention. */
export function estimateVariantBytes(
  config: LlamaConfig,
  quantization: BuiltInQuantization,
  form: GraphForm = 'plain',
): number {
  const floatBytes = quantization === 'fp16' || quantization === 'q4f16' ? 2 : 4;
  let total = form === 'fused' ? 2 * config.maxPositionEmbeddings * (config.headDim / 2) * floatBytes : 0;
  for (const spec of llamaWeightSpecs(config)) {
    total +=
      spec.role === 'linear'
        ? linearBytes(spec.shape[0]!, spec.shape[1]!, quantization)
        : elementCount(spec.shape) * floatBytes;
  }
  return total;
}

/** The largest single weight tensor: it must fit in one GPU buffer (`maxBufferSize`). */
export function largestWeightBytes(config: LlamaConfig, quantization: BuiltInQuantization): number {
  let largest = 0;
  const floatBytes = quantization === 'fp16' || quantization === 'q4f16' ? 2 : 4;
  for (const spec of llamaWeightSpecs(config)) {
    const bytes =
      spec.role === 'linear'
        ? linearBytes(spec.shape[0]!, spec.shape[1]!, quantization)
        : elementCount(spec.shape) * floatBytes;
    largest = Math.max(largest, bytes);
  }
  return largest;
}
