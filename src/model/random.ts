/**
 * Deterministic random streams: each tensor's values are a pure function of (seed, stream name), so the builder
 * and the reference forward pass can each produce any tensor without holding the whole model.
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

/** splitmix32's finalizer: spreads one 32-bit seed over xoshiro's four state words. */
function splitmix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}

/**
 * xoshiro128** (Blackman & Vigna): 32-bit words of good quality at a few ns each in V8. The state is public so
 * that bulk kernels (tensor-data.ts) can run the step inline on local variables: a method call per word, or a
 * second pass over a buffer of words, costs about twice as much.
 */
export class RandomStream {
  /** s0..s3; kernels load them into locals, run `XOSHIRO_STEP`'s update, and store them back. */
  readonly state = new Int32Array(4);

  constructor(seed: number, name: string) {
    const base = streamSeed(seed, name);
    for (let i = 0; i < 4; i++) this.state[i] = splitmix32(base + i);
    // xoshiro's one forbidden state; splitmix32 makes it practically impossible, but never emit zeros forever.
    if ((this.state[0]! | this.state[1]! | this.state[2]! | this.state[3]!) === 0) this.state[0] = 1;
  }

  /** Fills words[start, end) with the stream's next words. */
  fill(words: Uint32Array, start = 0, end = words.length): void {
    const state = this.state;
    let s0 = state[0]!;
    let s1 = state[1]!;
    let s2 = state[2]!;
    let s3 = state[3]!;
    for (let i = start; i < end; i++) {
      // xoshiro128** step (the same in every kernel)
      const m = Math.imul(s1, 5);
      words[i] = Math.imul((m << 7) | (m >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    state[0] = s0;
    state[1] = s1;
    state[2] = s2;
    state[3] = s3;
  }
}

/** Uniform values in [-limit, limit) (continuous, one word per value): for small inputs such as test matrices. */
export function seededUniform(seed: number, name: string, count: number, limit: number): Float32Array {
  const words = new Uint32Array(count);
  new RandomStream(seed, name).fill(words);
  const out = new Float32Array(count);
  const scale = (2 * limit) / 4294967296;
  for (let i = 0; i < count; i++) out[i] = words[i]! * scale - limit;
  return out;
}
