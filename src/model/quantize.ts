/**
 * The quantized weight formats the graph stores, and their dequantization: what onnxruntime's kernels multiply
 * by. The builder writes codes and scales directly (tensor-data.ts); the reference forward pass and tied
 * embeddings read them back through these functions.
 */
import { float16BitsToFloat32, float32ToFloat16Bits } from './float16';
import { transpose } from './transpose';

/** Block size of `com.microsoft` MatMulNBits weights (bits 4, no zero_points input). */
export const Q4_BLOCK_SIZE = 32;
/** MatMulNBits' implied zero point for 4-bit weights when no zero_points input is given. */
export const Q4_DEFAULT_ZERO_POINT = 8;
export const Q4_BYTES_PER_BLOCK = Q4_BLOCK_SIZE / 2;

export function q4BlocksPerColumn(inputs: number): number {
  return Math.ceil(inputs / Q4_BLOCK_SIZE);
}

/**
 * A MatMulNBits weight's columns as rows: out[n * inputs + k] = (code − 8) · scale for element k of column n.
 * `packed` is B, [outputs, blocksPerColumn, 16] bytes, element j of a block in the low nibble when j is even;
 * `scales` is [outputs * blocksPerColumn].
 */
export function dequantizeQ4Columns(
  packed: Uint8Array,
  scales: Float32Array,
  inputs: number,
  outputs: number,
  out: Float32Array,
): void {
  if (inputs % Q4_BLOCK_SIZE === 0 && packed.byteOffset % 4 === 0) {
    // Whole blocks (every preset): the codes of a block are contiguous in `out`, eight to a 32-bit word.
    const words = new Uint32Array(packed.buffer, packed.byteOffset, packed.byteLength >> 2);
    const zero = Q4_DEFAULT_ZERO_POINT;
    let o = 0;
    for (let block = 0; block < scales.length; block++) {
      const scale = scales[block]!;
      for (let w = block * 4; w < block * 4 + 4; w++, o += 8) {
        const word = words[w]!;
        out[o] = ((word & 15) - zero) * scale;
        out[o + 1] = (((word >>> 4) & 15) - zero) * scale;
        out[o + 2] = (((word >>> 8) & 15) - zero) * scale;
        out[o + 3] = (((word >>> 12) & 15) - zero) * scale;
        out[o + 4] = (((word >>> 16) & 15) - zero) * scale;
        out[o + 5] = (((word >>> 20) & 15) - zero) * scale;
        out[o + 6] = (((word >>> 24) & 15) - zero) * scale;
        out[o + 7] = ((word >>> 28) - zero) * scale;
      }
    }
    return;
  }
  const blocksPerColumn = q4BlocksPerColumn(inputs);
  for (let n = 0; n < outputs; n++) {
    const row = n * inputs;
    for (let b = 0; b < blocksPerColumn; b++) {
      const scale = scales[n * blocksPerColumn + b]!;
      const base = (n * blocksPerColumn + b) * Q4_BYTES_PER_BLOCK;
      const first = b * Q4_BLOCK_SIZE;
      const last = Math.min(inputs, first + Q4_BLOCK_SIZE);
      for (let k = first; k < last; k += 2) {
        const byte = packed[base + ((k - first) >> 1)]!;
        out[row + k] = ((byte & 0x0f) - Q4_DEFAULT_ZERO_POINT) * scale;
        if (k + 1 < last) out[row + k + 1] = ((byte >> 4) - Q4_DEFAULT_ZERO_POINT) * scale;
      }
    }
  }
}

/**
 * As dequantizeQ4Columns, with float16 scales (bits) and float16 results, each the rounding of (code − 8) · scale.
 * The 16 products of a scale are computed once per distinct scale, not per element.
 */
export function dequantizeQ4ColumnsToFloat16(
  packed: Uint8Array,
  scaleBits: Uint16Array,
  inputs: number,
  outputs: number,
  out: Uint16Array,
): void {
  const products = new Uint16Array(65536 * 16);
  const known = new Uint8Array(65536);
  /** Where the 16 products of a scale start in `products`, computed on first use. */
  const productsOf = (bits: number): number => {
    if (known[bits] === 0) {
      const scale = float16BitsToFloat32(bits);
      for (let code = 0; code < 16; code++) {
        products[bits * 16 + code] = float32ToFloat16Bits((code - Q4_DEFAULT_ZERO_POINT) * scale);
      }
      known[bits] = 1;
    }
    return bits * 16;
  };
  if (inputs % Q4_BLOCK_SIZE === 0 && packed.byteOffset % 4 === 0) {
    const words = new Uint32Array(packed.buffer, packed.byteOffset, packed.byteLength >> 2);
    let o = 0;
    for (let block = 0; block < scaleBits.length; block++) {
      const table = productsOf(scaleBits[block]!);
      for (let w = block * 4; w < block * 4 + 4; w++, o += 8) {
        const word = words[w]!;
        out[o] = products[table + (word & 15)]!;
        out[o + 1] = products[table + ((word >>> 4) & 15)]!;
        out[o + 2] = products[table + ((word >>> 8) & 15)]!;
        out[o + 3] = products[table + ((word >>> 12) & 15)]!;
        out[o + 4] = products[table + ((word >>> 16) & 15)]!;
        out[o + 5] = products[table + ((word >>> 20) & 15)]!;
        out[o + 6] = products[table + ((word >>> 24) & 15)]!;
        out[o + 7] = products[table + (word >>> 28)]!;
      }
    }
    return;
  }
  const blocksPerColumn = q4BlocksPerColumn(inputs);
  for (let n = 0; n < outputs; n++) {
    const row = n * inputs;
    for (let b = 0; b < blocksPerColumn; b++) {
      const table = productsOf(scaleBits[n * blocksPerColumn + b]!);
      const base = (n * blocksPerColumn + b) * Q4_BYTES_PER_BLOCK;
      const first = b * Q4_BLOCK_SIZE;
      const last = Math.min(inputs, first + Q4_BLOCK_SIZE);
      for (let k = first; k < last; k += 2) {
        const byte = packed[base + ((k - first) >> 1)]!;
        out[row + k] = products[table + (byte & 0x0f)]!;
        if (k + 1 < last) out[row + k + 1] = products[table + (byte >> 4)]!;
      }
    }
  }
}

/** The [in, out] float values MatMulNBits computes with. */
export function dequantizeQ4(
  packed: Uint8Array,
  scales: Float32Array,
  inputs: number,
  outputs: number,
): Float32Array {
  const columns = new Float32Array(inputs * outputs);
  dequantizeQ4Columns(packed, scales, inputs, outputs, columns);
  const out = new Float32Array(inputs * outputs);
  transpose(columns, outputs, inputs, out);
  return out;
}

/** out[c * rows + r] = values[r * cols + c] · scales[c]: an int8 [rows, cols] weight, dequantized and transposed. */
export function transposeDequantizeInt8(
  values: Int8Array,
  scales: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array,
): void {
  const tile = 64;
  for (let r0 = 0; r0 < rows; r0 += tile) {
    const r1 = Math.min(rows, r0 + tile);
    for (let c0 = 0; c0 < cols; c0 += tile) {
      const c1 = Math.min(cols, c0 + tile);
      for (let r = r0; r < r1; r++) {
        const row = r * cols;
        for (let c = c0; c < c1; c++) out[c * rows + r] = values[row + c]! * scales[c]!;
      }
    }
  }
}

/** The [in, out] float values of a per-column int8 weight (symmetric, zero point 0). */
export function dequantizeInt8(values: Int8Array, scales: Float32Array, outputs: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < out.length; i++) out[i] = values[i]! * scales[i % outputs]!;
  return out;
}
