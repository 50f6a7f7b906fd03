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
}

/** The main graph's nodes in file order (subgraphs of If/Loop nodes are not listed). */
export function graphNodes(model: onnxProto.onnx.IModelProto): GraphNode[] {
  return (model.graph?.node ?? []).map((node) => ({
    name: node.name ?? '',
    opType: node.opType ?? '',
    domain: node.domain ?? '',
  }));
}

/** Decodes the model and lists its nodes; a file that is not a model gives the reason instead. */
export function readGraphNodes(
  modelBytes: Uint8Array,
): { readonly ok: true; readonly nodes: GraphNode[] } | { readonly ok: false; readonly reason: string } {
  const decoded = decodeOnnxModel(modelBytes);
  return decoded.ok ? { ok: true, nodes: graphNodes(decoded.model) } : decoded;
}
