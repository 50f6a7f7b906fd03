/**
 * A small graph builder over the `onnx-proto` message types: nodes, initializers, typed graph inputs and
 * outputs, and serialization with optional external data (protobuf messages cannot exceed 2 GiB).
 *
 * Serialization frames the messages itself around the initializers' raw bytes (protobuf's length-delimited
 * fields, in field-number order, exactly as protobufjs writes them): one output buffer is allocated and each
 * initializer writes its bytes into it (or into the external data) once. Encoding a GiB-sized model through
 * protobufjs would copy every weight twice more and hold all of them twice.
 */
import onnxProto from 'onnx-proto';
import type { TensorData } from './tensor-data';

const { onnx } = onnxProto;
type NodeProto = onnxProto.onnx.INodeProto;
type ValueInfoProto = onnxProto.onnx.IValueInfoProto;
type AttributeProto = onnxProto.onnx.IAttributeProto;

export const DataType = {
  float: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
} as const;
export type DataTypeName = keyof typeof DataType;

export type Attribute =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'float'; readonly value: number };

export const int = (value: number): Attribute => ({ kind: 'int', value });
export const ints = (value: readonly number[]): Attribute => ({ kind: 'ints', value });
export const float = (value: number): Attribute => ({ kind: 'float', value });

function toAttributeProto(name: string, attribute: Attribute): AttributeProto {
  const type = onnx.AttributeProto.AttributeType;
  switch (attribute.kind) {
    case 'int':
      return { name, type: type.INT, i: attribute.value };
    case 'ints':
      return { name, type: type.INTS, ints: [...attribute.value] };
    case 'float':
      return { name, type: type.FLOAT, f: attribute.value };
  }
}

export interface ValueSpec {
  readonly name: string;
  readonly type: DataTypeName;
  readonly dims: readonly (number | string)[];
}

function valueInfo(spec: ValueSpec): ValueInfoProto {
  return {
    name: spec.name,
    type: {
      tensorType: {
        elemType: DataType[spec.type],
        shape: {
          dim: spec.dims.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })),
        },
      },
    },
  };
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

interface Initializer {
  readonly name: string;
  readonly dataType: number;
  readonly dims: readonly number[];
  /** Bytes given up front, or written into the output when the model is encoded. */
  readonly data: Uint8Array | TensorData;
}

/** Protobuf wire type 2 (length-delimited) tags of the fields framed by hand. */
const GRAPH_FIELD_TAG = (7 << 3) | 2; // ModelProto.graph
const INITIALIZER_FIELD_TAG = (5 << 3) | 2; // GraphProto.initializer
const RAW_DATA_FIELD_TAG = (9 << 3) | 2; // TensorProto.raw_data
const DOC_STRING_FIELD_TAG = (12 << 3) | 2; // TensorProto.doc_string
/** The model's doc_string; spaces after it align the first initializer. */
const MODEL_DOC = 'Written by the ttft-bench ONNX writer.';
const NO_DOC = -1;
const SPACE = 0x20;

function varintLength(value: number): number {
  let length = 1;
  for (let rest = value; rest >= 128; rest = Math.floor(rest / 128)) length++;
  return length;
}

function writeVarint(out: Uint8Array, offset: number, value: number): number {
  let at = offset;
  let rest = value;
  while (rest >= 128) {
    out[at++] = (rest % 128) | 128;
    rest = Math.floor(rest / 128);
  }
  out[at++] = rest;
  return at;
}

/** Bytes of a length-delimited field with a one-byte tag and `length` bytes of content. */
function fieldLength(length: number): number {
  return 1 + varintLength(length) + length;
}

/** A length-delimited field's tag and length prefix. */
function fieldHeader(tag: number, length: number): Uint8Array {
  const out = new Uint8Array(1 + varintLength(length));
  out[0] = tag;
  writeVarint(out, 1, length);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** A piece of the output: framing bytes, or an initializer's data written in place. */
type Piece = { readonly bytes: Uint8Array } | { readonly data: Uint8Array | TensorData };

export interface EncodedModel {
  readonly modelBytes: Uint8Array;
  readonly externalData: Uint8Array | undefined;
  /** Time spent in TensorData writes (generating weights), in the total encoding time. */
  readonly tensorWriteMs: number;
}

export class GraphBuilder {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: Initializer[] = [];
  private readonly inputs: ValueSpec[] = [];
  private readonly outputs: ValueSpec[] = [];
  private readonly constants = new Map<string, string>();
  private nextId = 0;
  /** Prefix of the names of nodes added now, e.g. `/model/layers.3/` (as exporters name a layer's nodes). */
  private namePrefix = '';

  /** Adds the nodes `build` creates under a name scope, so tools can tell which layer a node belongs to. */
  scoped<T>(prefix: string, build: () => T): T {
    const outer = this.namePrefix;
    this.namePrefix = `${outer}${prefix}`;
    try {
      return build();
    } finally {
      this.namePrefix = outer;
    }
  }

  input(spec: ValueSpec): string {
    this.inputs.push(spec);
    return spec.name;
  }

  output(spec: ValueSpec, options: { readonly first?: boolean } = {}): void {
    if (options.first === true) this.outputs.unshift(spec);
    else this.outputs.push(spec);
  }

  /** A fresh tensor name, for nodes whose outputs are named explicitly (e.g. with optional outputs left empty). */
  tensorName(hint: string): string {
    return `${hint.toLowerCase()}_${this.nextId++}`;
  }

  /** Adds a node; returns its output names (fresh unless given; an empty name leaves an optional output out). */
  node(
    opType: string,
    inputs: readonly string[],
    options: {
      readonly outputs?: number | readonly string[];
      readonly attributes?: Readonly<Record<string, Attribute>>;
      readonly domain?: string;
      readonly name?: string;
    } = {},
  ): string[] {
    const id = this.nextId++;
    const outputs =
      typeof options.outputs === 'object'
        ? [...options.outputs]
        : Array.from({ length: options.outputs ?? 1 }, (_, i) => `${opType.toLowerCase()}_${id}_out${i}`);
    this.nodes.push({
      name: options.name ?? `${this.namePrefix}${opType}_${id}`,
      opType,
      domain: options.domain ?? '',
      input: [...inputs],
      output: outputs,
      attribute: Object.entries(options.attributes ?? {}).map(([name, value]) =>
        toAttributeProto(name, value),
      ),
    });
    return outputs;
  }

  /** Shorthand for single-output nodes. */
  op(
    opType: string,
    inputs: readonly string[],
    attributes?: Readonly<Record<string, Attribute>>,
    domain?: string,
  ): string {
    return this.node(opType, inputs, { attributes: attributes ?? {}, domain: domain ?? '' })[0]!;
  }

  /** `data` is a typed array, or a TensorData that writes itself into the output when the model is encoded. */
  initializer(
    name: string,
    type: DataTypeName,
    dims: readonly number[],
    data: ArrayBufferView | TensorData,
  ): string {
    const stored = ArrayBuffer.isView(data) ? bytesOf(data) : data;
    this.initializers.push({ name, dataType: DataType[type], dims: [...dims], data: stored });
    return name;
  }

  /** A de-duplicated constant initializer (shapes, axes, scalars). */
  constant(
    type: 'int64' | 'int32' | 'float' | 'float16',
    dims: readonly number[],
    values: readonly number[],
  ): string {
    const key = `${type}:${dims.join('x')}:${values.join(',')}`;
    const existing = this.constants.get(key);
    if (existing !== undefined) return existing;
    const name = `const_${this.constants.size}`;
    const data =
      type === 'int64'
        ? BigInt64Array.from(values, (value) => BigInt(value))
        : type === 'int32'
          ? Int32Array.from(values)
          : type === 'float'
            ? Float32Array.from(values)
            : Uint16Array.from(values);
    this.initializer(name, type, dims, data);
    this.constants.set(key, name);
    return name;
  }

  initializerBytes(): number {
    return this.initializers.reduce((sum, tensor) => sum + tensor.data.byteLength, 0);
  }

  /**
   * Serializes the model. Initializers of at least `externalMinBytes` go to `externalFileName` at 4 KiB aligned
   * offsets (as onnx's own writer aligns them), referenced by location/offset/length. `onProgress` gets the
   * fraction of initializer bytes written.
   */
  encode(options: {
    readonly graphName: string;
    readonly opsets: readonly { readonly domain: string; readonly version: number }[];
    readonly externalFileName?: string;
    readonly externalMinBytes?: number;
    readonly onProgress?: (fraction: number) => void;
  }): EncodedModel {
    const externalOffsets = new Map<Initializer, number>();
    let externalBytes = 0;
    if (options.externalFileName !== undefined) {
      const minBytes = options.externalMinBytes ?? 1024;
      const alignment = 4096;
      for (const tensor of this.initializers) {
        if (tensor.data.byteLength < minBytes) continue;
        externalBytes = Math.ceil(externalBytes / alignment) * alignment;
        externalOffsets.set(tensor, externalBytes);
        externalBytes += tensor.data.byteLength;
      }
    }
    /** Per initializer: its TensorProto without raw_data (embedded), or whole (external). */
    const heads = this.initializers.map((tensor) => {
      const { name, dataType, dims } = tensor;
      const offset = externalOffsets.get(tensor);
      if (offset === undefined) return onnx.TensorProto.encode({ dims: [...dims], dataType, name }).finish();
      return onnx.TensorProto.encode({
        dims: [...dims],
        dataType,
        name,
        externalData: [
          { key: 'location', value: options.externalFileName },
          { key: 'offset', value: String(offset) },
          { key: 'length', value: String(tensor.data.byteLength) },
        ],
        dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      }).finish();
    });
    const graphHead = onnx.GraphProto.encode({ node: this.nodes, name: options.graphName }).finish();
    const graphTail = onnx.GraphProto.encode({
      input: this.inputs.map(valueInfo),
      output: this.outputs.map(valueInfo),
    }).finish();
    const modelTail = onnx.ModelProto.encode({
      opsetImport: options.opsets.map((opset) => ({ domain: opset.domain, version: opset.version })),
    }).finish();
    const modelHead = (padding: number) =>
      onnx.ModelProto.encode({
        irVersion: 8,
        producerName: 'ttft-bench',
        producerVersion: '1',
        docString: MODEL_DOC + ' '.repeat(padding),
      }).finish();
    const modelHeadLength = modelHead(0).byteLength;

    // Each written tensor should start 4-byte aligned, so it is generated in place (its kernels write words).
    // Where one would not, spaces in a doc_string before it (the previous tensor's, which protobuf places after
    // that tensor's raw_data, or the model's for the first) move it, keeping the fields in canonical order.
    const padding = { model: 0, tensors: new Array<number>(this.initializers.length).fill(NO_DOC) };
    const embedded = (index: number) => !externalOffsets.has(this.initializers[index]!);
    /** Bytes inside an initializer's field. */
    const innerLength = (index: number) => {
      const head = heads[index]!.byteLength;
      if (!embedded(index)) return head;
      const spaces = padding.tensors[index]!;
      return (
        head +
        fieldLength(this.initializers[index]!.data.byteLength) +
        (spaces === NO_DOC ? 0 : fieldLength(spaces))
      );
    };
    /** Where an initializer field starting at `at` has its raw_data. */
    const rawOffset = (at: number, index: number) =>
      at +
      1 +
      varintLength(innerLength(index)) +
      heads[index]!.byteLength +
      1 +
      varintLength(this.initializers[index]!.data.byteLength);
    const graphStart = (graphLength: number) =>
      modelHeadLength + padding.model + fieldLength(graphLength) - graphLength;
    const layout = () => {
      let graphLength = graphHead.byteLength + graphTail.byteLength;
      const lengths = this.initializers.map((_, index) => innerLength(index));
      for (const length of lengths) graphLength += fieldLength(length);
      let at = graphStart(graphLength) + graphHead.byteLength;
      const rawOffsets = lengths.map((length, index) => {
        const offset = embedded(index) ? rawOffset(at, index) : -1;
        at += fieldLength(length);
        return offset;
      });
      return { rawOffsets, lengths, graphLength };
    };
    /** One pass in order, padding before each written tensor that would be unaligned; returns the graph length. */
    const align = (graphLengthGuess: number) => {
      padding.model = 0;
      padding.tensors.fill(NO_DOC);
      let at = graphStart(graphLengthGuess) + graphHead.byteLength;
      this.initializers.forEach((tensor, index) => {
        // Only an embedded predecessor can carry a doc_string there (with external data: small tensors, copied).
        const alignable =
          !(tensor.data instanceof Uint8Array) && embedded(index) && (index === 0 || embedded(index - 1));
        // Each step moves the tensor by 1 byte (2 when a doc_string appears), so 4 reach every residue.
        for (let step = 0; alignable && step < 5 && rawOffset(at, index) % 4 !== 0; step++) {
          if (index === 0) {
            padding.model++;
            at++;
          } else {
            const before = fieldLength(innerLength(index - 1));
            padding.tensors[index - 1] = padding.tensors[index - 1]! + 1;
            at += fieldLength(innerLength(index - 1)) - before;
          }
        }
        at += fieldLength(innerLength(index));
      });
      return at + graphTail.byteLength - graphStart(graphLengthGuess);
    };
    // The graph's length prefix comes before everything: settle its size (a padding byte may lengthen it).
    let graphLengthGuess = layout().graphLength;
    for (let round = 0; round < 3; round++) {
      const graphLength = align(graphLengthGuess);
      if (varintLength(graphLength) === varintLength(graphLengthGuess)) break;
      graphLengthGuess = graphLength;
    }

    const { rawOffsets, lengths, graphLength } = layout();
    const pieces: Piece[] = [
      { bytes: modelHead(padding.model) },
      { bytes: fieldHeader(GRAPH_FIELD_TAG, graphLength) },
      { bytes: graphHead },
    ];
    this.initializers.forEach((tensor, index) => {
      const head = heads[index]!;
      const framing = fieldHeader(INITIALIZER_FIELD_TAG, lengths[index]!);
      if (!embedded(index)) {
        pieces.push({ bytes: concat([framing, head]) });
        return;
      }
      pieces.push(
        { bytes: concat([framing, head, fieldHeader(RAW_DATA_FIELD_TAG, tensor.data.byteLength)]) },
        { data: tensor.data },
      );
      const spaces = padding.tensors[index]!;
      if (spaces !== NO_DOC) {
        const doc = new Uint8Array(spaces).fill(SPACE);
        pieces.push({ bytes: concat([fieldHeader(DOC_STRING_FIELD_TAG, spaces), doc]) });
      }
    });
    pieces.push({ bytes: graphTail }, { bytes: modelTail });

    const pieceLength = (piece: Piece) => ('bytes' in piece ? piece.bytes : piece.data).byteLength;
    const modelBytes = new Uint8Array(pieces.reduce((sum, piece) => sum + pieceLength(piece), 0));
    const externalData = options.externalFileName === undefined ? undefined : new Uint8Array(externalBytes);
    const totalDataBytes = this.initializerBytes();
    let writtenDataBytes = 0;
    let tensorWriteMs = 0;
    const writeData = (data: Uint8Array | TensorData, target: Uint8Array) => {
      if (data instanceof Uint8Array) {
        target.set(data);
      } else {
        const started = performance.now();
        // A tensor the padding could not align (a length prefix growing a byte meanwhile) goes via a copy.
        if (target.byteOffset % 4 === 0) data.write(target);
        else {
          const aligned = new Uint8Array(data.byteLength);
          data.write(aligned);
          target.set(aligned);
        }
        tensorWriteMs += performance.now() - started;
      }
      writtenDataBytes += data.byteLength;
      options.onProgress?.(totalDataBytes === 0 ? 1 : writtenDataBytes / totalDataBytes);
    };
    let at = 0;
    let dataIndex = 0;
    const embeddedOffsets = rawOffsets.filter((offset) => offset >= 0);
    for (const piece of pieces) {
      const length = pieceLength(piece);
      if ('bytes' in piece) modelBytes.set(piece.bytes, at);
      else {
        if (embeddedOffsets[dataIndex++] !== at) throw new Error('ONNX writer: layout and output disagree');
        writeData(piece.data, modelBytes.subarray(at, at + length));
      }
      at += length;
    }
    for (const [tensor, offset] of externalOffsets) {
      writeData(tensor.data, externalData!.subarray(offset, offset + tensor.data.byteLength));
    }
    return { modelBytes, externalData, tensorWriteMs };
  }
}
