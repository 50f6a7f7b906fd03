import { describe, expect, it } from 'vitest';
import { summarizeCells } from '../bench/summary';
import type { SyncMode } from '../config/sweep-config';
import type { Quantization } from '../model/quantization';
import { trial } from '../results/trial-fixture';
import { headlineOf } from './headline';

/** Three timed trials per cell, the median being `medianMs`. */
function cell(
  quantization: Quantization,
  promptTokens: number,
  medianMs: number,
  syncMode: SyncMode = 'barrier',
  depthTokens = 0,
) {
  return [0.9, 1, 1.1].map((factor) =>
    trial({ quantization, promptTokens, depthTokens, syncMode, phase: 'warm', ttftMs: medianMs * factor }),
  );
}

describe('the headline: median TTFT per level at one representative length', () => {
  it('picks the measured length nearest 512 tokens and gives the medians the table gives, fastest first', () => {
    const trials = [16, 256, 1024, 4096].flatMap((tokens) => [
      ...cell('fp32', tokens, tokens * 10),
      ...cell('q4', tokens, tokens * 4),
    ]);
    const cells = summarizeCells(trials);
    const headline = headlineOf(cells);
    // 256 and 1024 are equally far from 512 on a log scale: the longer wins.
    expect(headline?.promptTokens).toBe(1024);
    expect(headline?.syncMode).toBe('barrier');
    expect(headline?.entries.map((entry) => entry.quantization)).toEqual(['q4', 'fp32']);
    for (const entry of headline?.entries ?? []) {
      const tableCell = cells.find(
        (c) => c.quantization === entry.quantization && c.promptTokens === 1024 && c.syncMode === 'barrier',
      );
      expect(entry.medianMs).toBe(tableCell?.ttftMs.median);
      expect(entry.prefillTokensPerSecond).toBe(tableCell?.prefillTokensPerSecond);
      expect(entry.n).toBe(3);
    }
    expect(headline?.speedup).toEqual({ fastest: 'q4', slowest: 'fp32', times: 2.5 });
  });

  it('prefers a length every level was measured at over a nearer one only some were', () => {
    const trials = [...cell('fp32', 64, 640), ...cell('q4', 64, 300), ...cell('q4', 512, 2000)];
    expect(headlineOf(summarizeCells(trials))?.promptTokens).toBe(64);
  });

  it('shows barrier cells, not the under-reporting modes, when both were measured', () => {
    const trials = [...cell('fp32', 64, 3000, 'barrier'), ...cell('fp32', 64, 100, 'none')];
    const headline = headlineOf(summarizeCells(trials));
    expect(headline?.entries).toHaveLength(1);
    expect(headline?.entries[0]?.medianMs).toBe(3000);
    expect(headline?.speedup).toBeUndefined();
  });

  it('shows one context depth, the smallest measured: each level once', () => {
    const trials = [0, 1024].flatMap((depth) => [
      ...cell('fp32', 512, 3000 + depth, 'barrier', depth),
      ...cell('q4', 512, 1000 + depth, 'barrier', depth),
    ]);
    const headline = headlineOf(summarizeCells(trials));
    expect(headline?.depthTokens).toBe(0);
    expect(headline?.entries.map((entry) => [entry.quantization, entry.medianMs])).toEqual([
      ['q4', 1000],
      ['fp32', 3000],
    ]);
    const deepOnly = trials.filter((t) => t.depthTokens === 1024);
    expect(headlineOf(summarizeCells(deepOnly))?.depthTokens).toBe(1024);
  });

  it('says when a median is not to be trusted yet, and has nothing to say without timed trials', () => {
    const noisy = [100, 200, 400].map((ttftMs) =>
      trial({ quantization: 'q4', promptTokens: 64, ttftMs, phase: 'warm' }),
    );
    expect(headlineOf(summarizeCells(noisy))?.entries[0]?.unstable).toBe(true);
    expect(headlineOf([])).toBeUndefined();
    expect(headlineOf(summarizeCells([trial({ phase: 'cold' })]))).toBeUndefined();
  });
});
