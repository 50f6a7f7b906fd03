/** Greedy sampling over one logits row, for float32 rows and raw float16 bit patterns. */
import { float16BitsToFloat32 } from '../model/float16';

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

export function argmaxFloat16(row: Uint16Array): number {
  if (row.length === 0) throw new Error('argmax of an empty logits row');
  let best = 0;
  let bestValue = float16BitsToFloat32(row[0]!);
  for (let i = 1; i < row.length; i++) {
    const value = float16BitsToFloat32(row[i]!);
    if (value > bestValue) {
      bestValue = value;
      best = i;
    }
  }
  return best;
}
