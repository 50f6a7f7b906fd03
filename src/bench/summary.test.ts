import { describe, expect, it } from 'vitest';
import { trial } from '../results/trial-fixture';
import { compareCells, seriesFromCells } from '../report/compared-run';
import { toSharedCell } from '../report/share-link';
import { coldTtftMs, summarizeCells } from './summary';

const chartSeries = (trials: Parameters<typeof summarizeCells>[0]) =>
  seriesFromCells(summarizeCells(trials).map(toSharedCell));

describe('result summaries', () => {
  const trials = [
    trial({ phase: 'cold', ttftMs: 900 }),
    trial({ phase: 'warmup', ttftMs: 50 }),
    trial({ ttftMs: 10, prefillMs: 6 }),
    trial({ ttftMs: 14, prefillMs: 8 }),
    trial({ ttftMs: 12, prefillMs: 7 }),
    trial({ quantization: 'q4', ttftMs: 8 }),
    trial({ quantization: 'q4', promptTokens: 64, ttftMs: 20 }),
    trial({ promptTokens: 64, ttftMs: 40 }),
  ];

  it('summarizes only timed trials, per quantization and length', () => {
    const cells = summarizeCells(trials);
    expect(cells.map((cell) => `${cell.quantization}@${cell.promptTokens}`)).toEqual([
      'fp32@16',
      'fp32@64',
      'q4@16',
      'q4@64',
    ]);
    const first = cells[0]!;
    expect(first.ttftMs.n).toBe(3);
    expect(first.ttftMs.median).toBe(12);
    expect(first.medianPartsMs.prefill).toBe(7);
    expect(first.prefillTokensPerSecond).toBeCloseTo(16 / 0.012, 9);
    expect(first.firstTokenIds).toEqual([42]);
    expect(first.gpuSpanMedianMs).toBe(6.5);
    expect(first.medianCiMs).toEqual({ low: 10, high: 14, confidence: 0 + 1 - 2 * 0.125 });
    expect(first.cv).toBeCloseTo(2 / 12, 12);
    expect(first.unstable).toBe(true);
    expect(first.outlierTrialIndexes).toEqual([]);
  });

  it('keeps sync modes apart, in cells and in chart series', () => {
    const modes = [
      trial({ quantization: 'q4', syncMode: 'barrier', ttftMs: 30 }),
      trial({ quantization: 'q4', syncMode: 'none', ttftMs: 3 }),
    ];
    expect(summarizeCells(modes).map((cell) => [cell.syncMode, cell.ttftMs.median])).toEqual([
      ['barrier', 30],
      ['none', 3],
    ]);
    expect(chartSeries(modes).map((series) => `${series.quantization}/${series.syncMode}`)).toEqual([
      'q4/barrier',
      'q4/none',
    ]);
  });

  it('reports decode speed beside TTFT when it was measured', () => {
    const decoded = [
      trial({ decodeTokens: 8, decodeMsPerTokenMedian: 10, decodeMsPerTokenP90: 14 }),
      trial({ decodeTokens: 8, decodeMsPerTokenMedian: 12, decodeMsPerTokenP90: 20 }),
      trial({ decodeTokens: 8, decodeMsPerTokenMedian: 20, decodeMsPerTokenP90: 30 }),
    ];
    expect(summarizeCells(decoded)[0]!.decode).toEqual({
      msPerTokenMedian: 12,
      msPerTokenP90: 20,
      tokensPerSecond: 1000 / 12,
    });
    expect(summarizeCells([trial({})])[0]!.decode).toBeUndefined();
  });

  it('keeps the cold TTFT apart', () => {
    expect(coldTtftMs(trials).get('fp32')).toBe(900);
  });

  it('draws one series per quantization with points sorted by length', () => {
    const series = chartSeries(trials);
    expect(series.map((s) => s.quantization)).toEqual(['fp32', 'q4']);
    expect(series[0]!.points.map((p) => [p.promptTokens, p.medianMs])).toEqual([
      [16, 12],
      [64, 40],
    ]);
    expect(series[0]!.points[0]!.p10Ms).toBeCloseTo(10.4, 12);
  });

  it('keeps context depths apart, and can chart TTFT against depth', () => {
    const deep = [
      trial({ quantization: 'q4', promptTokens: 64, depthTokens: 0, ttftMs: 10 }),
      trial({ quantization: 'q4', promptTokens: 64, depthTokens: 1024, ttftMs: 30 }),
      trial({ quantization: 'q4', promptTokens: 64, depthTokens: 256, ttftMs: 15 }),
      trial({ quantization: 'q4', promptTokens: 16, depthTokens: 256, ttftMs: 12 }),
    ];
    const cells = summarizeCells(deep);
    expect(cells.map((cell) => [cell.promptTokens, cell.depthTokens, cell.ttftMs.median])).toEqual([
      [64, 0, 10],
      [16, 256, 12],
      [64, 256, 15],
      [64, 1024, 30],
    ]);
    // Against prompt length: one line per depth. Against depth: one line per prompt length.
    const shared = cells.map(toSharedCell);
    expect(seriesFromCells(shared).map((series) => [series.fixedTokens, series.points.length])).toEqual([
      [0, 1],
      [256, 2],
      [1024, 1],
    ]);
    const byDepth = seriesFromCells(shared, 'depth');
    expect(byDepth.map((series) => series.fixedTokens)).toEqual([16, 64]);
    expect(byDepth[1]!.points.map((point) => [point.x, point.medianMs])).toEqual([
      [0, 10],
      [256, 15],
      [1024, 30],
    ]);
    // Compared runs match cells of the same depth only.
    const rows = compareCells(shared, [{ ...shared[0]!, depthTokens: 256, medianMs: 20 }]);
    expect(rows[0]).toMatchObject({ promptTokens: 64, depthTokens: 256, ownMedianMs: 15 });
  });
});
