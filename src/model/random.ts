/**
 * Deterministic weights: each tensor's values are a pure function of (seed, tensor name), so the builder and
 * the reference forward pass can each produce any tensor without holding the whole model.
 */

/** FNV-1a over the name, mixed with the seed: a stable 32-bit stream id per tensor. */
function streamSeed(seed: number, name: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Uniform values in [-limit, limit) from a mulberry32 stream (fast, good enough for weights). */
export function seededUniform(seed: number, name: string, count: number, limit: number): Float32Array {
  const out = new Float32Array(count);
  let state = streamSeed(seed, name);
  const scale = (2 * limit) / 4294967296;
  for (let i = 0; i < count; i++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = ((t ^ (t >>> 14)) >>> 0) * scale - limit;
  }
  return out;
}

/** Uniform values with the given standard deviation (uniform on ±std·√3). */
export function seededWithStd(seed: number, name: string, count: number, std: number): Float32Array {
  return seededUniform(seed, name, count, std * Math.sqrt(3));
}
