import { testLabel } from '../report/summary-table';
import { useMemo, useState } from 'react';
import type { CellSummary } from '../bench/summary';
import type { SweepConfig } from '../config/sweep-config';
import type { DecoderShape } from '../source/decoder-shape';
import type { DevicePeaks } from '../roofline/device-peaks';
import {
  dataSheetFractions,
  dataSheetPeaks,
  DATA_SHEET_MAX,
  describeAgainstDataSheet,
  describeAgreement,
  describeKernelOutcome,
  describeMatmulPeak,
  formatRate,
  fractionCell,
  parseDataSheetField,
  type DataSheetField,
  type DataSheetPeaks,
  type FractionCell,
} from '../roofline/peak-display';
import { prefillShapeOf, rooflineRows } from '../roofline/roofline-rows';
import type { VariantLoadRecord } from '../results/trial';
import { usePanelLabel } from './FoldSection';
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
  /**
   * Whether a measured graph's 4-bit matmuls may quantize activations to int8 (MatMulNBits accuracy_level 4):
   * onnxruntime's DP4A kernels then do integer dot products, which the f32 multiply peak does not bound.
   */
  readonly int8Activations: boolean;
}

/** Three significant digits (whole numbers from 100 up): a software GPU does well under 1 GFLOP/s. */
const giga = (value: number) => {
  const billions = value / 1e9;
  return billions >= 100 ? billions.toFixed(0) : billions.toPrecision(3);
};

function Fraction({ cell, testId }: { readonly cell: FractionCell | undefined; readonly testId?: string }) {
  if (cell === undefined) return <td>–</td>;
  return (
    <td data-testid={testId} data-above-peak={cell.kind === 'above-peak' ? true : undefined}>
      {cell.text}
    </td>
  );
}

function MeasuredPeaks({ peaks }: { readonly peaks: DevicePeaks }) {
  const { matmulF32, matmulF16, memory, warmup } = peaks;
  const unstable = [matmulF32, matmulF16, memory].some((peak) => peak?.agreement === 'unstable');
  const firstWarm = warmup.flopsPerSecond[0] ?? 0;
  const lastWarm = warmup.flopsPerSecond[warmup.flopsPerSecond.length - 1] ?? 0;
  return (
    <div data-testid="roofline-peaks">
      <p>
        <strong>Measured peak</strong> (the best this browser reaches with our kernels on this GPU, not the
        GPU&apos;s limit): matrix multiply f32 {describeMatmulPeak(matmulF32)}; f16{' '}
        {matmulF16 === undefined ? 'not available (no shader-f16)' : describeMatmulPeak(matmulF16)}; memory{' '}
        {formatRate(memory.perSecond, 'B/s')} (read + write).
      </p>
      <p className="hint" data-testid="roofline-agreement">
        Measured twice or more after a warm-up of {(warmup.gpuMs / 1000).toFixed(1)} s of GPU work (
        {warmup.flopsPerSecond.length} submissions, {formatRate(firstWarm, 'FLOP/s')} →{' '}
        {formatRate(lastWarm, 'FLOP/s')}
        {warmup.ended === 'plateau' ? ', until it stopped rising' : ', still rising when it gave up'}). f32:{' '}
        {describeAgreement(matmulF32, 'FLOP/s')}
        {matmulF16 === undefined ? '' : `; f16: ${describeAgreement(matmulF16, 'FLOP/s')}`}; memory:{' '}
        {describeAgreement(memory, 'B/s')}.
      </p>
      {unstable && (
        <p className="notice" role="status" data-testid="roofline-unstable">
          The peak measurements did not agree within 5%: the GPU&apos;s clocks or load changed while they ran.
          The figures below use the best reached; measure again.
        </p>
      )}
      <p className="hint">Kernels tried (the fastest of each precision is measured for the peak):</p>
      <ul className="hint" data-testid="roofline-kernels">
        {peaks.kernels.map((outcome) => (
          <li key={`${outcome.kernel}-${outcome.precision}`}>{describeKernelOutcome(outcome)}</li>
        ))}
      </ul>
    </div>
  );
}

function PeaksLine({ peaks }: { readonly peaks: PeaksState }) {
  switch (peaks.kind) {
    case 'idle':
      return null;
    case 'measuring':
      return (
        <p className="hint">Warming the GPU up, then measuring matrix multiplies and memory bandwidth…</p>
      );
    case 'failed':
      return (
        <p className="error" role="alert" data-testid="roofline-error">
          {peaks.message}
        </p>
      );
    case 'ready':
      return <MeasuredPeaks peaks={peaks.peaks} />;
  }
}

function DataSheetInput(props: {
  readonly label: string;
  readonly unit: string;
  readonly text: string;
  readonly field: DataSheetField;
  readonly onChange: (text: string) => void;
  readonly testId: string;
}) {
  return (
    <label>
      {props.label}{' '}
      <input
        type="text"
        inputMode="decimal"
        size={8}
        value={props.text}
        onChange={(event) => props.onChange(event.target.value)}
        aria-invalid={props.field.kind === 'invalid'}
        data-testid={props.testId}
      />{' '}
      {props.unit}
      {props.field.kind === 'invalid' && (
        <span className="error" role="alert">
          {' '}
          {props.field.message}
        </span>
      )}
    </label>
  );
}

function DataSheetComparison({
  peaks,
  sheet,
}: {
  readonly peaks: DevicePeaks;
  readonly sheet: DataSheetPeaks;
}) {
  const text = describeAgainstDataSheet(
    { flopsPerSecond: peaks.matmulF32.perSecond, bytesPerSecond: peaks.memory.perSecond },
    sheet,
  );
  return text === undefined ? null : <p data-testid="roofline-data-sheet">{text}</p>;
}

/** How far each prefill is from the best this browser reaches on this GPU: achieved FLOP/s against measured peaks. */
export function RooflinePanel(props: RooflinePanelProps) {
  const { peaks, cells, loads, config, decoder } = props;
  const label = usePanelLabel('Against the measured peak (roofline)');
  const [teraFlopsText, setTeraFlopsText] = useState('');
  const [gigaBytesText, setGigaBytesText] = useState('');
  const teraFlops = parseDataSheetField(teraFlopsText, DATA_SHEET_MAX.teraFlopsPerSecond);
  const gigaBytes = parseDataSheetField(gigaBytesText, DATA_SHEET_MAX.gigaBytesPerSecond);
  const sheet = dataSheetPeaks(teraFlops, gigaBytes);
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
  const aboveMeasured = rows.filter(
    (row) => row.point.fractionOfMatmulPeak > 1 || row.point.fractionOfRoofline > 1,
  ).length;
  const withSheet = sheet.flopsPerSecond !== undefined;
  return (
    <section {...label}>
      <p className="hint">
        WGSL matrix multiplies of our own (workgroup-tiled, vec4, register-blocked, and with subgroups or the
        GPU&apos;s matrix units where the adapter offers them; each checked against the CPU) and a streaming
        copy measure the best this browser reaches on this GPU, after warming it up, twice. That measured peak
        is not the hardware&apos;s limit: a data sheet&apos;s figure can be several times higher (enter it
        below to compare). Each prefill&apos;s FLOPs (from the model&apos;s shape) over its GPU time say how
        close the run came; the roofline bound is the larger of all FLOPs at the multiply peak and every
        weight read once at peak bandwidth.
      </p>
      <button
        type="button"
        onClick={props.onMeasure}
        disabled={props.disabled || peaks.kind === 'measuring'}
        data-testid="roofline-measure"
      >
        Measure peaks on this GPU
      </button>
      <PeaksLine peaks={peaks} />
      <fieldset>
        <legend>Data-sheet peak (optional)</legend>
        <DataSheetInput
          label="Matrix multiply"
          unit="TFLOP/s"
          text={teraFlopsText}
          field={teraFlops}
          onChange={setTeraFlopsText}
          testId="data-sheet-tflops"
        />{' '}
        <DataSheetInput
          label="Memory"
          unit="GB/s"
          text={gigaBytesText}
          field={gigaBytes}
          onChange={setGigaBytesText}
          testId="data-sheet-gbps"
        />
        <div className="hint">
          The hardware&apos;s figures from its maker, for the precision the model computes in (an H200 SXM: 67
          TFLOP/s f32 without tensor cores, 4800 GB/s).
        </div>
        {peaks.kind === 'ready' && <DataSheetComparison peaks={peaks.peaks} sheet={sheet} />}
      </fieldset>
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
                <th scope="col">of measured multiply peak</th>
                <th scope="col">roofline bound (ms)</th>
                <th scope="col">of roofline</th>
                {withSheet && <th scope="col">of data-sheet FLOP/s</th>}
                {withSheet && <th scope="col">of data-sheet roofline</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const fractions = dataSheetFractions(row.point, row.weightBytes, row.gpuTimeMs, sheet);
                return (
                  <tr
                    key={`${row.quantization}-${row.promptTokens}-${row.depthTokens}`}
                    data-testid="roofline-row"
                  >
                    <td>
                      {row.quantization} {testLabel(row)}
                    </td>
                    <td title={`from ${row.gpuTimeFrom}`}>{row.gpuTimeMs.toFixed(1)}</td>
                    <td>{giga(row.point.flops)}</td>
                    <td>{giga(row.point.achievedFlopsPerSecond)}</td>
                    <Fraction
                      cell={fractionCell(row.point.fractionOfMatmulPeak, 'measured')}
                      testId="roofline-fraction"
                    />
                    <td>
                      {row.point.boundMs.toFixed(1)} ({row.point.boundBy})
                    </td>
                    <Fraction cell={fractionCell(row.point.fractionOfRoofline, 'measured')} />
                    {withSheet && (
                      <Fraction
                        cell={
                          fractions.ofPeak === undefined
                            ? undefined
                            : fractionCell(fractions.ofPeak, 'data-sheet')
                        }
                        testId="roofline-data-sheet-fraction"
                      />
                    )}
                    {withSheet && (
                      <Fraction
                        cell={
                          fractions.ofRoofline === undefined
                            ? undefined
                            : fractionCell(fractions.ofRoofline, 'data-sheet')
                        }
                      />
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {aboveMeasured > 0 && (
        <p className="notice" role="status" data-testid="roofline-above-peak">
          {aboveMeasured === 1 ? 'One test' : `${aboveMeasured} tests`} ran faster than the measured peak
          allows.{' '}
          {props.int8Activations
            ? 'Their 4-bit matrix multiplies ran with accuracy level 4: onnxruntime quantizes the activations to int8 and uses integer dot products (DP4A), which the f32 multiply peak does not bound, so a share of it is no ceiling for them.'
            : 'The measured peak is below what the model achieved, so it is an underestimate (the GPU’s clocks were low, or it was busy, while the peak was measured), not a sign that the model beat the hardware. Measure the peaks again right after a run.'}
        </p>
      )}
    </section>
  );
}
