/**
 * Emits a Hugging Face-compatible Llama decoder (LlamaForCausalLM with KV cache) as ONNX, with standard ops plus
 * `com.microsoft` MatMulNBits for 4-bit weights. Inputs and outputs follow onnx-community exports exactly.
 * The fused form (llama-fused-graph.ts) writes the same weights with onnxruntime's attention and norm ops.
 */
import type { LlamaConfig } from './config';
import { QUANTIZATION_LEVELS, type ActivationType, type BuiltInQuantization } from './quantization';
import { GraphBuilder, int, ints } from './onnx-writer';
import { Q4_BLOCK_SIZE } from './quantize';
import { concatColumns, type TensorData } from './tensor-data';
import { float32ToFloat16Bits } from './float16';
import { ropeInverseFrequencies } from './rope';
import type { GraphForm, QkvProjection } from './graph-form';
import type { AccuracyLevel } from './accuracy-level';
import { buildFusedDecoder, type KvCacheLayout } from './llama-fused-graph';
import { CONTRIB_DOMAIN } from './onnx-domains';
import { kvCache, lastPosition, logitsOutput, swiGluMlp, tokenInputs } from './llama-graph-parts';
import {
  EMBEDDING,
  FINAL_NORM,
  layerWeightNames,
  llamaWeightSpecs,
  storedFloatWeight,
  storedLinearWeight,
  type StoredLinear,
  type WeightSource,
  type WeightSpec,
} from './weights';

type FloatLinear = Extract<StoredLinear, { format: 'float' }>;
type Int8Linear = Extract<StoredLinear, { format: 'int8' }>;

/** Large negative additive mask; finite so a fully masked row cannot turn softmax into NaN. */
const MASK_VALUE = -1e9;

export function activationType(quantization: BuiltInQuantization): ActivationType {
  return QUANTIZATION_LEVELS[quantization].activationType;
}

export interface GraphBuildOptions {
  readonly seed: number;
  /** `plain` ONNX ops (the default) or onnxruntime's fused attention and norm ops, as WebGPU exports use. */
  readonly form?: GraphForm;
  /**
   * Compute the final norm and LM head for the last position only (logits [batch, 1, vocab]): generation needs
   * nothing else, and at long prompts the LM head and its [T, vocab] logits dominate a small model's prefill.
   */
  readonly lastPositionLogits?: boolean;
  /**
   * MatMulNBits' `accuracy_level` on every 4-bit linear (both forms, the LM head included): 4 lets onnxruntime
   * quantize the activations to int8 per block (its DP4A kernels on WebGPU). 0 (the default) writes no
   * attribute, so such a model is byte for byte what the builder wrote before the option.
   */
  readonly accuracyLevel?: AccuracyLevel;
  /**
   * The fused form's KV cache: `growing` (the default; past and present grow by the new tokens each run) or
   * `static` (a fixed-capacity buffer that past and present share, and an attention mask as long as it), the
   * layout onnxruntime needs to capture and replay a decoder's commands (see llama-fused-graph.ts).
   */
  readonly kvCache?: KvCacheLayout;
  /**
   * The fused form's q/k/v projections (see QkvProjection): `separate` (the default, so a model is byte for byte
   * what the builder wrote before the option) or `packed` where it applies: float and int8 weights in the fused
   * form. 4-bit weights and the plain form (no attention op to split them) keep three projections either way.
   */
  readonly qkv?: QkvProjection;
}

class LlamaGraph {
  readonly g = new GraphBuilder();
  private readonly t: 'float' | 'float16';
  private readonly specs: Map<string, WeightSpec>;
  private readonly weights: WeightSource;

  constructor(
    private readonly config: LlamaConfig,
    private readonly quantization: BuiltInQuantization,
    private readonly options: GraphBuildOptions,
  ) {
    this.t = activationType(quantization);
    const specs = llamaWeightSpecs(config);
    this.specs = new Map(specs.map((spec) => [spec.name, spec]));
    this.weights = { config, seed: options.seed, quantization };
  }

  private spec(name: string): WeightSpec {
    const spec = this.specs.get(name);
    if (spec === undefined) throw new Error(`unknown weight ${name}`);
    return spec;
  }

  /**
   * A float weight stored in the activation type (embeddings and norms in every variant). Weights are written
   * when the graph is encoded, straight into the output.
   */
  floatWeight(name: string): string {
    const spec = this.spec(name);
    const weight = storedFloatWeight(this.weights, spec);
    return this.g.initializer(name, weight.type, spec.shape, weight.data);
  }

  private scalar(value: number): string {
    return this.t === 'float16'
      ? this.g.constant('float16', [], [float32ToFloat16Bits(value)])
      : this.g.constant('float', [], [value]);
  }

  private i64(values: readonly number[]): string {
    return this.g.constant('int64', [values.length], values);
  }

  private i64Scalar(value: number): string {
    return this.g.constant('int64', [], [value]);
  }

  /** x[..., K] @ W[K, N] in the variant's storage format. */
  linear(x: string, name: string): string {
    const spec = this.spec(name);
    const [inputs, outputs] = spec.shape as [number, number];
    return this.storedLinear(x, name, inputs, outputs, storedLinearWeight(this.weights, spec));
  }

  /**
   * x @ [W_1 | W_2 | …] as one projection named `packedName` (outputs side by side, in order), or undefined for
   * 4-bit weights: onnxruntime's WebGPU optimizer fuses separate q/k/v MatMulNBits with their norm itself.
   */
  packedLinear(x: string, names: readonly string[], packedName: string): string | undefined {
    const specs = names.map((name) => this.spec(name));
    const inputs = specs[0]!.shape[0]!;
    if (specs.some((spec) => spec.shape[0] !== inputs))
      throw new Error(`${names.join(', ')} differ in inputs`);
    const columns = specs.map((spec) => spec.shape[1]!);
    const outputs = columns.reduce((sum, n) => sum + n, 0);
    const sideBySide = (tensors: readonly TensorData[], rows: number, elementBytes: number) =>
      concatColumns(
        tensors.map((data, i) => ({ data, columns: columns[i]! })),
        rows,
        elementBytes,
      );
    const parts = specs.map((spec) => storedLinearWeight(this.weights, spec));
    const floats = parts.filter((part): part is FloatLinear => part.format === 'float');
    const type = floats[0]?.type;
    if (floats.length === parts.length && type !== undefined && floats.every((part) => part.type === type)) {
      const values = sideBySide(
        floats.map((part) => part.values),
        inputs,
        type === 'float' ? 4 : 2,
      );
      return this.storedLinear(x, packedName, inputs, outputs, { format: 'float', type, values });
    }
    const int8s = parts.filter((part): part is Int8Linear => part.format === 'int8');
    if (int8s.length === parts.length) {
      return this.storedLinear(x, packedName, inputs, outputs, {
        format: 'int8',
        values: sideBySide(
          int8s.map((part) => part.values),
          inputs,
          1,
        ),
        // float32 scales [N]: one row.
        scales: sideBySide(
          int8s.map((part) => part.scales),
          1,
          4,
        ),
      });
    }
    return undefined;
  }

  private storedLinear(
    x: string,
    name: string,
    inputs: number,
    outputs: number,
    weight: StoredLinear,
  ): string {
    const shape = [inputs, outputs];
    const g = this.g;
    switch (weight.format) {
      case 'float':
        return g.op('MatMul', [x, g.initializer(name, weight.type, shape, weight.values)]);
      case 'int8': {
        // ONNX Runtime's dynamic quantization: uint8 activations quantized per call, int8 weights per column.
        const weightName = g.initializer(`${name}_quantized`, 'int8', shape, weight.values);
        const scaleName = g.initializer(`${name}_scale`, 'float', [outputs], weight.scales);
        const [xq, xScale, xZeroPoint] = g.node('DynamicQuantizeLinear', [x], { outputs: 3 });
        const product = g.op('MatMulInteger', [xq!, weightName, xZeroPoint!]);
        const asFloat = g.op('Cast', [product], { to: int(1) });
        return g.op('Mul', [asFloat, g.op('Mul', [xScale!, scaleName])]);
      }
      case 'q4': {
        const packedName = g.initializer(
          `${name}_Q4`,
          'uint8',
          [outputs, weight.blocksPerColumn, Q4_BLOCK_SIZE / 2],
          weight.packed,
        );
        const scaleName = g.initializer(
          `${name}_scales`,
          weight.scaleType,
          [outputs * weight.blocksPerColumn],
          weight.scales,
        );
        const accuracyLevel = this.options.accuracyLevel ?? 0;
        return g.op(
          'MatMulNBits',
          [x, packedName, scaleName],
          {
            K: int(inputs),
            N: int(outputs),
            bits: int(4),
            block_size: int(Q4_BLOCK_SIZE),
            ...(accuracyLevel === 0 ? {} : { accuracy_level: int(accuracyLevel) }),
          },
          CONTRIB_DOMAIN,
        );
      }
    }
  }

  /** RMSNorm computed in float32 (as Hugging Face upcasts), then scaled by the weight in the activation type. */
  rmsNorm(x: string, weightName: string): string {
    const g = this.g;
    const x32 = this.t === 'float16' ? g.op('Cast', [x], { to: int(1) }) : x;
    const meanSquare = g.op('ReduceMean', [g.op('Mul', [x32, x32])], { axes: ints([-1]), keepdims: int(1) });
    const rms = g.op('Sqrt', [g.op('Add', [meanSquare, g.constant('float', [], [this.config.rmsNormEps])])]);
    let normalized = g.op('Div', [x32, rms]);
    if (this.t === 'float16') normalized = g.op('Cast', [normalized], { to: int(10) });
    return g.op('Mul', [normalized, this.floatWeight(weightName)]);
  }

  /** cos and sin tables [batch, 1, seq, head_dim] from position_ids, computed in float32. */
  rotaryTables(positionIds: string): { cos: string; sin: string } {
    const g = this.g;
    const inverse = ropeInverseFrequencies(this.config);
    const inverseName = g.initializer('rope_inverse_frequencies', 'float', [inverse.length], inverse);
    const positions = g.op('Unsqueeze', [g.op('Cast', [positionIds], { to: int(1) }), this.i64([2])]);
    const frequencies = g.op('Mul', [positions, inverseName]);
    const angles = g.op('Concat', [frequencies, frequencies], { axis: int(-1) });
    const table = (op: 'Cos' | 'Sin') => {
      let value = g.op(op, [angles]);
      if (this.t === 'float16') value = g.op('Cast', [value], { to: int(10) });
      return g.op('Unsqueeze', [value, this.i64([1])]);
    };
    return { cos: table('Cos'), sin: table('Sin') };
  }

  /** x * cos + rotate_half(x) * sin, with Hugging Face's non-interleaved halves. */
  applyRotary(x: string, cos: string, sin: string): string {
    const g = this.g;
    const half = this.config.headDim / 2;
    const [first, second] = g.node('Split', [x, this.i64([half, half])], {
      outputs: 2,
      attributes: { axis: int(-1) },
    });
    const rotated = g.op('Concat', [g.op('Neg', [second!]), first!], { axis: int(-1) });
    return g.op('Add', [g.op('Mul', [x, cos]), g.op('Mul', [rotated, sin])]);
  }

  /** Additive mask [batch, 1, seq, total] in float32: causal over past + new tokens, and attention_mask padding. */
  attentionMask(inputIds: string, attentionMask: string): string {
    const g = this.g;
    const sequence = g.op('Gather', [g.op('Shape', [inputIds]), this.i64Scalar(1)], { axis: int(0) });
    const total = g.op('Gather', [g.op('Shape', [attentionMask]), this.i64Scalar(1)], { axis: int(0) });
    const past = g.op('Sub', [total, sequence]);
    const keyPositions = g.op('Range', [this.i64Scalar(0), total, this.i64Scalar(1)]);
    const queryPositions = g.op('Unsqueeze', [
      g.op('Range', [past, total, this.i64Scalar(1)]),
      this.i64([1]),
    ]);
    const causal = g.op('LessOrEqual', [keyPositions, queryPositions]);
    const notPadding = g.op('Unsqueeze', [g.op('Cast', [attentionMask], { to: int(9) }), this.i64([1, 2])]);
    const allowed = g.op('And', [causal, notPadding]);
    return g.op('Where', [allowed, g.constant('float', [], [0]), g.constant('float', [], [MASK_VALUE])]);
  }

  heads(x: string, count: number): string {
    const g = this.g;
    const split = g.op('Reshape', [x, this.i64([0, 0, count, this.config.headDim])]);
    return g.op('Transpose', [split], { perm: ints([0, 2, 1, 3]) });
  }

  /** Grouped-query attention: repeat each KV head for the query heads that share it. */
  repeatKv(x: string): string {
    const { numAttentionHeads, numKeyValueHeads, headDim } = this.config;
    const repeats = numAttentionHeads / numKeyValueHeads;
    if (repeats === 1) return x;
    const g = this.g;
    const tiled = g.op('Tile', [g.op('Unsqueeze', [x, this.i64([2])]), this.i64([1, 1, repeats, 1, 1])]);
    return g.op('Reshape', [tiled, this.i64([0, numAttentionHeads, -1, headDim])]);
  }

  attention(layer: number, x: string, mask: string, cos: string, sin: string): string {
    const g = this.g;
    const { numAttentionHeads, numKeyValueHeads, headDim } = this.config;
    const names = layerWeightNames(layer);
    const q = this.applyRotary(this.heads(this.linear(x, names.q), numAttentionHeads), cos, sin);
    const k = this.applyRotary(this.heads(this.linear(x, names.k), numKeyValueHeads), cos, sin);
    const v = this.heads(this.linear(x, names.v), numKeyValueHeads);
    const { pastKey, pastValue, presentKey, presentValue } = kvCache(g, this.config, layer, this.t);
    g.node('Concat', [pastKey, k], { outputs: [presentKey], attributes: { axis: int(2) } });
    g.node('Concat', [pastValue, v], { outputs: [presentValue], attributes: { axis: int(2) } });

    const keysT = g.op('Transpose', [this.repeatKv(presentKey)], { perm: ints([0, 1, 3, 2]) });
    let scores = g.op('MatMul', [q, keysT]);
    // Softmax in float32, as Hugging Face upcasts attention weights for half-precision models.
    if (this.t === 'float16') scores = g.op('Cast', [scores], { to: int(1) });
    scores = g.op('Add', [g.op('Mul', [scores, g.constant('float', [], [1 / Math.sqrt(headDim)])]), mask]);
    let probabilities = g.op('Softmax', [scores], { axis: int(-1) });
    if (this.t === 'float16') probabilities = g.op('Cast', [probabilities], { to: int(10) });
    const context = g.op('MatMul', [probabilities, this.repeatKv(presentValue)]);
    const merged = g.op('Reshape', [
      g.op('Transpose', [context], { perm: ints([0, 2, 1, 3]) }),
      this.i64([0, 0, numAttentionHeads * headDim]),
    ]);
    return this.linear(merged, names.o);
  }

  build(): GraphBuilder {
    const g = this.g;
    const { inputIds, attentionMask } = tokenInputs(g);
    const positionIds = g.input({
      name: 'position_ids',
      type: 'int64',
      dims: ['batch_size', 'sequence_length'],
    });
    let hidden = g.op('Gather', [this.floatWeight(EMBEDDING), inputIds], { axis: int(0) });
    const mask = this.attentionMask(inputIds, attentionMask);
    const { cos, sin } = this.rotaryTables(positionIds);
    for (let layer = 0; layer < this.config.numLayers; layer++) {
      const names = layerWeightNames(layer);
      // Layer scopes name nodes as exporters do (`/model/layers.3/...`), so kernels per layer can be counted.
      hidden = g.scoped(`/model/layers.${layer}/`, () => {
        const attended = g.op('Add', [
          hidden,
          this.attention(layer, this.rmsNorm(hidden, names.inputNorm), mask, cos, sin),
        ]);
        return g.op('Add', [
          attended,
          swiGluMlp(g, this, layer, this.rmsNorm(attended, names.postAttentionNorm)),
        ]);
      });
    }
    const lastOnly = this.options.lastPositionLogits === true;
    if (lastOnly) hidden = lastPosition(g, hidden);
    logitsOutput({
      g,
      weights: this,
      config: this.config,
      type: this.t,
      hidden: this.rmsNorm(hidden, FINAL_NORM),
      lastPositionOnly: lastOnly,
    });
    return g;
  }

  buildFused(): GraphBuilder {
    buildFusedDecoder({
      graph: this.g,
      weights: this,
      config: this.config,
      activation: this.t,
      lastPositionLogits: this.options.lastPositionLogits === true,
      kvCache: this.options.kvCache ?? 'growing',
      qkv: this.options.qkv ?? 'separate',
    });
    return this.g;
  }
}

export function buildLlamaGraph(
  config: LlamaConfig,
  quantization: BuiltInQuantization,
  options: GraphBuildOptions,
): GraphBuilder {
  if (config.numAttentionHeads % config.numKeyValueHeads !== 0) {
    throw new Error('numAttentionHeads must be a multiple of numKeyValueHeads');
  }
  if (config.headDim % 2 !== 0) throw new Error('headDim must be even for rotary embeddings');
  if (options.kvCache === 'static' && options.form !== 'fused') {
    throw new Error('a static KV cache needs the fused form (GroupQueryAttention)');
  }
  const graph = new LlamaGraph(config, quantization, options);
  return options.form === 'fused' ? graph.buildFused() : graph.build();
}
