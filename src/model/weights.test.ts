import { describe, expect, it } from 'vitest';
import { BUILT_IN_QUANTIZATIONS, PRESETS, type BuiltInQuantization, type LlamaConfig } from './config';
import { float16ArrayToFloat32, float16BitsToFloat32, float32ToFloat16Bits } from './float16';
import { dequantizeInt8, dequantizeQ4 } from './quantize';
import { materialize, type TensorData } from './tensor-data';
import {
  EMBEDDING,
  LM_HEAD,
  llamaWeightSpecs,
  storedFloatWeight,
  storedLinearWeight,
  type FloatType,
  type WeightSource,
  type WeightSpec,
} from './weights';

const CONFIG: LlamaConfig = {
  ...PRESETS.tiny.config,
  vocabSize: 1000,
  hiddenSize: 256,
  intermediateSize: 512,
  numLayers: 1,
};
const TIED: LlamaConfig = { ...CONFIG, tieWordEmbeddings: true };

function floats(data: TensorData, type: FloatType): Float32Array {
  const bytes = materialize(data);
  return type === 'float'
    ? new Float32Array(bytes.buffer)
    : float16ArrayToFloat32(new Uint16Array(bytes.buffer));
}

/** The [in, out] values a linear weight multiplies by. */
function linearValues(source: WeightSource, spec: WeightSpec): Float32Array {
  const [inputs, outputs] = spec.shape as [number, number];
  const weight = storedLinearWeight(source, spec);
  switch (weight.format) {
    case 'float':
      return floats(weight.values, weight.type);
    case 'int8':
      return dequantizeInt8(
        new Int8Array(materialize(weight.values).buffer),
        floats(weight.scales, 'float'),
        outputs,
      );
    case 'q4':
      return dequantizeQ4(
        materialize(weight.packed),
        floats(weight.scales, weight.scaleType),
        inputs,
        outputs,
      );
  }
}

function spec(config: LlamaConfig, name: string): WeightSpec {
  return llamaWeightSpecs(config).find((candidate) => candidate.name === name)!;
}

function meanAndStd(values: Float32Array): { mean: number; std: number } {
  let sum = 0;
  let squares = 0;
  for (const value of values) {
    sum += value;
    squares += value * value;
  }
  const mean = sum / values.length;
  return { mean, std: Math.sqrt(squares / values.length - mean * mean) };
}

describe.each(BUILT_IN_QUANTIZATIONS)('%s weights', (quantization: BuiltInQuantization) => {
  const source: WeightSource = { config: CONFIG, seed: 11, quantization };

  it('linear weights have mean 0 and std 1/√in as stored (after dequantization)', () => {
    for (const weight of llamaWeightSpecs(CONFIG).filter((candidate) => candidate.role === 'linear')) {
      const values = linearValues(source, weight);
      const { mean, std } = meanAndStd(values);
      const expected =
        weight.name === LM_HEAD ? 4 / Math.sqrt(CONFIG.hiddenSize) : 1 / Math.sqrt(weight.shape[0]!);
      expect(std / expected, weight.name).toBeGreaterThan(0.97);
      expect(std / expected, weight.name).toBeLessThan(1.03);
      // Within 5 standard errors of 0.
      expect(Math.abs(mean), weight.name).toBeLessThan((5 * expected) / Math.sqrt(values.length));
    }
  });

  it('norms are 1 ± 0.1 and the embedding has std 4/√hidden', () => {
    const norm = spec(CONFIG, 'model.norm.weight');
    const stored = storedFloatWeight(source, norm);
    expect(stored.type).toBe(quantization === 'fp16' || quantization === 'q4f16' ? 'float16' : 'float');
    const values = floats(stored.data, stored.type);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0.9);
    expect(Math.max(...values)).toBeLessThanOrEqual(1.1);
    const embedding = storedFloatWeight(source, spec(CONFIG, EMBEDDING));
    const { std } = meanAndStd(floats(embedding.data, embedding.type));
    expect(std * Math.sqrt(CONFIG.hiddenSize)).toBeCloseTo(4, 1);
  });

  it('tied embeddings are the LM head transposed, value for value', () => {
    const tied: WeightSource = { ...source, config: TIED };
    const { vocabSize: vocab, hiddenSize: hidden } = TIED;
    const embedding = storedFloatWeight(tied, spec(TIED, EMBEDDING));
    const embeddingValues = floats(embedding.data, embedding.type);
    const head = linearValues(tied, spec(TIED, LM_HEAD));
    // q4f16 keeps float16 scales, but its embedding is float16 too: each value is the product, rounded.
    const asStored = (value: number) =>
      quantization === 'q4f16' ? float16BitsToFloat32(float32ToFloat16Bits(value)) : value;
    let mismatches = 0;
    for (let n = 0; n < vocab; n++) {
      for (let k = 0; k < hidden; k++) {
        if (embeddingValues[n * hidden + k] !== asStored(head[k * vocab + n]!)) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('are a function of the seed', () => {
    const q = spec(CONFIG, 'model.layers.0.self_attn.q_proj.weight');
    const again = linearValues({ ...source }, q);
    expect(linearValues(source, q)).toEqual(again);
    expect(linearValues({ ...source, seed: 12 }, q)).not.toEqual(again);
  });
});
