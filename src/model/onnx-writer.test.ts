import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { GraphBuilder, int } from './onnx-writer';
import { int8Codes, materialize, uniformFloats, type TensorData } from './tensor-data';

const { onnx } = onnxProto;

/** A graph with initializers of odd sizes, so written tensors would start at unaligned offsets unless padded. */
function graph(): { builder: GraphBuilder; tensors: Map<string, Uint8Array> } {
  const builder = new GraphBuilder();
  const tensors = new Map<string, Uint8Array>();
  const initializer = (
    name: string,
    type: 'int8' | 'float' | 'float16',
    dims: number[],
    data: TensorData,
  ) => {
    tensors.set(name, materialize(data));
    return builder.initializer(name, type, dims, data);
  };
  initializer('odd', 'int8', [6], int8Codes({ seed: 1, name: 'odd' }, 6));
  const weight = initializer(
    'w',
    'float',
    [3, 700],
    uniformFloats({ stream: { seed: 2, name: 'w' }, count: 3 * 700, center: 0, halfWidth: 1, type: 'float' }),
  );
  initializer(
    'h',
    'float16',
    [4],
    uniformFloats({ stream: { seed: 3, name: 'h' }, count: 4, center: 1, halfWidth: 0.5, type: 'float16' }),
  );
  // Small: embedded even with external data, after an external tensor (no doc_string there to align it).
  initializer('tail', 'int8', [3], int8Codes({ seed: 4, name: 'tail' }, 3));
  const x = builder.input({ name: 'x', type: 'float', dims: ['batch', 3] });
  const y = builder.op('MatMul', [x, weight]);
  builder.node('Identity', [builder.op('Cast', [y], { to: int(1) })], { outputs: ['y'] });
  builder.output({ name: 'y', type: 'float', dims: ['batch', 700] });
  // A typed-array initializer, given up front.
  builder.constant('int64', [2], [1, -1]);
  return { builder, tensors };
}

describe('ONNX writer', () => {
  it('writes exactly the bytes protobufjs would, with every initializer in place', () => {
    const { builder, tensors } = graph();
    const encoded = builder.encode({ graphName: 'g', opsets: [{ domain: '', version: 17 }] });
    expect(encoded.externalData).toBeUndefined();
    const model = onnx.ModelProto.decode(encoded.modelBytes);
    // Re-encoding the decoded message through protobufjs reproduces the bytes: the hand framing is canonical.
    expect(Buffer.from(onnx.ModelProto.encode(model).finish()).equals(Buffer.from(encoded.modelBytes))).toBe(
      true,
    );
    expect(model.opsetImport).toHaveLength(1);
    expect(model.graph!.name).toBe('g');
    expect(model.graph!.node!.map((node) => node.opType)).toEqual(['MatMul', 'Cast', 'Identity']);
    const initializers = new Map(model.graph!.initializer!.map((tensor) => [tensor.name!, tensor]));
    expect([...initializers.keys()]).toEqual(['odd', 'w', 'h', 'tail', 'const_0']);
    for (const [name, bytes] of tensors) {
      expect(Buffer.from(initializers.get(name)!.rawData!).equals(Buffer.from(bytes)), name).toBe(true);
    }
    expect(initializers.get('w')!.dims!.map(Number)).toEqual([3, 700]);
    // Written tensors start 4-byte aligned, so they are generated in place: spaces in doc strings moved them.
    for (const name of ['odd', 'w', 'h']) {
      expect(Buffer.from(encoded.modelBytes).indexOf(Buffer.from(tensors.get(name)!)) % 4, name).toBe(0);
    }
    expect(model.docString).toMatch(/^Written by the ttft-bench ONNX writer\. *$/);
    expect([...initializers.values()].some((tensor) => /^ +$/.test(tensor.docString ?? ''))).toBe(true);
  });

  it('puts large initializers in external data at 4 KiB offsets, written in place', () => {
    const { builder, tensors } = graph();
    const progress: number[] = [];
    const encoded = builder.encode({
      graphName: 'g',
      opsets: [{ domain: '', version: 17 }],
      externalFileName: 'model.onnx_data',
      externalMinBytes: 7,
      onProgress: (fraction) => progress.push(fraction),
    });
    const model = onnx.ModelProto.decode(encoded.modelBytes);
    const initializers = new Map(model.graph!.initializer!.map((tensor) => [tensor.name!, tensor]));
    expect(initializers.get('odd')!.rawData).toHaveLength(6);
    // Written through a copy when unaligned: the bytes are the same.
    expect(Buffer.from(initializers.get('tail')!.rawData!).equals(Buffer.from(tensors.get('tail')!))).toBe(
      true,
    );
    const place = (name: string) => {
      const tensor = initializers.get(name)!;
      expect(tensor.dataLocation).toBe(onnx.TensorProto.DataLocation.EXTERNAL);
      const entries = Object.fromEntries(tensor.externalData!.map((entry) => [entry.key, entry.value]));
      expect(entries['location']).toBe('model.onnx_data');
      return { offset: Number(entries['offset']), length: Number(entries['length']) };
    };
    expect(place('w')).toEqual({ offset: 0, length: 8400 });
    expect(place('h')).toEqual({ offset: 12288, length: 8 });
    const external = encoded.externalData!;
    expect(Buffer.from(external.subarray(0, 8400)).equals(Buffer.from(tensors.get('w')!))).toBe(true);
    expect(Buffer.from(external.subarray(12288, 12296)).equals(Buffer.from(tensors.get('h')!))).toBe(true);
    expect(progress.at(-1)).toBe(1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });
});
