/** Reads exported ONNX models (protobuf, through onnx-proto) for the tools that inspect or rewrite them. */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export type DecodedModel =
  | { readonly ok: true; readonly model: onnxProto.onnx.ModelProto }
  | { readonly ok: false; readonly reason: string };

export function decodeOnnxModel(modelBytes: Uint8Array): DecodedModel {
  try {
    return { ok: true, model: onnx.ModelProto.decode(modelBytes) };
  } catch (error) {
    return { ok: false, reason: `the file is not a readable ONNX model (${String(error)})` };
  }
}

/** What a node is, without its tensors: enough to classify a graph and count its kernels. */
export interface GraphNode {
  readonly name: string;
  /** The operator, e.g. `MatMulNBits`. */
  readonly opType: string;
  /** `''` for the default ONNX domain, e.g. `com.microsoft` for onnxruntime's contrib ops. */
  readonly domain: string;
  /** The node's integer attributes by name, e.g. MatMulNBits' `{ K, N, bits, block_size, accuracy_level }`. */
  readonly intAttributes: Readonly<Record<string, number>>;
  /** Input tensor names in order; `''` for an optional input left out. */
  readonly inputs: readonly string[];
}

const INT_ATTRIBUTE = onnx.AttributeProto.AttributeType.INT;

function intAttributesOf(node: onnxProto.onnx.INodeProto): Record<string, number> {
  const attributes: Record<string, number> = {};
  for (const attribute of node.attribute ?? []) {
    // protobufjs decodes int64 as Long (or number); Number() reads either.
    if (attribute.type === INT_ATTRIBUTE && attribute.name != null && attribute.i != null)
      attributes[attribute.name] = Number(attribute.i);
  }
  return attributes;
}

/** The main graph's nodes in file order (subgraphs of If/Loop nodes are not listed). */
export function graphNodes(model: onnxProto.onnx.IModelProto): GraphNode[] {
  return (model.graph?.node ?? []).map((node) => ({
    name: node.name ?? '',
    opType: node.opType ?? '',
    domain: node.domain ?? '',
    intAttributes: intAttributesOf(node),
    inputs: node.input ?? [],
  }));
}

/** Decodes the model and lists its nodes; a file that is not a model gives the reason instead. */
export function readGraphNodes(
  modelBytes: Uint8Array,
): { readonly ok: true; readonly nodes: GraphNode[] } | { readonly ok: false; readonly reason: string } {
  const decoded = decodeOnnxModel(modelBytes);
  return decoded.ok ? { ok: true, nodes: graphNodes(decoded.model) } : decoded;
}
