/**
 * An independent forward pass of the same weights in plain TypeScript (float64 math): what the ONNX graph must
 * compute. It shares only the weight values (and their quantized forms) with the builder, never the graph.
 */
import type { LlamaConfig } from './config';
import type { BuiltInQuantization } from './quantization';
import { float16ArrayToFloat32 } from './float16';
import { dequantizeInt8, dequantizeQ4 } from './quantize';
import { ropeInverseFrequencies } from './rope';
import { materialize, type TensorData } from './tensor-data';
import {
  EMBEDDING,
  FINAL_NORM,
  LM_HEAD,
  layerWeightNames,
  llamaWeightSpecs,
  storedFloatWeight,
  storedLinearWeight,
  type FloatType,
  type WeightSource,
  type WeightSpec,
} from './weights';

type Matrix = Float64Array[];

interface LinearWeight {
  readonly inputs: number;
  readonly outputs: number;
  /** [in, out] effective values. */
  readonly values: Float32Array;
  /** int8 only: per-column weight scales and the raw int8 values, to emulate the integer matmul. */
  readonly int8?: { readonly values: Int8Array; readonly scales: Float32Array };
}

/** The float32 values of a stored float32 or float16 tensor. */
function floatValues(data: TensorData, type: FloatType): Float32Array {
  const bytes = materialize(data);
  if (type === 'float') return new Float32Array(bytes.buffer);
  return float16ArrayToFloat32(new Uint16Array(bytes.buffer));
}

/** Reads exactly the values the graph stores (the same generators write them) and dequantizes them. */
class ReferenceWeights {
  private readonly specs: Map<string, WeightSpec>;
  private readonly source: WeightSource;

  constructor(config: LlamaConfig, quantization: BuiltInQuantization, seed: number) {
    this.specs = new Map(llamaWeightSpecs(config).map((spec) => [spec.name, spec]));
    this.source = { config, quantization, seed };
  }

  private spec(name: string): WeightSpec {
    const spec = this.specs.get(name);
    if (spec === undefined) throw new Error(`unknown weight ${name}`);
    return spec;
  }

  /** Embeddings and norm weights, as stored (float32, or float16 in half-precision variants). */
  float(name: string): Float32Array {
    const weight = storedFloatWeight(this.source, this.spec(name));
    return floatValues(weight.data, weight.type);
  }

  linear(name: string): LinearWeight {
    const spec = this.spec(name);
    const [inputs, outputs] = spec.shape as [number, number];
    const weight = storedLinearWeight(this.source, spec);
    switch (weight.format) {
      case 'float':
        return { inputs, outputs, values: floatValues(weight.values, weight.type) };
      case 'int8': {
        const values = new Int8Array(materialize(weight.values).buffer);
        const scales = new Float32Array(materialize(weight.scales).buffer);
        return { inputs, outputs, values: dequantizeInt8(values, scales, outputs), int8: { values, scales } };
      }
      case 'q4': {
        const scales = floatValues(weight.scales, weight.scaleType);
        return { inputs, outputs, values: dequantizeQ4(materialize(weight.packed), scales, inputs, outputs) };
      }
    }
  }
}

function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const difference = value - floor;
  if (difference > 0.5) return floor + 1;
  if (difference < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** ONNX DynamicQuantizeLinear over the whole activation tensor, then the integer matmul and rescale. */
function int8Matmul(x: Matrix, weight: LinearWeight): Matrix {
  const { values, scales } = weight.int8!;
  let min = 0;
  let max = 0;
  for (const row of x) {
    for (const value of row) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
  }
  const scale = Math.fround((max - min) / 255);
  const zeroPoint = scale === 0 ? 0 : Math.max(0, Math.min(255, roundHalfToEven(-min / scale)));
  return x.map((row) => {
    const quantized = row.map((value) =>
      scale === 0 ? zeroPoint : Math.max(0, Math.min(255, roundHalfToEven(value / scale) + zeroPoint)),
    );
    const out = new Float64Array(weight.outputs);
    for (let k = 0; k < weight.inputs; k++) {
      const activation = quantized[k]! - zeroPoint;
      if (activation === 0) continue;
      const offset = k * weight.outputs;
      for (let n = 0; n < weight.outputs; n++) out[n] = out[n]! + activation * values[offset + n]!;
    }
    for (let n = 0; n < weight.outputs; n++) out[n] = out[n]! * Math.fround(scale * scales[n]!);
    return out;
  });
}

function matmul(x: Matrix, weight: LinearWeight): Matrix {
  if (weight.int8 !== undefined) return int8Matmul(x, weight);
  return x.map((row) => {
    const out = new Float64Array(weight.outputs);
    for (let k = 0; k < weight.inputs; k++) {
      const activation = row[k]!;
      const offset = k * weight.outputs;
      for (let n = 0; n < weight.outputs; n++) out[n] = out[n]! + activation * weight.values[offset + n]!;
    }
    return out;
  });
}

function rmsNorm(x: Matrix, weight: Float32Array, eps: number): Matrix {
  return x.map((row) => {
    let sum = 0;
    for (const value of row) sum += value * value;
    const inverse = 1 / Math.sqrt(sum / row.length + eps);
    return row.map((value, i) => value * inverse * weight[i]!);
  });
}

function rotate(
  x: Float64Array,
  offset: number,
  headDim: number,
  cos: Float64Array,
  sin: Float64Array,
): void {
  const half = headDim / 2;
  for (let i = 0; i < half; i++) {
    const first = x[offset + i]!;
    const second = x[offset + half + i]!;
    x[offset + i] = first * cos[i]! - second * sin[i]!;
    x[offset + half + i] = second * cos[i]! + first * sin[i]!;
  }
}

function add(a: Matrix, b: Matrix): Matrix {
  return a.map((row, r) => row.map((value, i) => value + b[r]![i]!));
}

/** Logits for the last position of a prompt fed from an empty KV cache. */
export function referenceLastLogits(
  config: LlamaConfig,
  quantization: BuiltInQuantization,
  seed: number,
  tokenIds: readonly number[],
): Float32Array {
  if (tokenIds.length === 0) throw new Error('the prompt has no tokens');
  const weights = new ReferenceWeights(config, quantization, seed);
  const { hiddenSize, numAttentionHeads, numKeyValueHeads, headDim, rmsNormEps } = config;
  const embedding = weights.float(EMBEDDING);
  let hidden: Matrix = tokenIds.map((id) => {
    if (!Number.isInteger(id) || id < 0 || id >= config.vocabSize)
      throw new Error(`token id ${id} is outside the vocabulary`);
    return Float64Array.from(embedding.subarray(id * hiddenSize, (id + 1) * hiddenSize));
  });

  const inverse = ropeInverseFrequencies(config);
  const cosTables = tokenIds.map((_, position) => Float64Array.from(inverse, (f) => Math.cos(position * f)));
  const sinTables = tokenIds.map((_, position) => Float64Array.from(inverse, (f) => Math.sin(position * f)));
  const groupSize = numAttentionHeads / numKeyValueHeads;
  const scale = 1 / Math.sqrt(headDim);

  for (let layer = 0; layer < config.numLayers; layer++) {
    const names = layerWeightNames(layer);
    const normed = rmsNorm(hidden, weights.float(names.inputNorm), rmsNormEps);
    const q = matmul(normed, weights.linear(names.q));
    const k = matmul(normed, weights.linear(names.k));
    const v = matmul(normed, weights.linear(names.v));
    for (let position = 0; position < tokenIds.length; position++) {
      for (let head = 0; head < numAttentionHeads; head++)
        rotate(q[position]!, head * headDim, headDim, cosTables[position]!, sinTables[position]!);
      for (let head = 0; head < numKeyValueHeads; head++)
        rotate(k[position]!, head * headDim, headDim, cosTables[position]!, sinTables[position]!);
    }
    const context: Matrix = tokenIds.map(() => new Float64Array(numAttentionHeads * headDim));
    for (let head = 0; head < numAttentionHeads; head++) {
      const kvOffset = Math.floor(head / groupSize) * headDim;
      const qOffset = head * headDim;
      for (let i = 0; i < tokenIds.length; i++) {
        const scores = new Float64Array(i + 1);
        let maxScore = -Infinity;
        for (let j = 0; j <= i; j++) {
          let dot = 0;
          for (let d = 0; d < headDim; d++) dot += q[i]![qOffset + d]! * k[j]![kvOffset + d]!;
          scores[j] = dot * scale;
          maxScore = Math.max(maxScore, scores[j]!);
        }
        let total = 0;
        for (let j = 0; j <= i; j++) total += scores[j] = Math.exp(scores[j]! - maxScore);
        for (let j = 0; j <= i; j++) {
          const probability = scores[j]! / total;
          for (let d = 0; d < headDim; d++)
            context[i]![qOffset + d] = context[i]![qOffset + d]! + probability * v[j]![kvOffset + d]!;
        }
      }
    }
    hidden = add(hidden, matmul(context, weights.linear(names.o)));
    const normedMlp = rmsNorm(hidden, weights.float(names.postAttentionNorm), rmsNormEps);
    const gate = matmul(normedMlp, weights.linear(names.gate));
    const up = matmul(normedMlp, weights.linear(names.up));
    const activated = gate.map((row, r) => row.map((g, i) => (g / (1 + Math.exp(-g))) * up[r]![i]!));
    hidden = add(hidden, matmul(activated, weights.linear(names.down)));
  }
  const last = rmsNorm([hidden[hidden.length - 1]!], weights.float(FINAL_NORM), rmsNormEps);
  return Float32Array.from(matmul(last, weights.linear(LM_HEAD))[0]!);
}
