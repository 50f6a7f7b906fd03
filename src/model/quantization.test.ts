import onnxProto from 'onnx-proto';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { buildLlamaOnnx } from './build';
import { PRESETS, type LlamaConfig } from './config';
import { DataType } from './onnx-writer';
import {
  BUILT_IN_QUANTIZATIONS,
  builtInStorage,
  CHART_MARKERS,
  isBuiltInQuantization,
  needsShaderF16,
  QUANTIZATION_LEVELS,
  QUANTIZATIONS,
  quantizationOfFileSuffix,
  type BuiltInQuantization,
  type Quantization,
} from './quantization';

const { onnx } = onnxProto;

/** Okabe & Ito's palette for colour-vision deficiencies (https://jfly.uni-koeln.de/color/). */
const OKABE_ITO = ['#000000', '#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7'];

describe('the quantization registry', () => {
  it('has one entry per level, in the order results list them', () => {
    expect(Object.keys(QUANTIZATION_LEVELS)).toEqual([...QUANTIZATIONS]);
  });

  it('names each level by its file suffix, and every suffix leads back to its level', () => {
    const suffixes = QUANTIZATIONS.map((quantization) => QUANTIZATION_LEVELS[quantization].fileSuffix);
    expect(new Set(suffixes).size).toBe(QUANTIZATIONS.length);
    for (const quantization of QUANTIZATIONS) {
      const { fileSuffix } = QUANTIZATION_LEVELS[quantization];
      expect(quantizationOfFileSuffix(fileSuffix)).toBe(quantization);
      // onnx-community names: plain model.onnx for fp32, model_<level>.onnx for the rest.
      expect(fileSuffix).toBe(quantization === 'fp32' ? '' : `_${quantization}`);
    }
    expect(quantizationOfFileSuffix('_q3')).toBeUndefined();
  });

  it('gives every level its own transformers.js dtype', () => {
    const dtypes = QUANTIZATIONS.map((quantization) => QUANTIZATION_LEVELS[quantization].transformersDtype);
    expect(new Set(dtypes).size).toBe(QUANTIZATIONS.length);
  });

  it('needs shader-f16 for the levels with float16 activations', () => {
    const expected: [Quantization, boolean][] = [
      ['fp32', false],
      ['fp16', true],
      ['int8', false],
      ['uint8', false],
      ['quantized', false],
      ['q4', false],
      ['q4f16', true],
      ['bnb4', false],
    ];
    for (const [quantization, needs] of expected) expect(needsShaderF16(quantization)).toBe(needs);
  });

  it('knows which levels the builder writes, in the type and at run time', () => {
    expect(BUILT_IN_QUANTIZATIONS).toEqual(['fp32', 'fp16', 'int8', 'q4', 'q4f16']);
    expectTypeOf<BuiltInQuantization>().toEqualTypeOf<'fp32' | 'fp16' | 'int8' | 'q4' | 'q4f16'>();
    for (const quantization of QUANTIZATIONS) {
      expect(isBuiltInQuantization(quantization)).toBe(
        BUILT_IN_QUANTIZATIONS.some((q) => q === quantization),
      );
    }
    expect(isBuiltInQuantization('bnb4')).toBe(false);
  });

  it('draws every level apart: no two share both colour and marker, colours from Okabe–Ito', () => {
    const charts = QUANTIZATIONS.map((quantization) => QUANTIZATION_LEVELS[quantization].chart);
    for (const chart of charts) {
      expect(OKABE_ITO).toContain(chart.colour);
      expect(CHART_MARKERS).toContain(chart.marker);
    }
    expect(new Set(charts.map((chart) => `${chart.colour} ${chart.marker}`)).size).toBe(QUANTIZATIONS.length);
    // q4 is vermillion with diamonds (the e2e finds its line in a downloaded SVG by this colour).
    expect(QUANTIZATION_LEVELS.q4.chart).toEqual({ colour: '#D55E00', marker: 'diamond' });
  });

  it('stores weights in no more bits than the level says', () => {
    for (const quantization of BUILT_IN_QUANTIZATIONS) {
      const level = QUANTIZATION_LEVELS[quantization];
      expect(level.builtIn.bits).toBe(level.weightBits);
    }
  });
});

/** Small enough to build every level in milliseconds. */
const SMALL: LlamaConfig = {
  ...PRESETS.tiny.config,
  vocabSize: 256,
  numLayers: 1,
  hiddenSize: 64,
  intermediateSize: 96,
};

function elementTypeOf(value: onnxProto.onnx.IValueInfoProto | undefined): number | null | undefined {
  return value?.type?.tensorType?.elemType;
}

describe('the builder writes every built-in level as the registry describes it', () => {
  it.each(BUILT_IN_QUANTIZATIONS)('%s', (quantization) => {
    const level = QUANTIZATION_LEVELS[quantization];
    const storage = builtInStorage(quantization);
    const model = onnx.ModelProto.decode(buildLlamaOnnx(SMALL, quantization, { seed: 1 }).modelBytes);
    const graph = model.graph!;
    const activation = DataType[level.activationType];
    expect(elementTypeOf(graph.output?.find((output) => output.name === 'logits'))).toBe(activation);
    expect(elementTypeOf(graph.input?.find((input) => input.name === 'past_key_values.0.key'))).toBe(
      activation,
    );
    const initializerTypes = new Set(graph.initializer?.map((tensor) => tensor.dataType));
    expect(initializerTypes).toContain(DataType[storage.elementType]);
    if (storage.scales !== undefined) expect(initializerTypes).toContain(DataType[storage.scales.scaleType]);
    const integerMatMuls = graph.node?.filter((node) => node.opType === 'MatMulInteger') ?? [];
    expect(integerMatMuls.length > 0).toBe(storage.quantizesActivations === true);
    const nBits = graph.node?.filter((node) => node.opType === 'MatMulNBits') ?? [];
    const attribute = (node: onnxProto.onnx.INodeProto, name: string) =>
      Number(node.attribute?.find((entry) => entry.name === name)?.i);
    if (storage.bits === 4) {
      expect(nBits.length).toBeGreaterThan(0);
      const blockSize = storage.scales?.per === 'block' ? storage.scales.blockSize : undefined;
      for (const node of nBits) {
        expect(attribute(node, 'bits')).toBe(4);
        expect(attribute(node, 'block_size')).toBe(blockSize);
      }
    } else {
      expect(nBits).toEqual([]);
    }
  });
});
