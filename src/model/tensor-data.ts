/**
 * Tensor contents written straight in their stored format (float32, float16 bits, packed 4-bit codes, int8) from a
 * seeded random stream, in bulk, with no float32 master copy: a few ns per random word, eight 4-bit codes to a
 * word, so a 1B-parameter model builds in seconds. A TensorData writes itself where the ONNX writer says, so
 * gigabytes of weights land in the output buffer without intermediate copies.
 */
import { float32ToFloat16Bits } from './float16';
import { Q4_BLOCK_SIZE, Q4_BYTES_PER_BLOCK, Q4_DEFAULT_ZERO_POINT, q4BlocksPerColumn } from './quantize';
import { RandomStream } from './random';

export interface TensorData {
  readonly byteLength: number;
  /** Writes the tensor's bytes (little-endian) into `target`: exactly byteLength long, 4-byte aligned. */
  write(target: Uint8Array): void;
}

export interface StreamId {
  readonly seed: number;
  readonly name: string;
}

export function materialize(data: TensorData): Uint8Array {
  const bytes = new Uint8Array(data.byteLength);
  data.write(bytes);
  return bytes;
}

function checkTarget(target: Uint8Array, byteLength: number): void {
  if (target.byteLength !== byteLength) {
    throw new Error(`tensor target holds ${target.byteLength} bytes, not ${byteLength}`);
  }
  if (target.byteOffset % 4 !== 0) throw new Error('tensor target is not 4-byte aligned');
}

/** 1/65536: a power of two, so multiplying by it is exact, as dividing would be. */
const LEVEL_STEP = 1 / 65536;

/**
 * The float value of level i of 65536 equally spaced levels across [center - halfWidth, center + halfWidth): a
 * 16-bit uniform draw, symmetric about `center`, so the mean is exact. Float32 kernels compute it inline (the
 * same expression, so the same rounding); float16 ones look the rounded bits up in a table.
 */
function levelValue(center: number, halfWidth: number, level: number): number {
  return center + halfWidth * ((2 * level + 1) * LEVEL_STEP - 1);
}

const float16Tables = new Map<string, Uint16Array>();

/** The levels rounded to float32, then to float16: a float16 tensor holds exactly the rounding of the float32 one. */
function float16Levels(center: number, halfWidth: number): Uint16Array {
  const key = `${center}:${halfWidth}`;
  let table = float16Tables.get(key);
  if (table === undefined) {
    table = new Uint16Array(65536);
    for (let i = 0; i < 65536; i++) {
      table[i] = float32ToFloat16Bits(Math.fround(levelValue(center, halfWidth, i)));
    }
    float16Tables.set(key, table);
  }
  return table;
}

export interface UniformOptions {
  readonly stream: StreamId;
  readonly count: number;
  readonly center: number;
  readonly halfWidth: number;
  readonly type: 'float' | 'float16';
}

/**
 * Uniform values with 16 bits of resolution (two per random word, the low half first): float32, or float16 bits
 * generated directly from a level table. Either type draws the same levels from the same stream.
 */
export function uniformFloats(options: UniformOptions): TensorData {
  const { stream, count, center, halfWidth, type } = options;
  const byteLength = count * (type === 'float' ? 4 : 2);
  return {
    byteLength,
    write(target) {
      checkTarget(target, byteLength);
      const random = new RandomStream(stream.seed, stream.name);
      if (type === 'float') {
        fillFloat32Levels(
          random,
          new Float32Array(target.buffer, target.byteOffset, count),
          center,
          halfWidth,
        );
      } else {
        const table = float16Levels(center, halfWidth);
        const pairs = count >> 1;
        fillFloat16LevelPairs(random, new Uint32Array(target.buffer, target.byteOffset, pairs), table);
        if (count % 2 === 1) {
          const last = new Uint32Array(1);
          random.fill(last);
          new Uint16Array(target.buffer, target.byteOffset, count)[count - 1] = table[last[0]! & 0xffff]!;
        }
      }
    },
  };
}

// The kernels below run the xoshiro128** step of RandomStream inline (see there) and map each word on the spot.

/** Two float32 levels per word: the low half's first. */
function fillFloat32Levels(random: RandomStream, out: Float32Array, center: number, halfWidth: number): void {
  const state = random.state;
  let s0 = state[0]!;
  let s1 = state[1]!;
  let s2 = state[2]!;
  let s3 = state[3]!;
  const pairs = out.length >> 1;
  for (let i = 0; i < pairs; i++) {
    const m = Math.imul(s1, 5);
    const word = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    out[2 * i] = levelValue(center, halfWidth, word & 0xffff);
    out[2 * i + 1] = levelValue(center, halfWidth, word >>> 16);
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
  if (out.length % 2 === 1) {
    const last = new Uint32Array(1);
    random.fill(last);
    out[out.length - 1] = levelValue(center, halfWidth, last[0]! & 0xffff);
  }
}

/** Two float16 levels per word, stored as one little-endian word (the low half's level first). */
function fillFloat16LevelPairs(random: RandomStream, out: Uint32Array, table: Uint16Array): void {
  const state = random.state;
  let s0 = state[0]!;
  let s1 = state[1]!;
  let s2 = state[2]!;
  let s3 = state[3]!;
  for (let i = 0; i < out.length; i++) {
    const m = Math.imul(s1, 5);
    const word = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    out[i] = table[word & 0xffff]! | (table[word >>> 16]! << 16);
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

/** Eight 4-bit codes per word; a 0 nibble becomes 8 (see q4Codes). */
function fillQ4Words(random: RandomStream, out: Uint32Array): void {
  const state = random.state;
  let s0 = state[0]!;
  let s1 = state[1]!;
  let s2 = state[2]!;
  let s3 = state[3]!;
  for (let i = 0; i < out.length; i++) {
    const m = Math.imul(s1, 5);
    const word = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    // Bit 0 of each nibble of `any` is set iff that nibble of `word` is not 0; a 0 nibble gets bit 3 (→ 8).
    let any = word | (word >>> 1);
    any |= any >>> 2;
    out[i] = word | ((~any & 0x11111111) << 3);
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

/** Four int8 values per word; a -128 byte becomes 0 (see int8Codes). */
function fillInt8Words(random: RandomStream, out: Uint32Array): void {
  const state = random.state;
  let s0 = state[0]!;
  let s1 = state[1]!;
  let s2 = state[2]!;
  let s3 = state[3]!;
  for (let i = 0; i < out.length; i++) {
    const m = Math.imul(s1, 5);
    const word = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    // Exact zero-byte test on word ^ 0x80808080: the high bit of each byte that was 0x80 (-128).
    const flipped = word ^ 0x80808080;
    out[i] = word ^ ~(((flipped & 0x7f7f7f7f) + 0x7f7f7f7f) | flipped | 0x7f7f7f7f);
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

/**
 * Standard deviation of the 4-bit levels `q4Codes` draws: -7..7 with 0 twice as likely (code 0, level -8, becomes
 * code 8), so the levels are symmetric (mean 0) as symmetric quantization makes them: 2·Σ l²/16 over l = 1..7.
 */
export const Q4_LEVEL_STD = Math.sqrt(17.5);
/** Likewise for int8: -127..127 with 0 twice as likely (-128 becomes 0): 2·Σ l²/256 over l = 1..127. */
export const INT8_LEVEL_STD = Math.sqrt((2 * 127 * 128 * 255) / 6 / 256);

/**
 * Packed 4-bit codes for MatMulNBits' B input, [outputs, blocksPerColumn, 16] bytes (element j of a block in the
 * low nibble when j is even), uniform over the 16 codes but with code 0 moved to the zero point. Eight codes per
 * random word. Padding past `inputs` in a column's last block is the zero point.
 */
export function q4Codes(stream: StreamId, inputs: number, outputs: number): TensorData {
  const blocksPerColumn = q4BlocksPerColumn(inputs);
  const byteLength = outputs * blocksPerColumn * Q4_BYTES_PER_BLOCK;
  return {
    byteLength,
    write(target) {
      checkTarget(target, byteLength);
      const random = new RandomStream(stream.seed, stream.name);
      fillQ4Words(random, new Uint32Array(target.buffer, target.byteOffset, byteLength / 4));
      const used = inputs % Q4_BLOCK_SIZE;
      if (used !== 0) {
        const padding = (Q4_DEFAULT_ZERO_POINT << 4) | Q4_DEFAULT_ZERO_POINT;
        for (let n = 0; n < outputs; n++) {
          const block = (n * blocksPerColumn + blocksPerColumn - 1) * Q4_BYTES_PER_BLOCK;
          if (used % 2 === 1) {
            const byte = block + (used >> 1);
            target[byte] = (target[byte]! & 0x0f) | (Q4_DEFAULT_ZERO_POINT << 4);
          }
          target.fill(padding, block + Math.ceil(used / 2), block + Q4_BYTES_PER_BLOCK);
        }
      }
    },
  };
}

/** int8 values, uniform over -127..127 except that -128 becomes 0 (symmetric, as per-column quantization gives). */
export function int8Codes(stream: StreamId, count: number): TensorData {
  return {
    byteLength: count,
    write(target) {
      checkTarget(target, count);
      const random = new RandomStream(stream.seed, stream.name);
      const fullWords = count >> 2;
      fillInt8Words(random, new Uint32Array(target.buffer, target.byteOffset, fullWords));
      if (count % 4 !== 0) {
        const tail = new Uint32Array(1);
        fillInt8Words(random, tail);
        target.set(new Uint8Array(tail.buffer, 0, count % 4), fullWords * 4);
      }
    },
  };
}

/** A TensorData whose bytes come from another's, rearranged: for tied embeddings and LM heads. */
export function derivedTensor(byteLength: number, write: (target: Uint8Array) => void): TensorData {
  return {
    byteLength,
    write(target) {
      checkTarget(target, byteLength);
      write(target);
    },
  };
}

/**
 * Row-major matrices [rows, columns_i] side by side as one [rows, Σ columns_i]: what packing q, k and v into one
 * projection does to their weights (each output column keeps its own weights, so the product is unchanged).
 */
export function concatColumns(
  parts: readonly { readonly data: TensorData; readonly columns: number }[],
  rows: number,
  elementBytes: number,
): TensorData {
  const totalColumns = parts.reduce((sum, part) => sum + part.columns, 0);
  for (const part of parts) {
    if (part.data.byteLength !== rows * part.columns * elementBytes) {
      throw new Error(`a part of ${part.data.byteLength} bytes is not ${rows} × ${part.columns} elements`);
    }
  }
  return derivedTensor(rows * totalColumns * elementBytes, (target) => {
    let columnOffset = 0;
    for (const part of parts) {
      const source = materialize(part.data);
      const rowBytes = part.columns * elementBytes;
      for (let row = 0; row < rows; row++) {
        const start = (row * totalColumns + columnOffset) * elementBytes;
        target.set(source.subarray(row * rowBytes, (row + 1) * rowBytes), start);
      }
      columnOffset += part.columns;
    }
  });
}
