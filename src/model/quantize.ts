/**
 * Weight quantization as real exports do it. Shared by the graph builder (which stores the quantized values)
 * and the reference forward pass (which multiplies by exactly the dequantized values the graph holds).
 */

export const Q4_BLOCK_SIZE = 32;
/** MatMulNBits' implied zero point for 4-bit weights when no zero_points input is given. */
export const Q4_DEFAULT_ZERO_POINT = 8;

export interface Int8Weight {
  /** [in, out], symmetric, zero point 0. */
  readonly values: Int8Array;
  /** One scale per output column. */
  readonly scales: Float32Array;
}

/** Per-output-channel symmetric int8, like ONNX Runtime's `quantize_dynamic(per_channel=True)` for weights. */
export function quantizeInt8PerColumn(weight: Float32Array, inputs: number, outputs: number): Int8Weight {
  const scales = new Float32Array(outputs);
  for (let k = 0; k < inputs; k++) {
    const row = k * outputs;
    for (let n = 0; n < outputs; n++) scales[n] = Math.max(scales[n]!, Math.abs(weight[row + n]!));
  }
  for (let n = 0; n < outputs; n++) scales[n] = scales[n]! / 127 || 1;
  const values = new Int8Array(weight.length);
  for (let k = 0; k < inputs; k++) {
    const row = k * outputs;
    for (let n = 0; n < outputs; n++) {
      values[row + n] = Math.max(-127, Math.min(127, Math.round(weight[row + n]! / scales[n]!)));
    }
  }
  return { values, scales };
}

export interface Q4Weight {
  readonly inputs: number;
  readonly outputs: number;
  readonly blocksPerColumn: number;
  /** MatMulNBits B: [outputs, blocksPerColumn, 16] bytes; element j of a block in the low nibble when j is even. */
  readonly packed: Uint8Array;
  /** [outputs * blocksPerColumn], column-major by block. */
  readonly scales: Float32Array;
}

/**
 * Symmetric 4-bit block quantization for `com.microsoft` MatMulNBits (bits 4, block 32, no zero points so the
 * implied zero point is 8). `roundScale` lets q4f16 store the scales it will really use (float16).
 */
export function quantizeQ4(
  weight: Float32Array,
  inputs: number,
  outputs: number,
  roundScale: (scale: number) => number = (scale) => scale,
): Q4Weight {
  const blocksPerColumn = Math.ceil(inputs / Q4_BLOCK_SIZE);
  const bytesPerBlock = Q4_BLOCK_SIZE / 2;
  const packed = new Uint8Array(outputs * blocksPerColumn * bytesPerBlock);
  const scales = new Float32Array(outputs * blocksPerColumn);
  const block = new Float32Array(Q4_BLOCK_SIZE);
  for (let n = 0; n < outputs; n++) {
    for (let b = 0; b < blocksPerColumn; b++) {
      let absMax = 0;
      for (let j = 0; j < Q4_BLOCK_SIZE; j++) {
        const k = b * Q4_BLOCK_SIZE + j;
        // Padding past `inputs` is zero, which quantizes to the zero point.
        const value = k < inputs ? weight[k * outputs + n]! : 0;
        block[j] = value;
        absMax = Math.max(absMax, Math.abs(value));
      }
      const scale = roundScale(absMax / 7);
      scales[n * blocksPerColumn + b] = scale;
      const base = (n * blocksPerColumn + b) * bytesPerBlock;
      for (let j = 0; j < Q4_BLOCK_SIZE; j++) {
        const level = scale === 0 ? 0 : Math.round(block[j]! / scale);
        const q = Math.max(0, Math.min(15, level + Q4_DEFAULT_ZERO_POINT));
        const byte = base + (j >> 1);
        packed[byte] = (j & 1) === 0 ? (packed[byte]! & 0xf0) | q : (packed[byte]! & 0x0f) | (q << 4);
      }
    }
  }
  return { inputs, outputs, blocksPerColumn, packed, scales };
}

/** The [in, out] float values MatMulNBits computes with. */
export function dequantizeQ4(weight: Q4Weight): Float32Array {
  const { inputs, outputs, blocksPerColumn, packed, scales } = weight;
  const out = new Float32Array(inputs * outputs);
  const bytesPerBlock = Q4_BLOCK_SIZE / 2;
  for (let n = 0; n < outputs; n++) {
    for (let b = 0; b < blocksPerColumn; b++) {
      const scale = scales[n * blocksPerColumn + b]!;
      const base = (n * blocksPerColumn + b) * bytesPerBlock;
      for (let j = 0; j < Q4_BLOCK_SIZE; j++) {
        const k = b * Q4_BLOCK_SIZE + j;
        if (k >= inputs) break;
        const byte = packed[base + (j >> 1)]!;
        const q = (j & 1) === 0 ? byte & 0x0f : byte >> 4;
        out[k * outputs + n] = (q - Q4_DEFAULT_ZERO_POINT) * scale;
      }
    }
  }
  return out;
}

export function dequantizeInt8(weight: Int8Weight, outputs: number): Float32Array {
  const out = new Float32Array(weight.values.length);
  for (let i = 0; i < out.length; i++) out[i] = weight.values[i]! * weight.scales[i % outputs]!;
  return out;
}
