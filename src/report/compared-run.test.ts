import { describe, expect, it } from 'vitest';
import { DEFAULT_SWEEP_CONFIG } from '../config/sweep-config';
import {
  compareCells,
  comparedRunFromShared,
  formatRatio,
  importRunFile,
  seriesFromCells,
} from './compared-run';
import { trialsToCsv } from '../results/csv';
import { runToJson } from '../results/run-json';
import { trial } from '../results/trial-fixture';
import { sharedCell } from './shared-cell-fixture';

const trials = [
  trial({ phase: 'cold', ttftMs: 500 }),
  trial({ quantization: 'q4', promptTokens: 64, ttftMs: 30, repetition: 1 }),
  trial({ quantization: 'q4', promptTokens: 64, ttftMs: 50, repetition: 2 }),
  trial({ quantization: 'q4', promptTokens: 16, ttftMs: 10, repetition: 1, adapter: 'nvidia / ada' }),
];

const cell = sharedCell;

describe('compared runs', () => {
  it('imports a CSV as per-cell medians of the timed trials only', () => {
    const imported = importRunFile('other-gpu.csv', trialsToCsv(trials), 'a');
    expect(imported.ok).toBe(true);
    if (!imported.ok) return;
    expect(imported.run.label).toBe('other-gpu.csv');
    expect(imported.run.environment).toBe('google / swiftshader · Chromium 156 · Linux 6.1 x86');
    expect(imported.run.cells.map((c) => [c.quantization, c.promptTokens, c.n, c.medianMs])).toEqual([
      ['q4', 16, 1, 10],
      ['q4', 64, 2, 40],
    ]);
  });

  it('imports a JSON run file the same way, recognised by content when the name says nothing', () => {
    const json = runToJson({ config: DEFAULT_SWEEP_CONFIG, loads: [], trials });
    const imported = importRunFile('download', json, 'b');
    expect(imported.ok && imported.run.cells.map((c) => c.medianMs)).toEqual([10, 40]);
  });

  it('explains files that cannot be compared, naming the file', () => {
    expect(importRunFile('x.csv', 'a,b\n1,2', 'c')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^x\.csv: CSV is missing columns: run_id/) as unknown,
    });
    expect(importRunFile('x.json', '{"format":"ttft-bench-run"', 'c')).toEqual({
      ok: false,
      message: 'x.json: The file is not valid JSON.',
    });
    const warmOnly = importRunFile('w.csv', trialsToCsv([trial({ phase: 'warmup' })]), 'c');
    expect(warmOnly).toMatchObject({
      ok: false,
      message: expect.stringMatching(/no timed repetitions/) as unknown,
    });
  });

  it('builds series sorted by length and ratios against this run', () => {
    const other = [cell({ promptTokens: 64, medianMs: 30 }), cell({ promptTokens: 16, medianMs: 12 })];
    expect(seriesFromCells(other)[0]!.points.map((p) => p.promptTokens)).toEqual([16, 64]);
    const rows = compareCells([cell({ medianMs: 8 })], other);
    expect(rows.map((row) => [row.promptTokens, row.ownMedianMs, row.ratio])).toEqual([
      [64, undefined, undefined],
      [16, 8, 1.5],
    ]);
  });

  it('writes ratios with two decimals, and two significant digits where those would read 0.00', () => {
    expect([1.5, 12.345, 0.1, 0.0996, 0.00065, 0, undefined].map(formatRatio)).toEqual([
      '1.50×',
      '12.35×',
      '0.10×',
      '0.10×',
      '0.00065×',
      '0.00×',
      '—',
    ]);
  });

  it('a configuration-only link has nothing to compare', () => {
    expect(comparedRunFromShared({ version: 1, config: DEFAULT_SWEEP_CONFIG }, 's')).toBeUndefined();
    const shared = comparedRunFromShared(
      {
        version: 1,
        config: DEFAULT_SWEEP_CONFIG,
        results: {
          environment: { adapter: 'A', browser: 'B', os: 'C', onnxruntimeWebVersion: '1', appVersion: '2' },
          cells: [cell({})],
          measuredAt: 'then',
        },
      },
      's',
    );
    expect(shared).toMatchObject({ label: 'shared run', environment: 'A · B · C', model: 'tiny' });
  });
});
