/**
 * The named weight tensors of a Llama decoder and their deterministic values, generated directly in the format
 * each variant stores (float32, float16, int8 or packed 4-bit codes with scales): the values are a function of
 * (seed, tensor name, variant), and the reference forward pass reads exactly what the graph holds.
 */
import type { BuiltInQuantization, LlamaConfig } from './config';
import { QUANTIZATION_LEVELS, type ActivationType } from './quantization';
import {
  dequantizeQ4Columns,
  dequantizeQ4ColumnsToFloat16,
  q4BlocksPerColumn,
  transposeDequantizeInt8,
} from './quantize';
import {
  derivedTensor,
  INT8_LEVEL_STD,
  int8Codes,
  materialize,
  Q4_LEVEL_STD,
  q4Codes,
  uniformFloats,
  type StreamId,
  type TensorData,
} from './tensor-data';
import { transpose } from './transpose';

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
  /** q, k and v side by side, where a fused graph packs them (not a weight of its own: built from the three). */
  readonly qkv: string;
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
    qkv: `${prefix}.self_attn.qkv_proj.weight`,
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

/** Embeddings, norms, float linears and q4 scales are stored in the variant's activation type. */
export type FloatType = ActivationType;

/** Which model's weights: every value is a function of these (and the tensor's name). */
export interface WeightSource {
  readonly config: LlamaConfig;
  readonly seed: number;
  readonly quantization: BuiltInQuantization;
}

/** Embeddings and norms: float32, or float16 in the half-precision variants. */
export interface StoredFloat {
  readonly type: FloatType;
  readonly data: TensorData;
}

/** A linear weight [in, out] as the graph stores it. */
export type StoredLinear =
  | { readonly format: 'float'; readonly type: FloatType; readonly values: TensorData }
  /** int8 values [in, out] (symmetric, zero point 0) and float32 scales [out]. */
  | { readonly format: 'int8'; readonly values: TensorData; readonly scales: TensorData }
  /** MatMulNBits B [out, blocksPerColumn, 16] and scales [out * blocksPerColumn]. */
  | {
      readonly format: 'q4';
      readonly blocksPerColumn: number;
      readonly packed: TensorData;
      readonly scaleType: FloatType;
      readonly scales: TensorData;
    };

export function floatType(quantization: BuiltInQuantization): FloatType {
  return QUANTIZATION_LEVELS[quantization].activationType;
}

/**
 * Embedding and LM head values have std 4/√hidden: after the final RMSNorm the logits then spread with std ≈ 4,
 * so the greedy token has a clear margin and does not flip between float implementations.
 */
function outputStd(config: LlamaConfig): number {
  return 4 / Math.sqrt(config.hiddenSize);
}

/** Linear weights keep the variance of their input (std 1/√in); the LM head spreads the logits. */
function linearStd(config: LlamaConfig, spec: WeightSpec): number {
  return spec.name === LM_HEAD ? outputStd(config) : 1 / Math.sqrt(spec.shape[0]!);
}

/**
 * Quantization scales vary by ±25% around their mean (uniformly), as absmax scales of real weights vary from block
 * to block; the mean is chosen so that code · scale has the weight's std. Distinct scales also let the tests see a
 * scale applied to the wrong block or column.
 */
const SCALE_SPREAD = 0.25;

interface ScaleOptions {
  /** The weight's name; its scales are the stream `<name>.scales`. */
  readonly weight: string;
  readonly seed: number;
  readonly count: number;
  /** Std of the codes the scales multiply. */
  readonly levelStd: number;
  /** Std the dequantized weight should have. */
  readonly weightStd: number;
  readonly type: FloatType;
}

function quantizationScales(options: ScaleOptions): TensorData {
  const { weight, seed, count, levelStd, weightStd, type } = options;
  const mean = weightStd / (levelStd * Math.sqrt(1 + (SCALE_SPREAD * SCALE_SPREAD) / 3));
  return uniformFloats({
    stream: { seed, name: `${weight}.scales` },
    count,
    center: mean,
    halfWidth: SCALE_SPREAD * mean,
    type,
  });
}

/** Uniform on ±std·√3. */
function uniformWithStd(options: {
  readonly stream: StreamId;
  readonly count: number;
  readonly std: number;
  readonly type: FloatType;
}): TensorData {
  const { stream, count, std, type } = options;
  return uniformFloats({ stream, count, center: 0, halfWidth: std * Math.sqrt(3), type });
}

/** A linear weight drawn independently of every other tensor. */
function independentLinear(source: WeightSource, spec: WeightSpec): StoredLinear {
  const { seed, quantization } = source;
  const [inputs, outputs] = spec.shape as [number, number];
  const std = linearStd(source.config, spec);
  switch (quantization) {
    case 'fp32':
    case 'fp16': {
      const type = floatType(quantization);
      const stream = { seed, name: spec.name };
      return {
        format: 'float',
        type,
        values: uniformWithStd({ stream, count: inputs * outputs, std, type }),
      };
    }
    case 'int8':
      return {
        format: 'int8',
        values: int8Codes({ seed, name: spec.name }, inputs * outputs),
        scales: quantizationScales({
          weight: spec.name,
          seed,
          count: outputs,
          levelStd: INT8_LEVEL_STD,
          weightStd: std,
          type: 'float',
        }),
      };
    case 'q4':
    case 'q4f16': {
      const blocksPerColumn = q4BlocksPerColumn(inputs);
      const scaleType = floatType(quantization);
      return {
        format: 'q4',
        blocksPerColumn,
        packed: q4Codes({ seed, name: spec.name }, inputs, outputs),
        scaleType,
        scales: quantizationScales({
          weight: spec.name,
          seed,
          count: outputs * blocksPerColumn,
          levelStd: Q4_LEVEL_STD,
          weightStd: std,
          type: scaleType,
        }),
      };
    }
  }
}

function lmHeadSpec(config: LlamaConfig): WeightSpec {
  return { name: LM_HEAD, role: 'linear', shape: [config.hiddenSize, config.vocabSize] };
}

/**
 * Tied embeddings hold the same values twice (the graph keeps a copy of each): the quantized LM head is the
 * master where the variant quantizes it, so the embedding is exactly its dequantized values; in float variants
 * the embedding is the master and the LM head its transpose.
 */
function tiedEmbedding(source: WeightSource): TensorData {
  const { config, quantization } = source;
  const { vocabSize: vocab, hiddenSize: hidden } = config;
  const type = floatType(quantization);
  const head = independentLinear(source, lmHeadSpec(config));
  const count = vocab * hidden;
  switch (head.format) {
    case 'float':
      return independentEmbedding(source);
    case 'int8':
      return derivedTensor(count * 4, (target) => {
        const values = materialize(head.values);
        const scales = materialize(head.scales);
        transposeDequantizeInt8(
          new Int8Array(values.buffer),
          new Float32Array(scales.buffer),
          hidden,
          vocab,
          new Float32Array(target.buffer, target.byteOffset, count),
        );
      });
    case 'q4':
      return derivedTensor(count * (type === 'float' ? 4 : 2), (target) => {
        const packed = materialize(head.packed);
        const scales = materialize(head.scales);
        if (type === 'float') {
          const out = new Float32Array(target.buffer, target.byteOffset, count);
          dequantizeQ4Columns(packed, new Float32Array(scales.buffer), hidden, vocab, out);
        } else {
          const out = new Uint16Array(target.buffer, target.byteOffset, count);
          dequantizeQ4ColumnsToFloat16(packed, new Uint16Array(scales.buffer), hidden, vocab, out);
        }
      });
  }
}

function independentEmbedding(source: WeightSource): TensorData {
  const { config, seed, quantization } = source;
  const count = config.vocabSize * config.hiddenSize;
  return uniformWithStd({
    stream: { seed, name: EMBEDDING },
    count,
    std: outputStd(config),
    type: floatType(quantization),
  });
}

/** Embeddings and norms in the variant's float type. */
export function storedFloatWeight(source: WeightSource, spec: WeightSpec): StoredFloat {
  const { config, seed, quantization } = source;
  const type = floatType(quantization);
  switch (spec.role) {
    case 'embedding':
      return { type, data: config.tieWordEmbeddings ? tiedEmbedding(source) : independentEmbedding(source) };
    case 'norm':
      return {
        type,
        data: uniformFloats({
          stream: { seed, name: spec.name },
          count: elementCount(spec.shape),
          center: 1,
          halfWidth: 0.1,
          type,
        }),
      };
    case 'linear':
      throw new Error(`${spec.name} is a linear weight, not a float one`);
  }
}

/** A linear weight in the variant's storage format (float32, float16, per-column int8 or 4-bit blocks). */
export function storedLinearWeight(source: WeightSource, spec: WeightSpec): StoredLinear {
  if (spec.role !== 'linear') throw new Error(`${spec.name} is not a linear weight`);
  const { config } = source;
  if (spec.name !== LM_HEAD || !config.tieWordEmbeddings) return independentLinear(source, spec);
  const head = independentLinear(source, spec);
  if (head.format !== 'float') return head;
  // Float variants: the LM head is the transposed embedding.
  const embedding = independentEmbedding(source);
  const { vocabSize: vocab, hiddenSize: hidden } = config;
  const count = vocab * hidden;
  return {
    format: 'float',
    type: head.type,
    values: derivedTensor(embedding.byteLength, (target) => {
      const master = materialize(embedding);
      if (head.type === 'float') {
        transpose(
          new Float32Array(master.buffer),
          vocab,
          hidden,
          new Float32Array(target.buffer, target.byteOffset, count),
        );
      } else {
        transpose(
          new Uint16Array(master.buffer),
          vocab,
          hidden,
          new Uint16Array(target.buffer, target.byteOffset, count),
        );
      }
    }),
  };
}
