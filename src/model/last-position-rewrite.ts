/**
 * Rewrites an exported decoder so its LM head runs for the last position only: a Slice of the hidden states
 * to `[:, -1:, :]` is inserted just before the LM head's matrix multiply (before its activation quantizer in
 * int8 exports). Logits become `[batch, 1, vocab]`; generation needs nothing else. Only ops that work position
 * by position may sit between the LM head and the `logits` output, so the last row is unchanged.
 */
import onnxProto from 'onnx-proto';
import { decodeOnnxModel } from './onnx-read';

const { onnx } = onnxProto;
type NodeProto = onnxProto.onnx.INodeProto;

/** Matrix multiplies an LM head is exported as: fp32/fp16, 4-bit (MatMulNBits), int8 (MatMulInteger). */
const LM_HEAD_OPS = new Set(['MatMul', 'MatMulNBits', 'MatMulInteger', 'Gemm', 'FusedMatMul']);
/** Position-wise ops allowed between the LM head and `logits` (casts, scales, bias, soft-capping). */
const POSITION_WISE_OPS = new Set(['Identity', 'Cast', 'Mul', 'Add', 'Div', 'Sub', 'Tanh']);
/** int8 exports quantize the activations right before MatMulInteger; the slice goes before the quantizer. */
const ACTIVATION_QUANTIZERS = new Set(['DynamicQuantizeLinear']);
/** Ops between the LM head and logits are few (cast, scale, cap); a deep chain is not an LM head's epilogue. */
const MAX_DEPTH = 8;

export type LastPositionRewrite =
  | { readonly ok: true; readonly modelBytes: Uint8Array; readonly lmHeadNode: string }
  | { readonly ok: false; readonly reason: string };

function int64Initializer(name: string, value: bigint): onnxProto.onnx.ITensorProto {
  return {
    name,
    dataType: onnx.TensorProto.DataType.INT64,
    dims: [1],
    rawData: new Uint8Array(BigInt64Array.of(value).buffer),
  };
}

export function rewriteToLastPositionLogits(modelBytes: Uint8Array): LastPositionRewrite {
  const decoded = decodeOnnxModel(modelBytes);
  if (!decoded.ok) return decoded;
  const model = decoded.model;
  const graph = model.graph;
  if (graph == null) return { ok: false, reason: 'the model has no graph' };
  // Slice takes starts/ends/axes as inputs from opset 10; older graphs would need the attribute form.
  const opset = (model.opsetImport ?? []).find((entry) => (entry.domain ?? '') === '');
  if (opset === undefined || Number(opset.version) < 10) {
    return {
      ok: false,
      reason: `the graph uses ONNX opset ${String(opset?.version ?? 'none')}; 10 or newer is needed`,
    };
  }
  const nodes = graph.node ?? [];
  const producers = new Map<string, NodeProto>();
  for (const node of nodes) for (const output of node.output ?? []) producers.set(output, node);
  const constants = new Set((graph.initializer ?? []).map((tensor) => tensor.name ?? ''));
  const logits = (graph.output ?? []).find((output) => output.name === 'logits');
  if (logits === undefined) return { ok: false, reason: 'the graph has no logits output' };

  // Search back from logits through position-wise ops for the one matrix multiply that produces them.
  const walked = new Set<string>();
  const heads = new Set<NodeProto>();
  let blocker: string | undefined;
  const search = (tensor: string, depth: number): void => {
    const node = producers.get(tensor);
    if (node === undefined || constants.has(tensor)) return;
    const op = node.opType ?? '';
    if (LM_HEAD_OPS.has(op)) {
      heads.add(node);
      return;
    }
    // The activation quantizer's scale reaches logits too; it is sliced along with the activations.
    if (op === 'Constant' || ACTIVATION_QUANTIZERS.has(op)) return;
    if (!POSITION_WISE_OPS.has(op) || depth > MAX_DEPTH) {
      blocker ??= `logits come through a ${op} node, which may mix positions`;
      return;
    }
    walked.add(tensor);
    for (const input of node.input ?? []) search(input, depth + 1);
  };
  search('logits', 0);
  // int8: logits = Cast(MatMulInteger(q(x), W)) * (x scale × W scale); the scale path holds no matmul.
  const [current] = heads;
  if (blocker !== undefined) return { ok: false, reason: blocker };
  if (current === undefined) return { ok: false, reason: 'no matrix multiply produces the logits' };
  if (heads.size > 1) return { ok: false, reason: `${heads.size} matrix multiplies feed logits` };
  const head = current;
  const activation = head.input?.[0];
  if (activation === undefined || activation === '') return { ok: false, reason: 'the LM head has no input' };

  // Where the slice goes: the LM head's own input, or its activation quantizer's input.
  const quantizer = producers.get(activation);
  const consumer =
    quantizer !== undefined && ACTIVATION_QUANTIZERS.has(quantizer.opType ?? '') ? quantizer : head;
  const hidden = consumer.input?.[0];
  if (hidden === undefined || hidden === '')
    return { ok: false, reason: 'the LM head has no hidden-state input' };
  const sliced = `${hidden}/last_position`;
  const starts = `${sliced}/starts`;
  const ends = `${sliced}/ends`;
  const axes = `${sliced}/axes`;
  graph.initializer = [
    ...(graph.initializer ?? []),
    int64Initializer(starts, -1n),
    // Slice clamps the end to the dimension's size.
    int64Initializer(ends, 2n ** 62n),
    // The sequence axis is second to last in [batch, sequence, hidden] (and in a flattened [tokens, hidden]).
    int64Initializer(axes, -2n),
  ];
  const sliceNode: NodeProto = {
    name: `${head.name ?? 'lm_head'}/last_position_slice`,
    opType: 'Slice',
    domain: '',
    input: [hidden, starts, ends, axes],
    output: [sliced],
  };
  consumer.input = [sliced, ...(consumer.input ?? []).slice(1)];
  // Topological order: the slice right before the node that now reads it.
  nodes.splice(nodes.indexOf(consumer), 0, sliceNode);
  graph.node = nodes;

  // Shapes recorded for tensors after the slice no longer hold; logits is [batch, 1, vocab].
  const changed = new Set([...walked, ...(head.output ?? []), ...(consumer.output ?? [])]);
  graph.valueInfo = (graph.valueInfo ?? []).filter((info) => !changed.has(info.name ?? ''));
  const dims = logits.type?.tensorType?.shape?.dim;
  if (dims != null && dims.length >= 2) dims[dims.length - 2] = { dimValue: 1 };
  return {
    ok: true,
    modelBytes: onnx.ModelProto.encode(model).finish(),
    lmHeadNode: head.name ?? head.opType ?? 'lm_head',
  };
}
