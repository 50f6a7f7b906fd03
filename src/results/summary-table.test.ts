import { describe, expect, it } from 'vitest';
import { summarizeCells } from '../bench/summary';
import { formatSummaryTable } from './summary-table';
import { trial } from './trial-fixture';

describe('summary table', () => {
  it('prints one llama-bench style row per cell', () => {
    const table = formatSummaryTable(
      summarizeCells([
        trial({ ttftMs: 10 }),
        trial({ ttftMs: 20 }),
        trial({ quantization: 'q4', promptTokens: 512, ttftMs: 100 }),
      ]),
    );
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(
      /^\| fp32 +\| pp16 +\| +2 \| +15\.0 \| +11\.0 \| +19\.0 \| +15\.0 ± 7\.1 \| +1066\.7 \| +42 \|$/,
    );
    expect(lines[3]).toContain('pp512');
  });
});
