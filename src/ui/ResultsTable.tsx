import type { CellSummary } from '../bench/summary';
import { formatCi, stabilityWarnings, tokensLabel } from '../report/summary-table';

const ms = (value: number) => value.toFixed(1);

export function ResultsTable({ cells }: { readonly cells: readonly CellSummary[] }) {
  if (cells.length === 0) return <p className="hint">No timed repetitions have finished yet.</p>;
  const warnings = stabilityWarnings(cells);
  const showDecode = cells.some((cell) => cell.decode !== undefined);
  return (
    <div className="table-scroll">
      {warnings.length > 0 && (
        <ul className="panel" data-testid="stability-warnings">
          {warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      <table data-testid="results-table">
        <caption className="hint">
          Timed repetitions only. Parts are medians: tokenize, upload (input tensors), prefill (session.run),
          GPU wait (onSubmittedWorkDone), readback (last logits row), sampling (argmax).
        </caption>
        <thead>
          <tr>
            <th scope="col">quantization</th>
            <th scope="col">tokens</th>
            <th scope="col">sync</th>
            <th scope="col">n</th>
            <th scope="col">TTFT median (ms)</th>
            <th scope="col">median CI</th>
            <th scope="col">min</th>
            <th scope="col">max</th>
            <th scope="col">p10</th>
            <th scope="col">p90</th>
            <th scope="col">mean ± sd</th>
            <th scope="col">CV</th>
            <th scope="col" title="Trials more than 3.5 modified z-scores (MAD) from the median">
              outliers
            </th>
            <th scope="col">prefill tok/s</th>
            <th scope="col">tokenize</th>
            <th scope="col">upload</th>
            <th scope="col">prefill</th>
            <th scope="col">GPU wait</th>
            <th
              scope="col"
              title="GPU timestamps around session.run: an upper bound of the prefill's GPU busy time"
            >
              GPU span
            </th>
            <th scope="col">readback</th>
            <th scope="col">sampling</th>
            <th scope="col">first token</th>
            {showDecode && <th scope="col">decode ms/token (median, p90)</th>}
            {showDecode && <th scope="col">decode tok/s</th>}
          </tr>
        </thead>
        <tbody>
          {cells.map((cell) => (
            <tr key={`${cell.quantization}-${cell.promptTokens}-${cell.depthTokens}-${cell.syncMode}`}>
              <td>{cell.quantization}</td>
              <td>{tokensLabel(cell)}</td>
              <td>{cell.syncMode}</td>
              <td>{cell.ttftMs.n}</td>
              <td>{ms(cell.ttftMs.median)}</td>
              <td>{formatCi(cell)}</td>
              <td>{ms(cell.ttftMs.min)}</td>
              <td>{ms(cell.ttftMs.max)}</td>
              <td>{ms(cell.ttftMs.p10)}</td>
              <td>{ms(cell.ttftMs.p90)}</td>
              <td>
                {ms(cell.ttftMs.mean)} ± {ms(cell.ttftMs.stdDev)}
              </td>
              <td title={cell.unstable ? 'Above 10%: run more repetitions' : undefined}>
                {(cell.cv * 100).toFixed(1)}%{cell.unstable ? ' ⚠' : ''}
              </td>
              <td title={cell.outlierTrialIndexes.map((index) => `trial ${index}`).join(', ')}>
                {cell.outlierTrialIndexes.length}
              </td>
              <td>{cell.prefillTokensPerSecond.toFixed(1)}</td>
              <td>{ms(cell.medianPartsMs.tokenize)}</td>
              <td>{ms(cell.medianPartsMs.upload)}</td>
              <td>{ms(cell.medianPartsMs.prefill)}</td>
              <td>{ms(cell.medianPartsMs.gpuWait)}</td>
              <td>{cell.gpuSpanMedianMs === undefined ? '–' : ms(cell.gpuSpanMedianMs)}</td>
              <td>{ms(cell.medianPartsMs.readback)}</td>
              <td>{ms(cell.medianPartsMs.sampling)}</td>
              <td>{cell.firstTokenIds.join(', ')}</td>
              {showDecode && (
                <td>
                  {cell.decode === undefined
                    ? '–'
                    : `${ms(cell.decode.msPerTokenMedian)}, ${ms(cell.decode.msPerTokenP90)}`}
                </td>
              )}
              {showDecode && (
                <td>{cell.decode === undefined ? '–' : cell.decode.tokensPerSecond.toFixed(1)}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
