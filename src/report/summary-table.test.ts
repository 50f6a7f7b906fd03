import { describe, expect, it } from 'vitest';
import { summarizeCells } from '../bench/summary';
import { formatSummaryTable, llamaBenchLabel, stabilityWarnings } from './summary-table';
import { trial } from '../results/trial-fixture';

describe('summary table', () => {
  const cells = summarizeCells([
    trial({ ttftMs: 10 }),
    trial({ ttftMs: 20 }),
    trial({ quantization: 'q4', promptTokens: 512, ttftMs: 100 }),
    trial({ quantization: 'q4', promptTokens: 512, ttftMs: 101 }),
  ]);

  it('prints one llama-bench style row per cell', () => {
    const lines = formatSummaryTable(cells).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(
      /^\| fp32 +\| pp16 +\| barrier +\| +2 \| +15\.0 \| +10\.0–20\.0 \(50%\) \| +11\.0 \| +19\.0 \| +15\.0 ± 7\.1 \| 47\.1% ! \|/,
    );
    expect(lines[3]).toContain('pp512');
  });

  it('quotes cells as llama-bench does and warns about unstable ones', () => {
    expect(llamaBenchLabel(cells[1]!)).toBe('pp512: 100.5 ± 0.7 ms');
    expect(stabilityWarnings(cells)).toEqual([
      'fp32 pp16 (barrier): CV 47% is above 10%; run more repetitions (n = 2).',
    ]);
  });

  it('names a cell measured on top of context as llama-bench does: pp512 @ d4096', () => {
    const deep = summarizeCells([
      trial({ quantization: 'q4', promptTokens: 512, depthTokens: 4096, ttftMs: 300 }),
      trial({ quantization: 'q4', promptTokens: 512, depthTokens: 4096, ttftMs: 302 }),
      trial({ quantization: 'q4', promptTokens: 512, ttftMs: 100 }),
    ]);
    expect(deep.map((cell) => llamaBenchLabel(cell))).toEqual([
      'pp512: 100.0 ± 0.0 ms',
      'pp512 @ d4096: 301.0 ± 1.4 ms',
    ]);
    const lines = formatSummaryTable(deep).split('\n');
    expect(lines[3]).toMatch(/^\| q4 +\| pp512 @ d4096 \| barrier \|/);
  });
});
