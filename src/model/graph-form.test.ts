import { describe, expect, it } from 'vitest';
import { buildLlamaOnnx } from './build';
import { BUILT_IN_QUANTIZATIONS, PRESETS, type BuiltInQuantization, type LlamaConfig } from './config';
import {
  countNodesPerLayer,
  detectGraphForm,
  detectQkvProjection,
  GRAPH_FORMS,
  summarizeGraph,
  type GraphForm,
  type QkvProjection,
} from './graph-form';
import { readGraphNodes, type GraphNode } from './onnx-read';

/** Counts depend on the form, the quantization and whether KV heads are shared, not on the sizes. */
const STRUCTURE_ONLY = (config: LlamaConfig): LlamaConfig => ({
  ...config,
  hiddenSize: config.numAttentionHeads * 8,
  headDim: 8,
  intermediateSize: 64,
  vocabSize: 256,
  numLayers: 3,
  maxPositionEmbeddings: 64,
});

function nodesOf(
  config: LlamaConfig,
  quantization: BuiltInQuantization,
  form: GraphForm,
  qkv: QkvProjection = 'separate',
): GraphNode[] {
  const read = readGraphNodes(buildLlamaOnnx(config, quantization, { seed: 1, form, qkv }).modelBytes);
  if (!read.ok) throw new Error(read.reason);
  return read.nodes;
}

const node = (opType: string, domain = '', name = ''): GraphNode => ({
  name,
  opType,
  domain,
  intAttributes: {},
  inputs: [],
});

describe('graph form from op types', () => {
  it.each(BUILT_IN_QUANTIZATIONS)('%s: each built form is recognised as what it is', (quantization) => {
    const config = STRUCTURE_ONLY(PRESETS.tiny.config);
    for (const form of GRAPH_FORMS) expect(detectGraphForm(nodesOf(config, quantization, form))).toBe(form);
  });

  it('fused means an onnxruntime attention op; fused norms or 4-bit matmuls alone do not make a graph fused', () => {
    const plainExport = [
      node('MatMulNBits', 'com.microsoft'),
      node('SimplifiedLayerNormalization'),
      node('Softmax'),
    ];
    expect(detectGraphForm(plainExport)).toBe('plain');
    expect(detectGraphForm([...plainExport, node('GroupQueryAttention', 'com.microsoft')])).toBe('fused');
    expect(detectGraphForm([node('MultiHeadAttention', 'com.microsoft')])).toBe('fused');
    // A custom op that happens to share the name is not onnxruntime's.
    expect(detectGraphForm([node('GroupQueryAttention', 'com.example')])).toBe('plain');
    expect(detectGraphForm([])).toBe('plain');
  });
});

describe('nodes per decoder layer', () => {
  // Per layer: input norm, q/k/v, attention, o, post-attention norm, gate/up, SiLU (Sigmoid, Mul), Mul, down.
  const FUSED_FLOAT = {
    SkipSimplifiedLayerNormalization: 2,
    GroupQueryAttention: 1,
    Sigmoid: 1,
    Mul: 2,
  };
  const EXPECTED: Record<GraphForm, Record<BuiltInQuantization, Record<string, number>>> = {
    fused: {
      fp32: { ...FUSED_FLOAT, MatMul: 7 },
      fp16: { ...FUSED_FLOAT, MatMul: 7 },
      q4: { ...FUSED_FLOAT, MatMulNBits: 7 },
      q4f16: { ...FUSED_FLOAT, MatMulNBits: 7 },
      // Each projection: DynamicQuantizeLinear, MatMulInteger, Cast, Mul(scale, scale), Mul.
      int8: {
        ...FUSED_FLOAT,
        Mul: 2 + 2 * 7,
        DynamicQuantizeLinear: 7,
        MatMulInteger: 7,
        Cast: 7,
      },
    },
    plain: {
      fp32: plainLayer({ MatMul: 9 }),
      fp16: plainLayer({ MatMul: 9, Cast: 6 }),
      q4: plainLayer({ MatMulNBits: 7, MatMul: 2 }),
      q4f16: plainLayer({ MatMulNBits: 7, MatMul: 2, Cast: 6 }),
      int8: plainLayer({ MatMul: 2, DynamicQuantizeLinear: 7, MatMulInteger: 7, Cast: 7, Mul: 11 + 2 * 7 }),
    },
  };
  /** Two RMSNorm chains, RoPE on q and k, heads split and merged, K/V repeated for GQA, attention, MLP. */
  function plainLayer(projections: Record<string, number>): Record<string, number> {
    return {
      Mul: 11,
      ReduceMean: 2,
      Add: 7,
      Sqrt: 2,
      Div: 2,
      Reshape: 6,
      Transpose: 5,
      Split: 2,
      Neg: 2,
      Concat: 4,
      Unsqueeze: 2,
      Tile: 2,
      Softmax: 1,
      Sigmoid: 1,
      ...projections,
    };
  }
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);

  it('fused layers have 13 nodes (41 for int8), plain ones 58 (64 with fp16 casts, 86 for int8)', () => {
    expect(total(EXPECTED.fused.q4)).toBe(13);
    expect(total(EXPECTED.fused.int8)).toBe(41);
    expect(total(EXPECTED.plain.q4)).toBe(58);
    expect(total(EXPECTED.plain.fp16)).toBe(64);
    expect(total(EXPECTED.plain.int8)).toBe(86);
  });

  describe.each([
    ['tiny', PRESETS.tiny.config],
    ['SmolLM2-135M', PRESETS['smollm2-135m'].config],
    ['Llama-3.2-1B', PRESETS['llama-3.2-1b'].config],
  ] as const)('%s shape', (_, preset) => {
    const config = STRUCTURE_ONLY(preset);
    it.each(BUILT_IN_QUANTIZATIONS)('%s: every layer has the pinned nodes in both forms', (quantization) => {
      for (const form of GRAPH_FORMS) {
        const counts = countNodesPerLayer(nodesOf(config, quantization, form), config.numLayers);
        expect(counts.layers).toHaveLength(config.numLayers);
        const expected = EXPECTED[form][quantization];
        // The first layer has no residual to add yet: its input norm is the non-skip SimplifiedLayerNormalization.
        const first =
          form === 'fused'
            ? { ...expected, SimplifiedLayerNormalization: 1, SkipSimplifiedLayerNormalization: 1 }
            : expected;
        expect(counts.layers[0]).toEqual({ total: total(expected), byOp: first });
        for (const layer of counts.layers.slice(1))
          expect(layer).toEqual({ total: total(expected), byOp: expected });
      }
    });
  });

  it('counts what sits outside the layers: mask and rotary preparation, final norm, LM head', () => {
    const config = STRUCTURE_ONLY(PRESETS.tiny.config);
    const fused = countNodesPerLayer(nodesOf(config, 'q4', 'fused'), config.numLayers).outsideLayers;
    expect(fused.byOp).toEqual({
      Gather: 2,
      ReduceSum: 1,
      Sub: 1,
      Cast: 2,
      Shape: 1,
      SkipSimplifiedLayerNormalization: 1,
      MatMulNBits: 1,
      Identity: 1,
    });
    expect(countNodesPerLayer(nodesOf(config, 'q4', 'plain'), config.numLayers).outsideLayers.total).toBe(30);
  });

  it('reads the layer from exporters’ node names; names past the last layer count outside', () => {
    const counts = countNodesPerLayer(
      [
        node('MatMul', '', '/model/layers.0/self_attn/q_proj/MatMul'),
        node('GroupQueryAttention', 'com.microsoft', '/model/layers.1/attn/GroupQueryAttention'),
        node('MatMulNBits', 'com.microsoft', '/model/layers.1/mlp/down_proj/MatMulNBits'),
        // onnxruntime-genai names its final norm after a layer that does not exist.
        node(
          'SkipSimplifiedLayerNormalization',
          'com.microsoft',
          '/model/layers.2/final_norm_layernorm/SkipLayerNorm',
        ),
        node('Gather', '', '/model/embed_tokens/Gather'),
        node('MatMul', '', '/lm_head/MatMul'),
        node('Identity', '', 'no_layers.3/here'),
      ],
      2,
    );
    expect(counts.layers).toEqual([
      { total: 1, byOp: { MatMul: 1 } },
      { total: 2, byOp: { GroupQueryAttention: 1, MatMulNBits: 1 } },
    ]);
    expect(counts.outsideLayers).toEqual({
      total: 4,
      byOp: { SkipSimplifiedLayerNormalization: 1, Gather: 1, MatMul: 1, Identity: 1 },
    });
  });
});

describe('what a load records about its graph', () => {
  it('the form, the accuracy level and the nodes of a decoder layer, for every built-in level in both forms', () => {
    const config = STRUCTURE_ONLY(PRESETS.tiny.config);
    const expected: Record<GraphForm, Partial<Record<BuiltInQuantization, number>>> = {
      fused: { fp32: 13, q4: 13, int8: 41 },
      plain: { fp32: 58, q4: 58, fp16: 64, int8: 86 },
    };
    for (const form of GRAPH_FORMS) {
      for (const [quantization, nodesPerLayer] of Object.entries(expected[form])) {
        const nodes = nodesOf(config, quantization as BuiltInQuantization, form);
        expect(summarizeGraph(nodes, config.numLayers), `${form} ${quantization}`).toEqual({
          form,
          // Only the 4-bit levels are written with MatMulNBits.
          accuracyLevel: quantization === 'q4' ? 0 : undefined,
          nodesPerLayer,
          qkv: 'separate',
        });
      }
    }
  });

  it('takes the most common layer count (the larger on a tie), and none when names do not say the layer', () => {
    const layer = (index: number, count: number) =>
      Array.from({ length: count }, (_, n) => node('Add', '', `/model/layers.${index}/Add_${n}`));
    expect(summarizeGraph([...layer(0, 5), ...layer(1, 7), ...layer(2, 7)], 3).nodesPerLayer).toBe(7);
    expect(summarizeGraph([...layer(0, 5), ...layer(1, 7)], 2).nodesPerLayer).toBe(7);
    expect(summarizeGraph([node('Add', '', 'Add_1'), node('MatMul', '', 'MatMul_2')], 2)).toEqual({
      form: 'plain',
      accuracyLevel: undefined,
      nodesPerLayer: undefined,
      qkv: 'separate',
    });
  });
});

describe('packed q/k/v projections', () => {
  const config = STRUCTURE_ONLY(PRESETS['smollm2-135m'].config);
  // One projection replaces three: two fewer MatMuls (float), or two fewer five-node int8 chains.
  const PACKED_NODES: Record<BuiltInQuantization, number> = {
    fp32: 11,
    fp16: 11,
    int8: 31,
    q4: 13,
    q4f16: 13,
  };

  it.each(BUILT_IN_QUANTIZATIONS)(
    '%s: the fused graph packs float and int8 weights, never 4-bit ones',
    (quantization) => {
      const nodes = nodesOf(config, quantization, 'fused', 'packed');
      const fourBit = quantization === 'q4' || quantization === 'q4f16';
      expect(detectQkvProjection(nodes)).toBe(fourBit ? 'separate' : 'packed');
      expect(summarizeGraph(nodes, config.numLayers).nodesPerLayer).toBe(PACKED_NODES[quantization]);
      expect(detectQkvProjection(nodesOf(config, quantization, 'fused'))).toBe('separate');
      expect(detectQkvProjection(nodesOf(config, quantization, 'plain'))).toBe('separate');
    },
  );

  it('packed means an attention node with q, k and v in its first input and the key and value inputs empty', () => {
    const gqa = (inputs: string[], domain = 'com.microsoft'): GraphNode => ({
      ...node('GroupQueryAttention', domain),
      inputs,
    });
    expect(detectQkvProjection([gqa(['qkv', '', '', 'past_k'])])).toBe('packed');
    expect(detectQkvProjection([gqa(['qkv'])])).toBe('packed');
    expect(detectQkvProjection([gqa(['q', 'k', 'v'])])).toBe('separate');
    expect(detectQkvProjection([gqa(['qkv', '', ''], 'com.example')])).toBe('separate');
    expect(detectQkvProjection([])).toBe('separate');
  });

  it('the plain graph keeps three projections when packed ones are asked for (nothing splits them there)', () => {
    const plain = (qkv: QkvProjection) => buildLlamaOnnx(config, 'fp32', { seed: 1, qkv }).modelBytes;
    expect(plain('packed')).toEqual(plain('separate'));
  });
});
