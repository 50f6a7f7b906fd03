/**
 * The pieces both decoder forms (llama-graph.ts plain, llama-fused-graph.ts fused) write the same way: the token
 * inputs, a layer's KV cache inputs and outputs, the SwiGLU MLP, the last-position slice and the LM head's logits.
 * One writer each, so the two forms cannot drift apart in names, shapes or node order.
 */
import type { LlamaConfig } from './config';
import type { GraphBuilder } from './onnx-writer';
import type { ActivationType } from './quantization';
import { LM_HEAD, layerWeightNames } from './weights';

/** How the decoder's weights enter the graph: the plain form's own writers, so both forms store the same tensors. */
export interface DecoderWeights {
  /** x[..., K] @ W[K, N] in the variant's storage format (MatMul, MatMulNBits, or dynamic int8). */
  linear(x: string, name: string): string;
  /**
   * x @ [W_1 | W_2 | …]: one projection whose outputs are the named weights' side by side, or undefined where the
   * storage format keeps them separate.
   */
  packedLinear(x: string, names: readonly string[], packedName: string): string | undefined;
  /** An embedding or norm weight in the activation type. */
  floatWeight(name: string): string;
}

/** input_ids [batch, sequence] and attention_mask [batch, total] (past + new tokens), as exports name them. */
export function tokenInputs(g: GraphBuilder): { inputIds: string; attentionMask: string } {
  const inputIds = g.input({ name: 'input_ids', type: 'int64', dims: ['batch_size', 'sequence_length'] });
  const attentionMask = g.input({
    name: 'attention_mask',
    type: 'int64',
    dims: ['batch_size', 'total_sequence_length'],
  });
  return { inputIds, attentionMask };
}

/**
 * A layer's `past_key_values.{layer}.key|value` inputs and `present.{layer}.key|value` outputs
 * [batch, kv_heads, length, head_dim], declared here; the caller's nodes write the present names.
 */
export function kvCache(
  g: GraphBuilder,
  config: LlamaConfig,
  layer: number,
  type: ActivationType,
  layout: 'growing' | 'static' = 'growing',
): { pastKey: string; pastValue: string; presentKey: string; presentValue: string } {
  const { numKeyValueHeads, headDim } = config;
  // A static cache is one buffer, past and present alike: its length is the capacity.
  const pastLength = layout === 'static' ? 'max_sequence_length' : 'past_sequence_length';
  const presentLength = layout === 'static' ? 'max_sequence_length' : 'total_sequence_length';
  const pastDims = ['batch_size', numKeyValueHeads, pastLength, headDim];
  const pastKey = g.input({ name: `past_key_values.${layer}.key`, type, dims: pastDims });
  const pastValue = g.input({ name: `past_key_values.${layer}.value`, type, dims: pastDims });
  const presentKey = `present.${layer}.key`;
  const presentValue = `present.${layer}.value`;
  const presentDims = ['batch_size', numKeyValueHeads, presentLength, headDim];
  g.output({ name: presentKey, type, dims: presentDims });
  g.output({ name: presentValue, type, dims: presentDims });
  return { pastKey, pastValue, presentKey, presentValue };
}

/** down(SiLU(gate(x)) · up(x)), SiLU as Sigmoid and Mul: the pattern onnxruntime's WebGPU MatMulNBitsMlp fusion looks for. */
export function swiGluMlp(g: GraphBuilder, weights: DecoderWeights, layer: number, x: string): string {
  const names = layerWeightNames(layer);
  const gate = weights.linear(x, names.gate);
  const up = weights.linear(x, names.up);
  const activated = g.op('Mul', [gate, g.op('Sigmoid', [gate])]);
  return weights.linear(g.op('Mul', [activated, up]), names.down);
}

/** x[:, -1:, :]; Slice clamps the end to the sequence length. */
export function lastPosition(g: GraphBuilder, x: string): string {
  const i64 = (values: readonly number[]) => g.constant('int64', [values.length], values);
  return g.op('Slice', [x, i64([-1]), i64([2 ** 31 - 1]), i64([1])]);
}

/** The LM head on `hidden`, as the graph's first output `logits` [batch, 1 or sequence, vocab]. */
export function logitsOutput(options: {
  readonly g: GraphBuilder;
  readonly weights: DecoderWeights;
  readonly config: LlamaConfig;
  readonly type: ActivationType;
  readonly hidden: string;
  readonly lastPositionOnly: boolean;
}): void {
  const { g, weights, config, type, hidden, lastPositionOnly } = options;
  const logits = weights.linear(hidden, LM_HEAD);
  g.node('Identity', [logits], { outputs: ['logits'] });
  // Exports list logits first, then present.* in layer order.
  g.output(
    {
      name: 'logits',
      type,
      dims: ['batch_size', lastPositionOnly ? 1 : 'sequence_length', config.vocabSize],
    },
    { first: true },
  );
}
