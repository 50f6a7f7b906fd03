import { describe, expect, it } from 'vitest';
import { transferablesOf } from './engine-protocol';

describe('transferablesOf', () => {
  it('lists each buffer behind the files once, so postMessage can transfer them', () => {
    const model = new Uint8Array(16);
    const shared = new ArrayBuffer(64);
    const files = {
      files: {
        modelBytes: model,
        externalData: [
          { path: 'a.onnx_data', data: new Uint8Array(shared, 0, 32) },
          { path: 'b.onnx_data', data: new Uint8Array(shared, 32, 32) },
        ],
      },
      filesFrom: 'built' as const,
    };
    const buffers = transferablesOf(files);
    expect(buffers).toHaveLength(2);
    expect(buffers).toContain(model.buffer);
    expect(buffers).toContain(shared);
  });

  it('leaves out shared memory, which cannot be transferred', () => {
    const files = {
      files: { modelBytes: new Uint8Array(new SharedArrayBuffer(8)), externalData: [] },
      filesFrom: 'disk' as const,
    };
    expect(transferablesOf(files)).toEqual([]);
  });
});
