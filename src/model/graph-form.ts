/**
 * The two ways a Llama decoder is written as ONNX, told apart from its op types, and the node count of each
 * decoder layer (graph nodes: what onnxruntime turns into kernels, before its own fusions).
 */
import { detectAccuracyLevel } from './accuracy-level';
import type { GraphNode } from './onnx-read';
import { CONTRIB_DOMAIN } from './onnx-domains';

/**
 * `plain`: standard ONNX ops only (attention as MatMul/Softmax/MatMul, RMSNorm and RoPE as elementwise chains).
 * `fused`: onnxruntime's contrib ops (GroupQueryAttention with rotary, SimplifiedLayerNormalization,
 * SkipSimplifiedLayerNormalization), as onnxruntime-genai's model builder writes WebGPU exports.
 */
export const GRAPH_FORMS = ['plain', 'fused'] as const;
export type GraphForm = (typeof GRAPH_FORMS)[number];

/**
 * How a fused graph feeds attention its queries, keys and values: `packed`, one projection whose output holds
 * q, k and v side by side (GroupQueryAttention's key and value inputs left empty; what onnxruntime-genai writes
 * for WebGPU), or `separate`, three projections. 4-bit weights stay separate either way: onnxruntime's WebGPU
 * optimizer fuses the norm and the three MatMulNBits into one kernel (MatMulNBitsQkv), which packing would prevent.
 */
export const QKV_PROJECTIONS = ['packed', 'separate'] as const;
export type QkvProjection = (typeof QKV_PROJECTIONS)[number];

/** `packed` when any GroupQueryAttention node takes q, k and v in its first input, else `separate`. */
export function detectQkvProjection(
  nodes: readonly Pick<GraphNode, 'opType' | 'domain' | 'inputs'>[],
): QkvProjection {
  const packed = nodes.some(
    (node) =>
      node.domain === CONTRIB_DOMAIN &&
      node.opType === 'GroupQueryAttention' &&
      (node.inputs[1] ?? '') === '',
  );
  return packed ? 'packed' : 'separate';
}

/** onnxruntime's attention contrib ops: each replaces the whole Q·Kᵀ / softmax / ·V chain of a layer. */
const FUSED_ATTENTION_OPS: ReadonlySet<string> = new Set([
  'GroupQueryAttention',
  'MultiHeadAttention',
  'Attention',
]);

/** `fused` when attention is an onnxruntime contrib op, else `plain` (whatever the norms and matmuls are). */
export function detectGraphForm(nodes: readonly Pick<GraphNode, 'opType' | 'domain'>[]): GraphForm {
  const fused = nodes.some((node) => node.domain === CONTRIB_DOMAIN && FUSED_ATTENTION_OPS.has(node.opType));
  return fused ? 'fused' : 'plain';
}

export interface OpCounts {
  readonly total: number;
  /** Nodes per op type, e.g. `{ MatMulNBits: 7, GroupQueryAttention: 1 }`. */
  readonly byOp: Readonly<Record<string, number>>;
}

export interface NodeCountsPerLayer {
  /** One entry per decoder layer, in layer order. */
  readonly layers: readonly OpCounts[];
  /** Embedding, mask and rotary preparation, final norm, LM head. */
  readonly outsideLayers: OpCounts;
}

/**
 * Exporters name a layer's nodes under its module path: `/model/layers.3/self_attn/q_proj/MatMul` (Hugging Face
 * Optimum), `/model/layers.3/attn/GroupQueryAttention` (onnxruntime-genai), `/model/layers.3/MatMul_41` (ours).
 */
const LAYER_IN_NAME = /(?:^|\/)layers\.(\d+)\//;

function countOps(nodes: readonly GraphNode[]): OpCounts {
  const byOp: Record<string, number> = {};
  for (const node of nodes) byOp[node.opType] = (byOp[node.opType] ?? 0) + 1;
  return { total: nodes.length, byOp };
}

/**
 * Counts nodes per decoder layer from node names. Names pointing past the last layer (onnxruntime-genai names
 * its final norm `/model/layers.{numLayers}/final_norm_layernorm/...`) count as outside the layers.
 */
export function countNodesPerLayer(nodes: readonly GraphNode[], numLayers: number): NodeCountsPerLayer {
  const layers: GraphNode[][] = Array.from({ length: numLayers }, () => []);
  const outside: GraphNode[] = [];
  for (const node of nodes) {
    const match = LAYER_IN_NAME.exec(node.name);
    const layer = match === null ? undefined : Number(match[1]);
    if (layer !== undefined && layer < numLayers) layers[layer]!.push(node);
    else outside.push(node);
  }
  return { layers: layers.map(countOps), outsideLayers: countOps(outside) };
}

/** What the results record about a graph: its form, its MatMulNBits accuracy level, and how many nodes a decoder layer has. */
export interface GraphSummary {
  readonly form: GraphForm;
  /** The largest MatMulNBits accuracy_level; undefined where the graph has no MatMulNBits (see accuracy-level.ts). */
  readonly accuracyLevel: number | undefined;
  /** The most common node count over the layers (the larger on a tie); undefined when no node name says its layer. */
  readonly nodesPerLayer: number | undefined;
  readonly qkv: QkvProjection;
}

export function summarizeGraph(nodes: readonly GraphNode[], numLayers: number): GraphSummary {
  const totals = countNodesPerLayer(nodes, numLayers)
    .layers.map((layer) => layer.total)
    .filter((total) => total > 0);
  const frequency = new Map<number, number>();
  for (const total of totals) frequency.set(total, (frequency.get(total) ?? 0) + 1);
  let nodesPerLayer: number | undefined;
  for (const [total, times] of frequency) {
    const best = nodesPerLayer === undefined ? 0 : frequency.get(nodesPerLayer)!;
    if (times > best || (times === best && total > nodesPerLayer!)) nodesPerLayer = total;
  }
  return {
    form: detectGraphForm(nodes),
    accuracyLevel: detectAccuracyLevel(nodes),
    nodesPerLayer,
    qkv: detectQkvProjection(nodes),
  };
}
