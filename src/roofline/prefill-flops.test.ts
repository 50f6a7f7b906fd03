import { describe, expect, it } from 'vitest';
import { PRESETS } from '../model/config';
import { devicePeaks } from './device-peaks-fixture';
import { prefillFlops, rooflinePoint } from './prefill-flops';

describe('prefillFlops', () => {
  it("counts the tiny preset's matrix multiplies and causal attention by hand", () => {
    const tiny = PRESETS.tiny.config;
    const flops = prefillFlops(tiny, { promptTokens: 4, lmHead: 'all' });
    const { hiddenSize: h, intermediateSize: i, numLayers: l, headDim: d, vocabSize: v } = tiny;
    const q = tiny.numAttentionHeads * d;
    const kv = tiny.numKeyValueHeads * d;
    expect(flops.projections).toBe(l * 2 * 4 * h * (q + kv + kv + q));
    // 4 positions attend to 1 + 2 + 3 + 4 = 10 (query, key) pairs, twice (scores and values).
    expect(flops.attention).toBe(l * 2 * 2 * 10 * q);
    expect(flops.mlp).toBe(l * 3 * 2 * 4 * h * i);
    expect(flops.lmHead).toBe(2 * 4 * h * v);
    expect(flops.total).toBe(flops.projections + flops.attention + flops.mlp + flops.lmHead);
  });

  it('a last-position LM head costs one row; Llama-3.2-1B at 512 tokens is about 1.3 TFLOP', () => {
    const shape = PRESETS['llama-3.2-1b'].config;
    const all = prefillFlops(shape, { promptTokens: 512, lmHead: 'all' });
    const last = prefillFlops(shape, { promptTokens: 512, lmHead: 'last' });
    expect(all.lmHead / last.lmHead).toBe(512);
    expect(all.total - last.total).toBe(all.lmHead - last.lmHead);
    // ~2 × 1.24 B non-embedding-ish parameters × 512 tokens + the 128k LM head for every position.
    expect(all.total / 1e12).toBeGreaterThan(1.2);
    expect(all.total / 1e12).toBeLessThan(1.5);
  });

  it('at a context depth, each prompt position also attends to every cached token; nothing else changes', () => {
    const tiny = PRESETS.tiny.config;
    const fresh = prefillFlops(tiny, { promptTokens: 4, lmHead: 'all' });
    const deep = prefillFlops(tiny, { promptTokens: 4, lmHead: 'all', contextTokens: 256 });
    const q = tiny.numAttentionHeads * tiny.headDim;
    // 4 × 256 more (query, key) pairs, twice (scores and values), in every layer.
    expect(deep.attention - fresh.attention).toBe(tiny.numLayers * 2 * 2 * 4 * 256 * q);
    expect(deep.total - fresh.total).toBe(deep.attention - fresh.attention);
  });
});

describe('rooflinePoint', () => {
  const peaks = devicePeaks({ f32: 1e12, f16: 2e12, memory: 1e11 });

  it('is bound by compute when the FLOPs take longer than reading the weights', () => {
    const point = rooflinePoint(2e11, 1e9, 400, peaks, false);
    expect(point.achievedFlopsPerSecond).toBe(5e11);
    expect(point.fractionOfMatmulPeak).toBe(0.5);
    expect(point.boundMs).toBe(200);
    expect(point.boundBy).toBe('compute');
    expect(point.fractionOfRoofline).toBe(0.5);
  });

  it('is bound by memory for a short prompt, and uses the f16 peak for half-precision activations', () => {
    const point = rooflinePoint(2e9, 1e9, 40, peaks, true);
    expect(point.boundMs).toBe(10);
    expect(point.boundBy).toBe('memory');
    expect(point.fractionOfRoofline).toBe(0.25);
    expect(point.fractionOfMatmulPeak).toBe(2e9 / 0.04 / 2e12);
  });

  it('falls back to the f32 peak where the adapter has no f16, and refuses a zero time', () => {
    const noHalf = { ...peaks, matmulF16: undefined };
    expect(rooflinePoint(1e12, 0, 1000, noHalf, true).fractionOfMatmulPeak).toBe(1);
    expect(() => rooflinePoint(1, 1, 0, peaks, false)).toThrow(/positive/);
  });
});
