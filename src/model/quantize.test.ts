import { describe, expect, it } from 'vitest';
import { float16BitsToFloat32, float32ToFloat16Bits } from './float16';
import { dequantizeQ4Columns, dequantizeQ4ColumnsToFloat16, q4BlocksPerColumn } from './quantize';
import { materialize, q4Codes, uniformFloats } from './tensor-data';

/** Element k of column n, read the slow way: byte (n·blocks + k/32)·16 + (k%32)/2, low nibble for even k. */
function code(packed: Uint8Array, inputs: number, n: number, k: number): number {
  const blocks = q4BlocksPerColumn(inputs);
  const j = k % 32;
  const byte = packed[(n * blocks + Math.floor(k / 32)) * 16 + (j >> 1)]!;
  return j % 2 === 0 ? byte & 0x0f : byte >> 4;
}

describe.each([
  ['whole blocks', 64],
  ['a partial last block', 41],
])('4-bit dequantization with %s', (_, inputs) => {
  const outputs = 5;
  const blocks = q4BlocksPerColumn(inputs);
  const packed = materialize(q4Codes({ seed: 1, name: 'w' }, inputs, outputs));
  const scaleOptions = {
    stream: { seed: 1, name: 's' },
    count: outputs * blocks,
    center: 0.02,
    halfWidth: 0.01,
  };
  const scales = new Float32Array(materialize(uniformFloats({ ...scaleOptions, type: 'float' })).buffer);
  const scaleBits = new Uint16Array(materialize(uniformFloats({ ...scaleOptions, type: 'float16' })).buffer);

  it('gives (code − 8) · scale for every element, float32', () => {
    const out = new Float32Array(inputs * outputs);
    dequantizeQ4Columns(packed, scales, inputs, outputs, out);
    for (let n = 0; n < outputs; n++) {
      for (let k = 0; k < inputs; k++) {
        const scale = scales[n * blocks + Math.floor(k / 32)]!;
        expect(out[n * inputs + k]).toBe(Math.fround((code(packed, inputs, n, k) - 8) * scale));
      }
    }
  });

  it('gives the float16 rounding of (code − 8) · scale with float16 scales', () => {
    const out = new Uint16Array(inputs * outputs);
    dequantizeQ4ColumnsToFloat16(packed, scaleBits, inputs, outputs, out);
    for (let n = 0; n < outputs; n++) {
      for (let k = 0; k < inputs; k++) {
        const scale = float16BitsToFloat32(scaleBits[n * blocks + Math.floor(k / 32)]!);
        expect(out[n * inputs + k]).toBe(float32ToFloat16Bits((code(packed, inputs, n, k) - 8) * scale));
      }
    }
  });
});
