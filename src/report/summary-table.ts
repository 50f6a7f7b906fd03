/** A llama-bench-like markdown table of cell summaries, shared by the CLI and the page. */
import type { CellSummary } from '../bench/summary';

const HEADER = [
  'quant',
  'test',
  'sync',
  'n',
  'TTFT median (ms)',
  'median CI',
  'p10',
  'p90',
  'mean ± sd',
  'CV',
  'prefill t/s',
  'first token',
];

function ms(value: number): string {
  return value.toFixed(1);
}

/** A cell's tokens for tables: `512`, or `512 @ d4096` on top of 4096 tokens of context. */
export function tokensLabel(cell: Pick<CellSummary, 'promptTokens' | 'depthTokens'>): string {
  return cell.depthTokens > 0 ? `${cell.promptTokens} @ d${cell.depthTokens}` : `${cell.promptTokens}`;
}

/** The cell's test as llama-bench names it: `pp512`, or `pp512 @ d4096` on top of 4096 tokens of context. */
export function testLabel(cell: Pick<CellSummary, 'promptTokens' | 'depthTokens'>): string {
  return `pp${tokensLabel(cell)}`;
}

/** `pp512: 123.4 ± 1.2 ms` — the llama-bench way of quoting one cell (mean ± sample sd). */
export function llamaBenchLabel(cell: CellSummary): string {
  return `${testLabel(cell)}: ${ms(cell.ttftMs.mean)} ± ${ms(cell.ttftMs.stdDev)} ms`;
}

export function formatCi(cell: CellSummary): string {
  const { low, high, confidence } = cell.medianCiMs;
  return `${ms(low)}–${ms(high)} (${Math.round(confidence * 100)}%)`;
}

export function formatSummaryTable(cells: readonly CellSummary[]): string {
  const showDecode = cells.some((cell) => cell.decode !== undefined);
  const header = showDecode ? [...HEADER, 'decode ms/tok', 'decode t/s'] : HEADER;
  const rows = cells.map((cell) => [
    cell.quantization,
    testLabel(cell),
    cell.syncMode,
    String(cell.ttftMs.n),
    ms(cell.ttftMs.median),
    formatCi(cell),
    ms(cell.ttftMs.p10),
    ms(cell.ttftMs.p90),
    `${ms(cell.ttftMs.mean)} ± ${ms(cell.ttftMs.stdDev)}`,
    `${(cell.cv * 100).toFixed(1)}%${cell.unstable ? ' !' : ''}`,
    cell.prefillTokensPerSecond.toFixed(1),
    cell.firstTokenIds.join(' '),
    ...(showDecode
      ? [
          cell.decode === undefined ? '-' : ms(cell.decode.msPerTokenMedian),
          cell.decode === undefined ? '-' : cell.decode.tokensPerSecond.toFixed(1),
        ]
      : []),
  ]);
  const widths = header.map((title, column) =>
    Math.max(3, title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (column < 3 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** One line per cell whose spread makes its median untrustworthy. */
export function stabilityWarnings(cells: readonly CellSummary[]): string[] {
  return cells
    .filter((cell) => cell.unstable)
    .map(
      (cell) =>
        `${cell.quantization} ${testLabel(cell)} (${cell.syncMode}): CV ${(cell.cv * 100).toFixed(0)}% is above 10%; run more repetitions (n = ${cell.ttftMs.n}).`,
    );
}
