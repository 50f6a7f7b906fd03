/**
 * Every quantization level in one table: how hub exports name its files, what its weights and activations
 * are, what it needs from WebGPU, how this app's builder stores it, how charts draw it and what
 * transformers.js calls it. Every other table (file names, size estimates, the race's dtypes, chart styles,
 * the schemas' enums) is derived from this one, so the compiler checks it is complete.
 *
 * A new level for hub models is one entry here. A level the builder writes also needs its writer in
 * llama-graph.ts and its dequantization in reference.ts; the tests walk this table.
 */
import { Q4_BLOCK_SIZE } from './quantize';

/**
 * Every level a model repository can hold, named by the onnx-community file suffix, in the order results
 * list them.
 */
export const QUANTIZATIONS = ['fp32', 'fp16', 'int8', 'uint8', 'quantized', 'q4', 'q4f16', 'bnb4'] as const;
export type Quantization = (typeof QUANTIZATIONS)[number];

/** ONNX element types by their names in onnx-writer (`float` is float32). */
export type ActivationType = 'float' | 'float16';
export type WeightElementType = 'float' | 'float16' | 'int8' | 'uint8';

/** transformers.js' names (its `dtype` option); transformers-dtype.ts checks them against its own type. */
export type TransformersDtype = 'fp32' | 'fp16' | 'int8' | 'uint8' | 'q8' | 'q4' | 'q4f16' | 'bnb4';

/** Marker shapes charts draw at each point (src/ui/chart-marker.ts draws them). */
export const CHART_MARKERS = [
  'circle',
  'square',
  'triangle',
  'diamond',
  'triangle-down',
  'plus',
  'cross',
  'star',
] as const;
export type ChartMarker = (typeof CHART_MARKERS)[number];

/**
 * How the built-in builder stores each linear (MatMul) weight [inputs, outputs]: `bits` per value in
 * `elementType` (4-bit values packed two to a byte), with dequantization scales of `scaleType` either one per
 * output column or one per block of `blockSize` inputs.
 */
export interface LinearStorage {
  readonly elementType: WeightElementType;
  readonly bits: 32 | 16 | 8 | 4;
  /** The MatMul's input is quantized to uint8 on every call (DynamicQuantizeLinear + MatMulInteger). */
  readonly quantizesActivations?: true;
  readonly scales?:
    | { readonly per: 'column'; readonly scaleType: ActivationType }
    | { readonly per: 'block'; readonly blockSize: number; readonly scaleType: ActivationType };
}

export interface QuantizationLevel {
  /** What the level is, for people: shown where the level is picked. */
  readonly description: string;
  /**
   * The file name suffix in hub exports: `onnx/model<suffix>.onnx` (onnx-community) and
   * `onnx/decoder_model_merged<suffix>.onnx` (older Xenova exports); fp32 has none.
   */
  readonly fileSuffix: '' | `_${string}`;
  /** Bits per stored linear weight. */
  readonly weightBits: 32 | 16 | 8 | 4;
  /** The activations' type; float16 activations need WebGPU's `shader-f16` feature. */
  readonly activationType: ActivationType;
  /**
   * Bytes per embedding element in onnx-community / transformers.js exports, for the largest-tensor estimate
   * before download: 4-bit and bnb4 exports quantize only MatMul weights and keep a float embedding; 8-bit
   * exports quantize it to one byte.
   */
  readonly hubEmbeddingBytes: 1 | 2 | 4;
  readonly transformersDtype: TransformersDtype;
  /**
   * Okabe–Ito colours (distinguishable with the common colour-vision deficiencies) and a marker shape per
   * level: no two levels share both, and each level so far has its own of each, so a level reads apart in
   * greyscale too. A new level may reuse a colour with a marker no level of that colour has.
   */
  readonly chart: { readonly colour: string; readonly marker: ChartMarker };
  /** How this app's builder stores it; absent when the builder does not write this level. */
  readonly builtIn?: LinearStorage;
}

export const QUANTIZATION_LEVELS = {
  fp32: {
    description: 'float32 weights and activations',
    fileSuffix: '',
    weightBits: 32,
    activationType: 'float',
    hubEmbeddingBytes: 4,
    transformersDtype: 'fp32',
    chart: { colour: '#0072B2', marker: 'circle' },
    builtIn: { elementType: 'float', bits: 32 },
  },
  fp16: {
    description: 'float16 weights and activations (needs shader-f16)',
    fileSuffix: '_fp16',
    weightBits: 16,
    activationType: 'float16',
    hubEmbeddingBytes: 2,
    transformersDtype: 'fp16',
    chart: { colour: '#E69F00', marker: 'square' },
    builtIn: { elementType: 'float16', bits: 16 },
  },
  int8: {
    description:
      'int8 weights with a float32 scale per output column; activations quantized to uint8 per call (MatMulInteger)',
    fileSuffix: '_int8',
    weightBits: 8,
    activationType: 'float',
    hubEmbeddingBytes: 1,
    transformersDtype: 'int8',
    chart: { colour: '#009E73', marker: 'triangle' },
    builtIn: {
      elementType: 'int8',
      bits: 8,
      quantizesActivations: true,
      scales: { per: 'column', scaleType: 'float' },
    },
  },
  uint8: {
    description: 'uint8 weights, float32 activations (hub exports only)',
    fileSuffix: '_uint8',
    weightBits: 8,
    activationType: 'float',
    hubEmbeddingBytes: 1,
    transformersDtype: 'uint8',
    chart: { colour: '#56B4E9', marker: 'triangle-down' },
  },
  quantized: {
    description:
      "8-bit weights, float32 activations: transformers.js' default quantized export, q8 (hub only)",
    fileSuffix: '_quantized',
    weightBits: 8,
    activationType: 'float',
    hubEmbeddingBytes: 1,
    transformersDtype: 'q8',
    chart: { colour: '#000000', marker: 'cross' },
  },
  q4: {
    description: `4-bit weights in blocks of ${Q4_BLOCK_SIZE} with float32 scales (MatMulNBits), float32 activations`,
    fileSuffix: '_q4',
    weightBits: 4,
    activationType: 'float',
    hubEmbeddingBytes: 4,
    transformersDtype: 'q4',
    chart: { colour: '#D55E00', marker: 'diamond' },
    builtIn: {
      elementType: 'uint8',
      bits: 4,
      scales: { per: 'block', blockSize: Q4_BLOCK_SIZE, scaleType: 'float' },
    },
  },
  q4f16: {
    description: `4-bit weights in blocks of ${Q4_BLOCK_SIZE} with float16 scales, float16 activations (needs shader-f16)`,
    fileSuffix: '_q4f16',
    weightBits: 4,
    activationType: 'float16',
    hubEmbeddingBytes: 2,
    transformersDtype: 'q4f16',
    chart: { colour: '#CC79A7', marker: 'star' },
    builtIn: {
      elementType: 'uint8',
      bits: 4,
      scales: { per: 'block', blockSize: Q4_BLOCK_SIZE, scaleType: 'float16' },
    },
  },
  bnb4: {
    description: '4-bit bitsandbytes weights (MatMulBnb4), float32 activations (hub exports only)',
    fileSuffix: '_bnb4',
    weightBits: 4,
    activationType: 'float',
    hubEmbeddingBytes: 4,
    transformersDtype: 'bnb4',
    chart: { colour: '#F0E442', marker: 'plus' },
  },
} as const satisfies Readonly<Record<Quantization, QuantizationLevel>>;

/** The levels this app's own model builder writes: those with a `builtIn` storage. */
export type BuiltInQuantization = {
  [Q in Quantization]: (typeof QUANTIZATION_LEVELS)[Q] extends { readonly builtIn: LinearStorage }
    ? Q
    : never;
}[Quantization];

export function quantizationLevel(quantization: Quantization): QuantizationLevel {
  return QUANTIZATION_LEVELS[quantization];
}

export function isBuiltInQuantization(quantization: Quantization): quantization is BuiltInQuantization {
  return quantizationLevel(quantization).builtIn !== undefined;
}

export const BUILT_IN_QUANTIZATIONS: readonly BuiltInQuantization[] =
  QUANTIZATIONS.filter(isBuiltInQuantization);

export function builtInStorage(quantization: BuiltInQuantization): LinearStorage {
  return QUANTIZATION_LEVELS[quantization].builtIn;
}

/** Float16 activations run only where WebGPU has `shader-f16`. */
export function needsShaderF16(quantization: Quantization): boolean {
  return quantizationLevel(quantization).activationType === 'float16';
}

/** Bytes per element of an activation-typed tensor (activations, and the builder's embeddings and norms). */
export function activationBytes(quantization: Quantization): 2 | 4 {
  return quantizationLevel(quantization).activationType === 'float16' ? 2 : 4;
}

const BY_FILE_SUFFIX: ReadonlyMap<string, Quantization> = new Map(
  QUANTIZATIONS.map((quantization) => [QUANTIZATION_LEVELS[quantization].fileSuffix, quantization]),
);

/** The level whose files carry this suffix (`''` is fp32's plain `model.onnx`), if any. */
export function quantizationOfFileSuffix(suffix: string): Quantization | undefined {
  return BY_FILE_SUFFIX.get(suffix);
}
