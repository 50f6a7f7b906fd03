/**
 * A small graph builder over the `onnx-proto` message types: nodes, initializers, typed graph inputs and
 * outputs, and serialization with optional external data (protobuf messages cannot exceed 2 GiB).
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type NodeProto = onnxProto.onnx.INodeProto;
type TensorProto = onnxProto.onnx.ITensorProto;
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

export class GraphBuilder {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
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

  initializer(name: string, type: DataTypeName, dims: readonly number[], data: ArrayBufferView): string {
    this.initializers.push({ name, dataType: DataType[type], dims: [...dims], rawData: bytesOf(data) });
    return name;
  }

  /** A de-duplicated constant initializer (shapes, axes, scalars). */
  constant(type: 'int64' | 'float' | 'float16', dims: readonly number[], values: readonly number[]): string {
    const key = `${type}:${dims.join('x')}:${values.join(',')}`;
    const existing = this.constants.get(key);
    if (existing !== undefined) return existing;
    const name = `const_${this.constants.size}`;
    const data =
      type === 'int64'
        ? BigInt64Array.from(values, (value) => BigInt(value))
        : type === 'float'
          ? Float32Array.from(values)
          : Uint16Array.from(values);
    this.initializer(name, type, dims, data);
    this.constants.set(key, name);
    return name;
  }

  initializerBytes(): number {
    return this.initializers.reduce((sum, tensor) => sum + (tensor.rawData?.byteLength ?? 0), 0);
  }

  /**
   * Serializes the model. Initializers of at least `externalMinBytes` go to `externalFileName` at 4 KiB aligned
   * offsets (as onnx's own writer aligns them), referenced by location/offset/length.
   */
  encode(options: {
    readonly graphName: string;
    readonly opsets: readonly { readonly domain: string; readonly version: number }[];
    readonly externalFileName?: string;
    readonly externalMinBytes?: number;
  }): { modelBytes: Uint8Array; externalData: Uint8Array | undefined } {
    let externalData: Uint8Array | undefined;
    let initializers = this.initializers;
    if (options.externalFileName !== undefined) {
      const minBytes = options.externalMinBytes ?? 1024;
      const alignment = 4096;
      let size = 0;
      const placements = new Map<TensorProto, number>();
      for (const tensor of this.initializers) {
        const length = tensor.rawData?.byteLength ?? 0;
        if (length < minBytes) continue;
        size = Math.ceil(size / alignment) * alignment;
        placements.set(tensor, size);
        size += length;
      }
      externalData = new Uint8Array(size);
      initializers = this.initializers.map((tensor) => {
        const offset = placements.get(tensor);
        if (offset === undefined || tensor.rawData == null) return tensor;
        externalData!.set(tensor.rawData, offset);
        return {
          name: tensor.name,
          dataType: tensor.dataType,
          dims: tensor.dims,
          dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
          externalData: [
            { key: 'location', value: options.externalFileName },
            { key: 'offset', value: String(offset) },
            { key: 'length', value: String(tensor.rawData.byteLength) },
          ],
        };
      });
    }
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'ttft-bench',
      producerVersion: '1',
      opsetImport: options.opsets.map((opset) => ({ domain: opset.domain, version: opset.version })),
      graph: {
        name: options.graphName,
        node: this.nodes,
        initializer: initializers,
        input: this.inputs.map(valueInfo),
        output: this.outputs.map(valueInfo),
      },
    });
    return { modelBytes: onnx.ModelProto.encode(model).finish(), externalData };
  }
}
