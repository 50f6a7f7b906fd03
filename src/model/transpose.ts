/** Matrix transposition for the weight writers and the reference's dequantization. */

const TILE = 64;

/** dst[c * rows + r] = src[r * cols + c], in cache-sized tiles. */
export function transpose<T extends Float32Array | Uint16Array>(
  src: T,
  rows: number,
  cols: number,
  dst: T,
): void {
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = Math.min(cols, c0 + TILE);
      for (let r = r0; r < r1; r++) {
        const row = r * cols;
        for (let c = c0; c < c1; c++) dst[c * rows + r] = src[row + c]!;
      }
    }
  }
}
