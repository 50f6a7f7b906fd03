import { describe, expect, it } from 'vitest';
import { ACCURACY_LEVELS, detectAccuracyLevel, parseAccuracyLevel } from './accuracy-level';
import { buildLlamaOnnx } from './build';
import { BUILT_IN_QUANTIZATIONS, PRESETS, type BuiltInQuantization, type LlamaConfig } from './config';
import { GRAPH_FORMS, type GraphForm } from './graph-form';
import { readGraphNodes, type GraphNode } from './onnx-read';

/** tiny's structure with a small vocabulary, so every build here takes milliseconds. */
const CONFIG: LlamaConfig = {
  ...PRESETS.tiny.config,
  vocabSize: 256,
  numLayers: 2,
  maxPositionEmbeddings: 64,
};
/** q, k, v, o, gate, up, down per layer, and the LM head. */
const LINEARS = 7 * CONFIG.numLayers + 1;

interface Build {
  readonly quantization: BuiltInQuantization;
  readonly form: GraphForm;
  readonly accuracyLevel?: (typeof ACCURACY_LEVELS)[number];
  readonly lastPositionLogits?: boolean;
}

function build({ quantization, form, accuracyLevel, lastPositionLogits }: Build): Uint8Array {
  return buildLlamaOnnx(CONFIG, quantization, {
    seed: 1,
    form,
    ...(accuracyLevel === undefined ? {} : { accuracyLevel }),
    ...(lastPositionLogits === undefined ? {} : { lastPositionLogits }),
  }).modelBytes;
}

function nodesOf(modelBytes: Uint8Array): GraphNode[] {
  const read = readGraphNodes(modelBytes);
  if (!read.ok) throw new Error(read.reason);
  return read.nodes;
}

const matMulNBits = (nodes: readonly GraphNode[]) => nodes.filter((node) => node.opType === 'MatMulNBits');

describe('the builder writes the accuracy level it is given', () => {
  it.each(GRAPH_FORMS.flatMap((form) => (['q4', 'q4f16'] as const).map((q) => [form, q] as const)))(
    '%s %s: accuracy_level 4 on every MatMulNBits, the LM head included, with either LM head',
    (form, quantization) => {
      for (const lastPositionLogits of [false, true]) {
        const nodes = nodesOf(build({ quantization, form, accuracyLevel: 4, lastPositionLogits }));
        const nBits = matMulNBits(nodes);
        expect(nBits).toHaveLength(LINEARS);
        for (const node of nBits) {
          expect(node.intAttributes, node.name).toMatchObject({ accuracy_level: 4, bits: 4, block_size: 32 });
        }
        // The LM head is the one whose N is the vocabulary.
        expect(nBits.filter((node) => node.intAttributes['N'] === CONFIG.vocabSize)).toHaveLength(1);
        expect(detectAccuracyLevel(nodes)).toBe(4);
      }
    },
  );

  it.each(GRAPH_FORMS)(
    '%s: level 0 writes no attribute, so the model is byte for byte the one built without the option',
    (form) => {
      for (const quantization of ['q4', 'q4f16'] as const) {
        const levelZero = build({ quantization, form, accuracyLevel: 0 });
        expect(levelZero).toEqual(build({ quantization, form }));
        const nodes = nodesOf(levelZero);
        for (const node of matMulNBits(nodes))
          expect(node.intAttributes).not.toHaveProperty('accuracy_level');
        expect(detectAccuracyLevel(nodes)).toBe(0);
      }
    },
  );

  it.each(BUILT_IN_QUANTIZATIONS.filter((quantization) => quantization !== 'q4' && quantization !== 'q4f16'))(
    '%s: has no MatMulNBits, so the level changes nothing and the graph reports none',
    (quantization) => {
      for (const form of GRAPH_FORMS) {
        const levelFour = build({ quantization, form, accuracyLevel: 4 });
        expect(levelFour).toEqual(build({ quantization, form }));
        expect(detectAccuracyLevel(nodesOf(levelFour))).toBeUndefined();
      }
    },
  );

  it('changes nothing else: the same nodes, with the same other attributes', () => {
    const withoutLevel = (nodes: readonly GraphNode[]) =>
      nodes.map(({ intAttributes, ...node }) => ({
        ...node,
        others: Object.entries(intAttributes).filter(([name]) => name !== 'accuracy_level'),
      }));
    const zero = nodesOf(build({ quantization: 'q4', form: 'fused', accuracyLevel: 0 }));
    const four = nodesOf(build({ quantization: 'q4', form: 'fused', accuracyLevel: 4 }));
    expect(withoutLevel(four)).toEqual(withoutLevel(zero));
  });
});

describe('the accuracy level a loaded graph reports', () => {
  const node = (opType: string, intAttributes: Record<string, number> = {}, domain = 'com.microsoft') => ({
    name: '',
    opType,
    domain,
    intAttributes,
  });

  it('is the largest accuracy_level over its MatMulNBits nodes, an absent attribute counting as 0', () => {
    expect(detectAccuracyLevel([node('MatMulNBits'), node('MatMulNBits')])).toBe(0);
    // onnxruntime-genai's exports: level 4 on the projections; a graph mixing levels reports its largest.
    expect(detectAccuracyLevel([node('MatMulNBits'), node('MatMulNBits', { accuracy_level: 4 })])).toBe(4);
    expect(detectAccuracyLevel([node('MatMulNBits', { accuracy_level: 1 })])).toBe(1);
  });

  it('is none for a graph without MatMulNBits, whatever else carries the attribute', () => {
    expect(detectAccuracyLevel([])).toBeUndefined();
    expect(detectAccuracyLevel([node('MatMul', {}, ''), node('GroupQueryAttention')])).toBeUndefined();
    expect(detectAccuracyLevel([node('MatMulBnb4', { accuracy_level: 4 })])).toBeUndefined();
    expect(detectAccuracyLevel([node('MatMulNBits', { accuracy_level: 4 }, 'com.example')])).toBeUndefined();
  });
});

describe('an accuracy level typed on the command line', () => {
  it('is 0 or 4', () => {
    expect(parseAccuracyLevel('0')).toEqual({ ok: true, level: 0 });
    expect(parseAccuracyLevel(' 4 ')).toEqual({ ok: true, level: 4 });
  });

  it('names what it takes otherwise', () => {
    for (const text of ['1', '', 'four', '4.0', '04'])
      expect(parseAccuracyLevel(text)).toEqual({
        ok: false,
        message: `the accuracy level is 0 or 4, not "${text}"`,
      });
  });
});
