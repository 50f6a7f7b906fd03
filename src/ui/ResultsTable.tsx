import { useState, type ReactNode } from 'react';
import type { CellSummary } from '../bench/summary';
import { formatCi, stabilityWarnings, tokensLabel } from '../report/summary-table';

const ms = (value: number) => value.toFixed(1);

/**
 * One column of the table: `compact` columns are shown by default (what a reader needs to trust a median),
 * the rest on request. The first five stay first: tests and readers find the median in the fifth.
 */
interface Column {
  readonly header: string;
  readonly title?: string;
  readonly compact: boolean;
  readonly cell: (cell: CellSummary) => ReactNode;
  /** Shown only when some cell has decode numbers. */
  readonly decodeOnly?: boolean;
}

const COLUMNS: readonly Column[] = [
  { header: 'quantization', compact: true, cell: (cell) => cell.quantization },
  { header: 'tokens', compact: true, cell: (cell) => tokensLabel(cell) },
  { header: 'sync', compact: true, cell: (cell) => cell.syncMode },
  { header: 'n', compact: true, cell: (cell) => cell.ttftMs.n },
  { header: 'TTFT median (ms)', compact: true, cell: (cell) => ms(cell.ttftMs.median) },
  { header: 'median CI', compact: true, cell: (cell) => formatCi(cell) },
  { header: 'min', compact: false, cell: (cell) => ms(cell.ttftMs.min) },
  { header: 'max', compact: false, cell: (cell) => ms(cell.ttftMs.max) },
  { header: 'p10', compact: false, cell: (cell) => ms(cell.ttftMs.p10) },
  { header: 'p90', compact: false, cell: (cell) => ms(cell.ttftMs.p90) },
  {
    header: 'mean ± sd',
    compact: false,
    cell: (cell) => `${ms(cell.ttftMs.mean)} ± ${ms(cell.ttftMs.stdDev)}`,
  },
  {
    header: 'CV',
    title: 'Coefficient of variation; above 10%, run more repetitions',
    compact: true,
    cell: (cell) => (
      <span title={cell.unstable ? 'Above 10%: run more repetitions' : undefined}>
        {(cell.cv * 100).toFixed(1)}%{cell.unstable ? ' ⚠' : ''}
      </span>
    ),
  },
  {
    header: 'outliers',
    title: 'Trials more than 3.5 modified z-scores (MAD) from the median',
    compact: false,
    cell: (cell) => (
      <span title={cell.outlierTrialIndexes.map((index) => `trial ${index}`).join(', ')}>
        {cell.outlierTrialIndexes.length}
      </span>
    ),
  },
  { header: 'prefill tok/s', compact: true, cell: (cell) => cell.prefillTokensPerSecond.toFixed(1) },
  { header: 'tokenize', compact: false, cell: (cell) => ms(cell.medianPartsMs.tokenize) },
  { header: 'upload', compact: false, cell: (cell) => ms(cell.medianPartsMs.upload) },
  { header: 'prefill', compact: false, cell: (cell) => ms(cell.medianPartsMs.prefill) },
  { header: 'GPU wait', compact: false, cell: (cell) => ms(cell.medianPartsMs.gpuWait) },
  {
    header: 'GPU span',
    title: "GPU timestamps around session.run: an upper bound of the prefill's GPU busy time",
    compact: false,
    cell: (cell) => (cell.gpuSpanMedianMs === undefined ? '–' : ms(cell.gpuSpanMedianMs)),
  },
  { header: 'readback', compact: false, cell: (cell) => ms(cell.medianPartsMs.readback) },
  { header: 'sampling', compact: false, cell: (cell) => ms(cell.medianPartsMs.sampling) },
  { header: 'first token', compact: true, cell: (cell) => cell.firstTokenIds.join(', ') },
  {
    header: 'decode ms/token (median, p90)',
    compact: true,
    decodeOnly: true,
    cell: (cell) =>
      cell.decode === undefined
        ? '–'
        : `${ms(cell.decode.msPerTokenMedian)}, ${ms(cell.decode.msPerTokenP90)}`,
  },
  {
    header: 'decode tok/s',
    compact: false,
    decodeOnly: true,
    cell: (cell) => (cell.decode === undefined ? '–' : cell.decode.tokensPerSecond.toFixed(1)),
  },
];

export function ResultsTable({ cells }: { readonly cells: readonly CellSummary[] }) {
  const [allColumns, setAllColumns] = useState(false);
  if (cells.length === 0) return <p className="hint">No timed repetitions have finished yet.</p>;
  const warnings = stabilityWarnings(cells);
  const showDecode = cells.some((cell) => cell.decode !== undefined);
  const columns = COLUMNS.filter(
    (column) => (allColumns || column.compact) && (showDecode || column.decodeOnly !== true),
  );
  return (
    <div className="table-scroll">
      {warnings.length > 0 && (
        <details className="panel" data-testid="stability-warnings">
          <summary>
            {warnings.length === 1 ? '1 cell varies' : `${warnings.length} of ${cells.length} cells vary`} by
            more than 10% (CV, marked ⚠): their medians need more repetitions to be trusted.
          </summary>
          <ul>
            {warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </details>
      )}
      <label className="hint">
        <input
          type="checkbox"
          checked={allColumns}
          onChange={(event) => setAllColumns(event.target.checked)}
          data-testid="all-columns"
        />{' '}
        all columns (min, max, p10, p90, mean ± sd, outliers, and the median of each part of TTFT)
      </label>
      <table data-testid="results-table" data-columns={allColumns ? 'all' : 'compact'}>
        <caption className="hint">
          Timed repetitions only.
          {allColumns &&
            ' Parts are medians: tokenize, upload (input tensors), prefill (session.run), GPU wait (onSubmittedWorkDone), readback (last logits row), sampling (argmax).'}
        </caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" key={column.header} title={column.title}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cells.map((cell) => (
            <tr key={`${cell.quantization}-${cell.promptTokens}-${cell.depthTokens}-${cell.syncMode}`}>
              {columns.map((column) => (
                <td key={column.header}>{column.cell(cell)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
