/** A llama-bench-like markdown table of cell summaries, shared by the CLI and "copy as markdown". */
import type { CellSummary } from '../bench/summary';

const HEADER = [
  'quant',
  'test',
  'n',
  'TTFT median (ms)',
  'p10',
  'p90',
  'mean ± sd',
  'prefill t/s',
  'first token',
];

function ms(value: number): string {
  return value.toFixed(1);
}

export function formatSummaryTable(cells: readonly CellSummary[]): string {
  const rows = cells.map((cell) => [
    cell.quantization,
    `pp${cell.promptTokens}`,
    String(cell.ttftMs.n),
    ms(cell.ttftMs.median),
    ms(cell.ttftMs.p10),
    ms(cell.ttftMs.p90),
    `${ms(cell.ttftMs.mean)} ± ${ms(cell.ttftMs.stdDev)}`,
    cell.prefillTokensPerSecond.toFixed(1),
    cell.firstTokenIds.join(' '),
  ]);
  const widths = HEADER.map((title, column) =>
    Math.max(3, title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (column < 2 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`;
  return [line(HEADER), rule, ...rows.map(line)].join('\n');
}
