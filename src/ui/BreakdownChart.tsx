import { tokensLabel } from '../report/summary-table';
import { useRef } from 'react';
import type { CellSummary } from '../bench/summary';
import { MillisecondBars } from './MillisecondBars';

/** The parts of TTFT in trial order, with Okabe–Ito colours. */
const PARTS = [
  { key: 'tokenize', label: 'tokenize', colour: '#999999' },
  { key: 'upload', label: 'upload', colour: '#56B4E9' },
  { key: 'prefill', label: 'prefill (session.run)', colour: '#0072B2' },
  { key: 'gpuWait', label: 'GPU wait', colour: '#D55E00' },
  { key: 'readback', label: 'logits readback', colour: '#009E73' },
  { key: 'sampling', label: 'sampling', colour: '#CC79A7' },
] as const;

export function BreakdownChart({ cells }: { readonly cells: readonly CellSummary[] }) {
  const figure = useRef<HTMLElement>(null);
  if (cells.length === 0) return null;
  const rows = cells.map((cell) => ({
    cell: `${cell.quantization} ${tokensLabel(cell)}${cell.syncMode === 'barrier' ? '' : ` (${cell.syncMode})`}`,
    ...cell.medianPartsMs,
  }));
  return (
    <figure
      className="panel"
      data-testid="breakdown-chart"
      aria-label="TTFT broken into its parts"
      ref={figure}
    >
      <MillisecondBars
        figure={figure}
        fileName="ttft-breakdown"
        series={PARTS}
        rows={rows}
        category="cell"
        yTitle="median per part"
        stacked
        tooltipDecimals={2}
      />
      <div className="visually-hidden">
        <table data-testid="breakdown-chart-data">
          <caption>Median milliseconds of each part of TTFT per cell (the chart&apos;s data)</caption>
          <thead>
            <tr>
              <th scope="col">cell</th>
              {PARTS.map((part) => (
                <th scope="col" key={part.key}>
                  {part.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.cell}>
                <th scope="row">{row.cell}</th>
                {PARTS.map((part) => (
                  <td key={part.key}>{row[part.key].toFixed(2)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <figcaption className="hint">
        Median of each part over the timed repetitions, stacked; per trial the parts add up to its TTFT.
      </figcaption>
    </figure>
  );
}
