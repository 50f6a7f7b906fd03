/** Greedy sampling over one logits row, for float32 rows and raw float16 bit patterns. */

export function argmaxFloat32(row: Float32Array): number {
  if (row.length === 0) throw new Error('argmax of an empty logits row');
  let best = 0;
  let bestValue = row[0]!;
  for (let i = 1; i < row.length; i++) {
    const value = row[i]!;
    if (value > bestValue) {
      bestValue = value;
      best = i;
    }
  }
  return best;
}

/** Decodes IEEE 754 binary16 bits to a number (no Float16Array in every runtime we support). */
export function float16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

export function argmaxFloat16(row: Uint16Array): number {
  if (row.length === 0) throw new Error('argmax of an empty logits row');
  let best = 0;
  let bestValue = float16BitsToNumber(row[0]!);
  for (let i = 1; i < row.length; i++) {
    const value = float16BitsToNumber(row[i]!);
    if (value > bestValue) {
      bestValue = value;
      best = i;
    }
  }
  return best;
}
