import { describe, expect, it } from 'vitest';
import { float32ToFloat16Bits } from './float16';
import { Q4_DEFAULT_ZERO_POINT } from './quantize';
import { RandomStream, seededUniform } from './random';
import {
  INT8_LEVEL_STD,
  int8Codes,
  materialize,
  Q4_LEVEL_STD,
  q4Codes,
  uniformFloats,
  type TensorData,
  concatColumns,
} from './tensor-data';
import { transpose } from './transpose';

const stream = (name: string, seed = 1) => ({ seed, name });

function moments(values: ArrayLike<number>): { mean: number; std: number; min: number; max: number } {
  let sum = 0;
  let squares = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    sum += value;
    squares += value * value;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  const mean = sum / values.length;
  return { mean, std: Math.sqrt(squares / values.length - mean * mean), min, max };
}

/** The 4-bit codes of packed bytes, element order (low nibble first). */
function nibbles(bytes: Uint8Array): number[] {
  return [...bytes].flatMap((byte) => [byte & 0x0f, byte >> 4]);
}

describe('random streams', () => {
  it('are a function of seed and name', () => {
    const words = (seed: number, name: string) => {
      const out = new Uint32Array(64);
      new RandomStream(seed, name).fill(out);
      return [...out];
    };
    expect(words(1, 'a')).toEqual(words(1, 'a'));
    expect(words(1, 'a')).not.toEqual(words(2, 'a'));
    expect(words(1, 'a')).not.toEqual(words(1, 'b'));
  });

  it('continue where they stopped, however they are drawn', () => {
    const whole = new Uint32Array(100);
    new RandomStream(3, 'x').fill(whole);
    const parts = new Uint32Array(100);
    const random = new RandomStream(3, 'x');
    random.fill(parts, 0, 37);
    random.fill(parts, 37, 100);
    expect([...parts]).toEqual([...whole]);
  });

  it('give uniform bits: every bit is set about half the time', () => {
    const words = new Uint32Array(1 << 16);
    new RandomStream(5, 'bits').fill(words);
    for (let bit = 0; bit < 32; bit++) {
      let ones = 0;
      for (const word of words) ones += (word >>> bit) & 1;
      // 5 sigma of a fair coin over 65536 draws is 640.
      expect(Math.abs(ones - words.length / 2)).toBeLessThan(640);
    }
  });

  it('seededUniform spans [-limit, limit) with a uniform std', () => {
    const { mean, std, min, max } = moments(seededUniform(1, 'u', 1 << 16, 2));
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(std).toBeCloseTo(2 / Math.sqrt(3), 1);
    expect(min).toBeGreaterThanOrEqual(-2);
    expect(max).toBeLessThan(2);
  });
});

describe('uniform floats', () => {
  const count = 100_001;
  const options = { stream: stream('w'), count, center: 0.5, halfWidth: 0.25 } as const;
  const float32 = new Float32Array(materialize(uniformFloats({ ...options, type: 'float' })).buffer);
  const float16 = new Uint16Array(materialize(uniformFloats({ ...options, type: 'float16' })).buffer);

  it('have the asked center and width', () => {
    const { mean, std, min, max } = moments(float32);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(std).toBeCloseTo(0.25 / Math.sqrt(3), 3);
    expect(min).toBeGreaterThanOrEqual(0.25);
    expect(max).toBeLessThanOrEqual(0.75);
  });

  it('in float16 are exactly the float32 values rounded, odd counts included', () => {
    expect([...float16]).toEqual(Array.from(float32, float32ToFloat16Bits));
  });

  it('of a shorter tensor are a prefix of a longer one from the same stream', () => {
    const short = new Float32Array(
      materialize(uniformFloats({ ...options, count: 7, type: 'float' })).buffer,
    );
    expect([...short]).toEqual([...float32.subarray(0, 7)]);
  });

  it('refuse a target of the wrong size or alignment', () => {
    const data = uniformFloats({ ...options, count: 4, type: 'float' });
    expect(() => data.write(new Uint8Array(12))).toThrow(/holds 12 bytes, not 16/);
    expect(() => data.write(new Uint8Array(20).subarray(2, 18))).toThrow(/aligned/);
  });
});

describe('4-bit codes', () => {
  it('never use code 0 (level -8): levels -7..7, symmetric, with the std they claim', () => {
    const codes = nibbles(materialize(q4Codes(stream('q'), 256, 512)));
    expect(codes).toHaveLength(256 * 512);
    expect(codes.includes(0)).toBe(false);
    const counts = Array.from({ length: 16 }, (_, code) => codes.filter((c) => c === code).length);
    // Each of codes 1..15 about 1/16, the zero point (8) about 2/16.
    for (let code = 1; code < 16; code++) {
      const expected = (codes.length * (code === Q4_DEFAULT_ZERO_POINT ? 2 : 1)) / 16;
      expect(Math.abs(counts[code]! - expected) / expected).toBeLessThan(0.05);
    }
    const { mean, std } = moments(codes.map((code) => code - Q4_DEFAULT_ZERO_POINT));
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(std / Q4_LEVEL_STD).toBeCloseTo(1, 2);
  });

  it('pad a column past its inputs with the zero point', () => {
    // 41 inputs: 2 blocks per column, the second holds 9 real elements (an odd count) and 23 of padding.
    const codes = nibbles(materialize(q4Codes(stream('p'), 41, 3)));
    for (let column = 0; column < 3; column++) {
      const block = codes.slice((column * 2 + 1) * 32, (column * 2 + 2) * 32);
      expect(block.slice(9)).toEqual(new Array(23).fill(Q4_DEFAULT_ZERO_POINT));
      expect(block.slice(0, 9).every((code) => code >= 1 && code <= 15)).toBe(true);
    }
  });
});

describe('int8 codes', () => {
  it('never use -128: symmetric over -127..127, with the std they claim', () => {
    const values = new Int8Array(materialize(int8Codes(stream('i'), 1 << 18)).buffer);
    expect(values.includes(-128)).toBe(false);
    const { mean, std, min, max } = moments(values);
    expect([min, max]).toEqual([-127, 127]);
    expect(Math.abs(mean)).toBeLessThan(0.5);
    expect(std / INT8_LEVEL_STD).toBeCloseTo(1, 2);
    const zeros = values.filter((value) => value === 0).length;
    expect(zeros / values.length).toBeCloseTo(2 / 256, 3);
  });

  it('of any length are a prefix of a longer draw', () => {
    const long = materialize(int8Codes(stream('t'), 16));
    for (const count of [1, 2, 3, 5, 7, 13]) {
      expect([...materialize(int8Codes(stream('t'), count))]).toEqual([...long.subarray(0, count)]);
    }
  });
});

describe('transpose', () => {
  it('moves element (r, c) to (c, r), across tile edges', () => {
    const rows = 70;
    const cols = 131;
    const source = Float32Array.from({ length: rows * cols }, (_, i) => i);
    const out = new Float32Array(rows * cols);
    transpose(source, rows, cols, out);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) expect(out[c * rows + r]).toBe(r * cols + c);
    }
  });
});

describe('materialize', () => {
  it('returns exactly what write puts in a target', () => {
    const data: TensorData = uniformFloats({
      stream: stream('m'),
      count: 9,
      center: 0,
      halfWidth: 1,
      type: 'float16',
    });
    const target = new Uint8Array(32).subarray(4, 22);
    data.write(target);
    expect([...materialize(data)]).toEqual([...target]);
  });
});

describe('columns side by side', () => {
  const bytesOf = (values: number[]) => ({
    byteLength: values.length * 4,
    write: (t: Uint8Array) => t.set(new Uint8Array(Float32Array.from(values).buffer)),
  });

  it('puts each row of every part next to each other, in order', () => {
    // [2, 2], [2, 1] and [2, 3] → [2, 6].
    const packed = concatColumns(
      [
        { data: bytesOf([1, 2, 3, 4]), columns: 2 },
        { data: bytesOf([5, 6]), columns: 1 },
        { data: bytesOf([7, 8, 9, 10, 11, 12]), columns: 3 },
      ],
      2,
      4,
    );
    expect(packed.byteLength).toBe(48);
    expect(Array.from(new Float32Array(materialize(packed).buffer))).toEqual([
      1, 2, 5, 7, 8, 9, 3, 4, 6, 10, 11, 12,
    ]);
  });

  it('refuses a part whose size is not rows × its columns', () => {
    expect(() => concatColumns([{ data: bytesOf([1, 2, 3]), columns: 2 }], 2, 4)).toThrow(
      /3 .* 2 × 2|12 bytes/,
    );
  });
});
