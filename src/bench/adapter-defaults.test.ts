import { describe, expect, it } from 'vitest';
import { PRESETS } from '../model/config';
import { defaultsForAdapter, largestActivationBytes, SOFTWARE_DEFAULTS } from './adapter-defaults';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
/** An H200 as Chromium reports it (../shared/gpu/README.md). */
const H200 = {
  software: false,
  maxBufferSizeBytes: 4 * GiB,
  maxStorageBufferBindingSizeBytes: 2 * GiB - 4,
  hasShaderF16: true,
};
/** SwiftShader in the e2e runs. */
const SWIFTSHADER = {
  software: true,
  maxBufferSizeBytes: GiB,
  maxStorageBufferBindingSizeBytes: GiB,
  hasShaderF16: false,
};

describe('default sweep for the adapter', () => {
  it('on a software adapter: the tiny model, two levels, two short lengths, one warm-up and three repetitions', () => {
    const defaults = defaultsForAdapter(SWIFTSHADER);
    expect(defaults).toEqual(SOFTWARE_DEFAULTS);
    expect(defaults).toMatchObject({
      preset: 'tiny',
      quantizations: ['fp32', 'q4'],
      promptLengths: [16, 64],
      warmupRuns: 1,
      repetitions: 3,
    });
    expect(defaults.reason).toContain('CPU');
  });

  it('on a GPU with large buffers: the Llama-3.2-1B shape in q4 at 128…2048 tokens', () => {
    expect(defaultsForAdapter(H200)).toMatchObject({
      preset: 'llama-3.2-1b',
      quantizations: ['q4'],
      promptLengths: [128, 256, 512, 1024, 2048],
      warmupRuns: 2,
      repetitions: 5,
    });
  });

  it('on a GPU the LM head computes the last position only, on a software adapter every position', () => {
    expect(defaultsForAdapter(H200).lmHead).toBe('last');
    expect(defaultsForAdapter(SWIFTSHADER).lmHead).toBe('all');
  });

  it("on a GPU the 4-bit graphs use onnxruntime's int8-activation kernels (accuracy level 4), on a software adapter not", () => {
    expect(defaultsForAdapter(H200).accuracyLevel).toBe(4);
    expect(defaultsForAdapter(SWIFTSHADER).accuracyLevel).toBe(0);
    expect(defaultsForAdapter(H200).decodeLoop).toBe('pipelined');
    expect(defaultsForAdapter(SWIFTSHADER).decodeLoop).toBe('synced');
    expect(defaultsForAdapter(H200).firstTokenArgmax).toBe('gpu');
    expect(defaultsForAdapter(SWIFTSHADER).firstTokenArgmax).toBe('cpu');
  });

  it('keeps every length whose largest activation fits one buffer (the fused graph, the last position)', () => {
    // SmolLM2 fused, last position: the MLP's 2048 × 1536 × 4 B = 12 MiB is the largest; 300 MiB holds it.
    const limits = { ...H200, maxBufferSizeBytes: 300 * MiB, maxStorageBufferBindingSizeBytes: 300 * MiB };
    expect(largestActivationBytes('smollm2-135m', 'q4', 2048, { lmHead: 'last', graph: 'fused' })).toBe(
      12 * MiB,
    );
    const defaults = defaultsForAdapter(limits);
    expect(defaults.preset).toBe('smollm2-135m');
    expect(defaults.promptLengths).toEqual([128, 256, 512, 1024, 2048]);
  });

  it('falls back to a smaller model when the 1B embedding table does not fit', () => {
    // The tied embedding in float32 is 128256 × 2048 × 4 B ≈ 1002 MiB.
    const small = { ...H200, maxBufferSizeBytes: 512 * MiB, maxStorageBufferBindingSizeBytes: 512 * MiB };
    const defaults = defaultsForAdapter(small);
    expect(defaults.preset).toBe('smollm2-135m');
    expect(defaults.quantizations).toEqual(['q4']);
    // SmolLM2's logits: 49152 × 4 B = 192 KiB a position; 2048 positions = 384 MiB fit.
    expect(defaults.promptLengths).toEqual([128, 256, 512, 1024, 2048]);
  });

  it('ends on the tiny model when nothing real fits, with full warm-ups and repetitions on a GPU', () => {
    const tinyLimits = { ...H200, maxBufferSizeBytes: 64 * MiB, maxStorageBufferBindingSizeBytes: 64 * MiB };
    expect(defaultsForAdapter(tinyLimits)).toMatchObject({
      preset: 'tiny',
      warmupRuns: 2,
      repetitions: 5,
    });
  });

  it("counts the logits of every position, and the plain graph's attention scores where they outgrow them", () => {
    const { numAttentionHeads } = PRESETS['llama-3.2-1b'].config;
    expect(largestActivationBytes('llama-3.2-1b', 'q4', 8192, { lmHead: 'last', graph: 'plain' })).toBe(
      numAttentionHeads * 8192 ** 2 * 4,
    );
    // The fused graph has no score tensor: the MLP's 8192 × 8192 × 4 B is its largest.
    expect(largestActivationBytes('llama-3.2-1b', 'q4', 8192, { lmHead: 'last', graph: 'fused' })).toBe(
      8192 * 8192 * 4,
    );
    expect(largestActivationBytes('llama-3.2-1b', 'q4', 16, { lmHead: 'all', graph: 'fused' })).toBe(
      16 * 128256 * 4,
    );
  });
});
