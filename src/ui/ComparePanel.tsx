import { tokensLabel } from '../report/summary-table';
import { compareCells, formatRatio, type ComparedRun } from '../report/compared-run';
import type { SharedCell } from '../report/share-link';
import { usePanelLabel } from './FoldSection';

interface ComparePanelProps {
  readonly runs: readonly ComparedRun[];
  readonly ownCells: readonly SharedCell[];
  readonly importError: string | undefined;
  readonly onImport: (files: readonly File[]) => void;
  readonly onRemove: (id: string) => void;
}

function ms(value: number | undefined): string {
  return value === undefined ? '—' : value.toFixed(1);
}

/** Import CSV/JSON runs from other machines; each is listed with its medians beside this run's. */
export function ComparePanel({ runs, ownCells, importError, onImport, onRemove }: ComparePanelProps) {
  const label = usePanelLabel('Compare with other runs');
  return (
    <section className="panel" {...label}>
      <label>
        Import a CSV or JSON exported by ttft-bench (any machine):{' '}
        <input
          type="file"
          accept=".csv,.json,text/csv,application/json"
          multiple
          data-testid="import-file"
          onChange={(event) => {
            const files = [...(event.target.files ?? [])];
            event.target.value = '';
            if (files.length > 0) onImport(files);
          }}
        />
      </label>
      {importError !== undefined && (
        <p className="error" role="alert" data-testid="import-error">
          {importError}
        </p>
      )}
      {runs.map((run) => (
        <div key={run.id} data-testid="compared-run" data-label={run.label}>
          <h3>
            {run.label}{' '}
            <span className="hint">
              ({run.model} on {run.environment})
            </span>{' '}
            <button type="button" onClick={() => onRemove(run.id)} aria-label={`Remove ${run.label}`}>
              Remove
            </button>
          </h3>
          {run.reference !== undefined && (
            <p className="hint" data-testid="reference-about">
              {run.reference.about}
            </p>
          )}
          {run.caution !== undefined && (
            <p className="notice" data-testid="compared-caution">
              {run.caution}
            </p>
          )}
          <div className="table-scroll">
            <table data-testid="comparison-table">
              <caption className="hint">
                Median TTFT; ratio above 1 means {run.label} was slower than this run.
              </caption>
              <thead>
                <tr>
                  <th scope="col">quantization</th>
                  <th scope="col">tokens</th>
                  <th scope="col">sync</th>
                  <th scope="col">theirs (ms)</th>
                  <th scope="col">this run (ms)</th>
                  <th scope="col">theirs / this</th>
                </tr>
              </thead>
              <tbody>
                {compareCells(ownCells, run.cells).map((row) => (
                  <tr key={`${row.quantization}-${row.promptTokens}-${row.depthTokens}-${row.syncMode}`}>
                    <td>{row.quantization}</td>
                    <td>{tokensLabel(row)}</td>
                    <td>{row.syncMode}</td>
                    <td>{ms(row.theirMedianMs)}</td>
                    <td>{ms(row.ownMedianMs)}</td>
                    <td data-testid="comparison-ratio">{formatRatio(row.ratio)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ))}
    </section>
  );
}
