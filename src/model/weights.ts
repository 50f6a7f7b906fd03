/** The named weight tensors of a Llama decoder and their deterministic float32 values. */
import type { LlamaConfig } from './config';
import { seededUniform, seededWithStd } from './random';

export type WeightRole = 'embedding' | 'norm' | 'linear';

export interface WeightSpec {
  readonly name: string;
  readonly role: WeightRole;
  /** Linear weights are [in, out] (MatMul orientation, as ONNX exports store them); embeddings [vocab, hidden]. */
  readonly shape: readonly number[];
}

export interface LayerWeightNames {
  readonly inputNorm: string;
  readonly q: string;
  readonly k: string;
  readonly v: string;
  readonly o: string;
  readonly postAttentionNorm: string;
  readonly gate: string;
  readonly up: string;
  readonly down: string;
}

export const EMBEDDING = 'model.embed_tokens.weight';
export const FINAL_NORM = 'model.norm.weight';
export const LM_HEAD = 'lm_head.weight';

export function layerWeightNames(layer: number): LayerWeightNames {
  const prefix = `model.layers.${layer}`;
  return {
    inputNorm: `${prefix}.input_layernorm.weight`,
    q: `${prefix}.self_attn.q_proj.weight`,
    k: `${prefix}.self_attn.k_proj.weight`,
    v: `${prefix}.self_attn.v_proj.weight`,
    o: `${prefix}.self_attn.o_proj.weight`,
    postAttentionNorm: `${prefix}.post_attention_layernorm.weight`,
    gate: `${prefix}.mlp.gate_proj.weight`,
    up: `${prefix}.mlp.up_proj.weight`,
    down: `${prefix}.mlp.down_proj.weight`,
  };
}

export function llamaWeightSpecs(config: LlamaConfig): WeightSpec[] {
  const {
    hiddenSize: h,
    intermediateSize: m,
    numAttentionHeads,
    numKeyValueHeads,
    headDim,
    vocabSize,
  } = config;
  const specs: WeightSpec[] = [{ name: EMBEDDING, role: 'embedding', shape: [vocabSize, h] }];
  for (let layer = 0; layer < config.numLayers; layer++) {
    const names = layerWeightNames(layer);
    specs.push(
      { name: names.inputNorm, role: 'norm', shape: [h] },
      { name: names.q, role: 'linear', shape: [h, numAttentionHeads * headDim] },
      { name: names.k, role: 'linear', shape: [h, numKeyValueHeads * headDim] },
      { name: names.v, role: 'linear', shape: [h, numKeyValueHeads * headDim] },
      { name: names.o, role: 'linear', shape: [numAttentionHeads * headDim, h] },
      { name: names.postAttentionNorm, role: 'norm', shape: [h] },
      { name: names.gate, role: 'linear', shape: [h, m] },
      { name: names.up, role: 'linear', shape: [h, m] },
      { name: names.down, role: 'linear', shape: [m, h] },
    );
  }
  specs.push(
    { name: FINAL_NORM, role: 'norm', shape: [h] },
    { name: LM_HEAD, role: 'linear', shape: [h, vocabSize] },
  );
  return specs;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

/**
 * Embedding and LM head values have std 4/√hidden: after the final RMSNorm the logits then spread with std ≈ 4,
 * so the greedy token has a clear margin and does not flip between float implementations.
 */
function outputStd(config: LlamaConfig): number {
  return 4 / Math.sqrt(config.hiddenSize);
}

function transpose(values: Float32Array, rows: number, columns: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) out[c * rows + r] = values[r * columns + c]!;
  }
  return out;
}

/** The float32 master values of one weight, before any quantization. */
export function weightValues(config: LlamaConfig, seed: number, spec: WeightSpec): Float32Array {
  const count = elementCount(spec.shape);
  switch (spec.role) {
    case 'embedding':
      return seededWithStd(seed, spec.name, count, outputStd(config));
    case 'norm': {
      const values = seededUniform(seed, spec.name, count, 0.1);
      for (let i = 0; i < count; i++) values[i] = values[i]! + 1;
      return values;
    }
    case 'linear': {
      if (spec.name === LM_HEAD && config.tieWordEmbeddings) {
        const embedding = weightValues(config, seed, {
          name: EMBEDDING,
          role: 'embedding',
          shape: [config.vocabSize, config.hiddenSize],
        });
        return transpose(embedding, config.vocabSize, config.hiddenSize);
      }
      const std = spec.name === LM_HEAD ? outputStd(config) : 1 / Math.sqrt(spec.shape[0]!);
      return seededWithStd(seed, spec.name, count, std);
    }
  }
}
