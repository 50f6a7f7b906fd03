import { tokensLabel } from '../report/summary-table';
import { describeModel } from '../config/model-ref';
import type { ShareRequest } from '../report/share-link';
import { TtftChart } from './TtftChart';

interface SharedRunPanelProps {
  readonly request: ShareRequest;
  readonly canRun: boolean;
  readonly onRunHere: () => void;
}

/** A run someone shared: shown read-only, with where it was measured; text is rendered, never injected. */
export function SharedRunPanel({ request, canRun, onRunHere }: SharedRunPanelProps) {
  if (request.kind === 'none') return null;
  if (request.kind === 'invalid') {
    return (
      <section className="panel error" role="alert" data-testid="share-invalid">
        {request.message} The form below still works.
      </section>
    );
  }
  const { results, config } = request.run;
  return (
    <section className="panel" data-testid="shared-run">
      <h2>{results === undefined ? 'Shared configuration' : 'Shared results (read-only)'}</h2>
      {results !== undefined && (
        <>
          <p className="hint" data-testid="shared-environment">
            Measured {results.measuredAt} on {results.environment.adapter} · {results.environment.browser} ·{' '}
            {results.environment.os} · onnxruntime-web {results.environment.onnxruntimeWebVersion} ·
            ttft-bench {results.environment.appVersion}
          </p>
          <TtftChart runs={[{ label: 'shared run', cells: results.cells }]} />
          <div className="table-scroll">
            <table data-testid="shared-cells">
              <thead>
                <tr>
                  <th scope="col">quantization</th>
                  <th scope="col">tokens</th>
                  <th scope="col">sync</th>
                  <th scope="col">n</th>
                  <th scope="col">TTFT median (ms)</th>
                  <th scope="col">p10</th>
                  <th scope="col">p90</th>
                  <th scope="col">mean ± sd</th>
                </tr>
              </thead>
              <tbody>
                {results.cells.map((cell) => (
                  <tr key={`${cell.quantization}-${cell.promptTokens}-${cell.depthTokens}-${cell.syncMode}`}>
                    <td>{cell.quantization}</td>
                    <td>{tokensLabel(cell)}</td>
                    <td>{cell.syncMode}</td>
                    <td>{cell.n}</td>
                    <td>{cell.medianMs.toFixed(1)}</td>
                    <td>{cell.p10Ms.toFixed(1)}</td>
                    <td>{cell.p90Ms.toFixed(1)}</td>
                    <td>
                      {cell.meanMs.toFixed(1)} ± {cell.stdDevMs.toFixed(1)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <p className="hint">
        {describeModel(config.model)}: {config.quantizations.join(', ')} at{' '}
        {config.customPrompt === undefined ? `${config.promptLengths.join(', ')} tokens` : 'a custom prompt'},{' '}
        {config.warmupRuns} warm-ups, {config.repetitions} repetitions.
      </p>
      <button
        type="button"
        className="primary"
        disabled={!canRun}
        onClick={onRunHere}
        data-testid="run-shared"
      >
        Run this on my GPU
      </button>
    </section>
  );
}
