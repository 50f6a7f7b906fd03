import { cpuMatchDisagrees, cpuMatchOfVariants, describeCpuMatch } from '../bench/cpu-match';
import { describePlacement, placementWarning } from '../bench/ort-placement-log';
import type { TrialRecord, VariantLoadRecord } from '../results/trial';

interface VariantChecksProps {
  readonly loads: readonly VariantLoadRecord[];
  readonly trials: readonly TrialRecord[];
}

/**
 * Per variant, what its check found before its trials: whether WebGPU computes what onnxruntime's CPU backend
 * computes from the same files, and where onnxruntime ran each node. Disagreements and CPU compute are
 * flagged, never hidden.
 */
export function VariantChecks({ loads, trials }: VariantChecksProps) {
  const matches = cpuMatchOfVariants(trials);
  return (
    <div className="table-scroll">
      <table data-testid="variant-checks">
        <caption className="hint">
          CPU match: onnxruntime-web&apos;s wasm (CPU) backend greedily continues one fixed prompt by 8 tokens
          from the same files; WebGPU scores the same tokens (teacher-forced) and each position&apos;s argmax
          and top 5 are compared. Node placement: as onnxruntime reported it when it created the session.
        </caption>
        <thead>
          <tr>
            <th scope="col">quantization</th>
            <th scope="col">CPU match</th>
            <th scope="col">node placement</th>
          </tr>
        </thead>
        <tbody>
          {loads.map((load) => {
            const match = matches.get(load.quantization);
            const disagrees = match !== undefined && cpuMatchDisagrees(match);
            const warning =
              load.placement?.kind === 'measured' ? placementWarning(load.placement) : undefined;
            return (
              <tr key={load.quantization} data-testid={`variant-check-${load.quantization}`}>
                <td>{load.quantization}</td>
                <td
                  className={disagrees ? 'error' : undefined}
                  data-testid={`cpu-match-${load.quantization}`}
                  data-disagrees={disagrees}
                >
                  {match === undefined
                    ? 'no trial yet'
                    : `${disagrees ? '⚠ WebGPU and CPU pick different tokens: ' : ''}${describeCpuMatch(match)}`}
                </td>
                <td data-testid={`placement-${load.quantization}`}>
                  {describePlacement(load.placement).map((line) => (
                    <div key={line}>{line}</div>
                  ))}
                  {warning !== undefined && (
                    <div className="error" data-testid={`placement-warning-${load.quantization}`}>
                      ⚠ {warning}
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
