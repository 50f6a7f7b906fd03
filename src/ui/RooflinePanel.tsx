import { useMemo } from 'react';
import type { CellSummary } from '../bench/summary';
import type { SweepConfig } from '../config/sweep-config';
import type { DecoderShape } from '../source/decoder-shape';
import { prefillShapeOf, rooflineRows } from '../roofline/roofline-rows';
import type { VariantLoadRecord } from '../results/trial';
import type { PeaksState } from './useRoofline';

interface RooflinePanelProps {
  readonly peaks: PeaksState;
  readonly onMeasure: () => void;
  readonly disabled: boolean;
  readonly cells: readonly CellSummary[];
  readonly loads: readonly VariantLoadRecord[];
  readonly config: SweepConfig | undefined;
  /** config.json of the repository the results came from, when it is the one looked up. */
  readonly decoder: DecoderShape | undefined;
}

/** Three significant digits (whole numbers from 100 up): a software GPU does well under 1 GFLOP/s. */
const giga = (value: number) => {
  const billions = value / 1e9;
  return billions >= 100 ? billions.toFixed(0) : billions.toPrecision(3);
};
const percent = (fraction: number) => `${(fraction * 100).toFixed(fraction < 0.1 ? 2 : 1)}%`;

function PeaksLine({ peaks }: { readonly peaks: PeaksState }) {
  switch (peaks.kind) {
    case 'idle':
      return null;
    case 'measuring':
      return <p className="hint">Measuring matrix multiply and memory bandwidth…</p>;
    case 'failed':
      return (
        <p className="error" role="alert" data-testid="roofline-error">
          {peaks.message}
        </p>
      );
    case 'ready': {
      const { matmulF32FlopsPerSecond, matmulF16FlopsPerSecond, memoryBytesPerSecond } = peaks.peaks;
      return (
        <p data-testid="roofline-peaks">
          Matrix multiply f32 {giga(matmulF32FlopsPerSecond)} GFLOP/s; f16{' '}
          {matmulF16FlopsPerSecond === undefined
            ? 'not available (no shader-f16)'
            : `${giga(matmulF16FlopsPerSecond)} GFLOP/s`}
          ; memory {giga(memoryBytesPerSecond)} GB/s (read + write).
        </p>
      );
    }
  }
}

/** How far each prefill is from what this GPU can do: achieved FLOP/s against measured peaks. */
export function RooflinePanel(props: RooflinePanelProps) {
  const { peaks, cells, loads, config, decoder } = props;
  const shape = useMemo(
    () => (config === undefined ? undefined : prefillShapeOf(config.model, decoder)),
    [config, decoder],
  );
  const rows = useMemo(
    () =>
      peaks.kind === 'ready' && shape !== undefined && config !== undefined
        ? rooflineRows(cells, loads, shape, config.lmHead, peaks.peaks)
        : [],
    [peaks, shape, config, cells, loads],
  );
  return (
    <section aria-labelledby="roofline-heading">
      <p className="hint">
        A tuned WGSL matrix multiply and a streaming copy measure what this adapter can do; each
        prefill&apos;s FLOPs (from the model&apos;s shape) over its GPU time say how close the run came. The
        roofline bound is the larger of all FLOPs at the multiply peak and every weight read once at peak
        bandwidth.
      </p>
      <button
        type="button"
        onClick={props.onMeasure}
        disabled={props.disabled || peaks.kind === 'measuring'}
        data-testid="roofline-measure"
      >
        Measure this GPU&apos;s peaks
      </button>
      <PeaksLine peaks={peaks} />
      {peaks.kind === 'ready' && config !== undefined && shape === undefined && (
        <p className="hint">
          This model&apos;s config.json gives no intermediate_size, so its FLOPs are unknown.
        </p>
      )}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table data-testid="roofline-table">
            <thead>
              <tr>
                <th scope="col">test</th>
                <th scope="col">GPU time (ms)</th>
                <th scope="col">prefill GFLOP</th>
                <th scope="col">achieved GFLOP/s</th>
                <th scope="col">of multiply peak</th>
                <th scope="col">roofline bound (ms)</th>
                <th scope="col">of roofline</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.quantization}-${row.promptTokens}`} data-testid="roofline-row">
                  <td>
                    {row.quantization} pp{row.promptTokens}
                  </td>
                  <td title={`from ${row.gpuTimeFrom}`}>{row.gpuTimeMs.toFixed(1)}</td>
                  <td>{giga(row.point.flops)}</td>
                  <td>{giga(row.point.achievedFlopsPerSecond)}</td>
                  <td data-testid="roofline-fraction">{percent(row.point.fractionOfMatmulPeak)}</td>
                  <td>
                    {row.point.boundMs.toFixed(1)} ({row.point.boundBy})
                  </td>
                  <td>{percent(row.point.fractionOfRoofline)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
