import { tokensLabel } from '../report/summary-table';
import type { CellSummary } from '../bench/summary';
import type { Quantization } from '../model/config';
import type { VariantLoadRecord } from '../results/trial';
import { formatBytes } from '../format-bytes';

interface LoadTableProps {
  readonly loads: readonly VariantLoadRecord[];
  readonly coldTtftMs: ReadonlyMap<Quantization, number>;
  readonly cells: readonly CellSummary[];
}

/** Load, cold and warm kept apart: building, session creation, the first inference, then steady state. */
export function LoadTable({ loads, coldTtftMs, cells }: LoadTableProps) {
  return (
    <div className="table-scroll">
      <table data-testid="load-table">
        <caption className="hint">
          Cold TTFT is the session&apos;s first inference (shader compilation, first uploads); warm TTFT is
          the median of timed runs at the same (first) prompt length.
        </caption>
        <thead>
          <tr>
            <th scope="col">quantization</th>
            <th scope="col">model size</th>
            <th scope="col">SHA-256</th>
            <th scope="col">files from</th>
            <th scope="col" title="graph nodes in one decoder layer, before onnxruntime's own fusions">
              nodes per layer
            </th>
            <th scope="col">build / fetch (ms)</th>
            <th scope="col">session creation (ms)</th>
            <th scope="col">cold TTFT (ms)</th>
            <th scope="col">warm TTFT (ms)</th>
          </tr>
        </thead>
        <tbody>
          {loads.map((load) => {
            const cold = coldTtftMs.get(load.quantization);
            const firstCell = cells.find(
              (cell) => cell.quantization === load.quantization && cell.syncMode === 'barrier',
            );
            return (
              <tr key={load.quantization}>
                <td>{load.quantization}</td>
                <td>{formatBytes(load.modelBytes)}</td>
                <td title={load.modelSha256}>{load.modelSha256.slice(0, 12)}…</td>
                <td>{load.filesFrom}</td>
                <td data-testid="nodes-per-layer">{load.nodesPerLayer ?? '–'}</td>
                <td>{load.prepareMs.toFixed(0)}</td>
                <td>{load.sessionCreateMs.toFixed(0)}</td>
                <td>{cold === undefined ? '–' : cold.toFixed(1)}</td>
                <td>
                  {firstCell === undefined
                    ? '–'
                    : `${firstCell.ttftMs.median.toFixed(1)} @ ${tokensLabel(firstCell)}`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
