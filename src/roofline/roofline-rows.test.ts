import { describe, expect, it } from 'vitest';
import { PRESETS } from '../model/config';
import { summarizeCells } from '../bench/summary';
import { trial } from '../results/trial-fixture';
import { devicePeaks } from './device-peaks-fixture';
import { prefillFlops } from './prefill-flops';
import { prefillShapeOf, rooflineRows } from './roofline-rows';

const peaks = devicePeaks({ f32: 1e10, memory: 1e9 });
const load = {
  runId: 'r',
  model: 'tiny',
  quantization: 'q4' as const,
  modelBytes: 38e6,
  modelSha256: 'x',
  filesFrom: 'built' as const,
  prepareMs: 1,
  sessionCreateMs: 1,
};

describe('rooflineRows', () => {
  it('places barrier cells by their GPU span, or run + wait without timestamps', () => {
    const tiny = PRESETS.tiny.config;
    const cells = summarizeCells([
      trial({ quantization: 'q4', promptTokens: 256, gpuSpanMs: 400 }),
      trial({ quantization: 'q4', promptTokens: 512, gpuSpanMs: undefined, prefillMs: 100, gpuWaitMs: 700 }),
      trial({ quantization: 'q4', promptTokens: 256, syncMode: 'readback', gpuSpanMs: 10 }),
    ]);
    const rows = rooflineRows(cells, [load], tiny, 'all', peaks);
    expect(rows.map((row) => [row.promptTokens, row.gpuTimeMs, row.gpuTimeFrom])).toEqual([
      [256, 400, 'timestamps'],
      [512, 800, 'run + barrier'],
    ]);
    const flops = prefillFlops(tiny, { promptTokens: 256, lmHead: 'all' }).total;
    expect(rows[0]!.point.flops).toBe(flops);
    expect(rows[0]!.point.achievedFlopsPerSecond).toBeCloseTo(flops / 0.4, 3);
    // 38 MB at 1 GB/s is 38 ms; the FLOPs at 10 GFLOP/s take longer: compute-bound.
    expect(rows[0]!.point.boundBy).toBe('compute');
  });

  it('skips cells whose variant has no load record', () => {
    const cells = summarizeCells([trial({ quantization: 'fp32', promptTokens: 64 })]);
    expect(rooflineRows(cells, [load], PRESETS.tiny.config, 'all', peaks)).toEqual([]);
  });
});

describe('prefillShapeOf', () => {
  it("takes a preset's shape, or config.json's when it gives the MLP width", () => {
    expect(prefillShapeOf({ kind: 'builtin', preset: 'tiny' }, undefined)).toBe(PRESETS.tiny.config);
    const decoder = {
      modelType: 'llama',
      numLayers: 16,
      hiddenSize: 2048,
      numAttentionHeads: 32,
      intermediateSize: 8192,
      numKeyValueHeads: 8,
      headDim: 64,
      vocabSize: 128256,
      maxPositionEmbeddings: undefined,
    };
    const hub = { kind: 'hub' as const, id: 'a/b', revision: 'main', hubUrl: 'https://huggingface.co' };
    expect(prefillShapeOf(hub, decoder)?.intermediateSize).toBe(8192);
    expect(prefillShapeOf(hub, { ...decoder, intermediateSize: undefined })).toBeUndefined();
    expect(prefillShapeOf(hub, undefined)).toBeUndefined();
  });
});
