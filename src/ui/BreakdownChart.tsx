import { tokensLabel } from '../report/summary-table';
import { formatDurationTick } from '../report/axis-format';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useRef } from 'react';
import type { CellSummary } from '../bench/summary';
import { ChartDownloads } from './ChartDownloads';
import { SwatchLegend, TITLE_MARGIN_PX, yAxisLayout, yAxisTitle } from './chart-axes';

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
  const yAxis = yAxisLayout({
    max: Math.max(0, ...rows.map((row) => PARTS.reduce((sum, part) => sum + row[part.key], 0))),
    format: formatDurationTick,
  });
  return (
    <figure
      className="panel"
      data-testid="breakdown-chart"
      aria-label="TTFT broken into its parts"
      ref={figure}
    >
      <div className="actions chart-controls">
        <ChartDownloads
          figure={figure}
          fileName="ttft-breakdown"
          legend={PARTS.map((part) => ({ label: part.label, colour: part.colour, dash: undefined }))}
        />
      </div>
      <SwatchLegend entries={PARTS} />
      <div className="chart">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ top: TITLE_MARGIN_PX, right: 20, bottom: 20, left: 10 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="cell" />
            <YAxis
              domain={yAxis.domain}
              ticks={yAxis.ticks}
              interval={0}
              tickFormatter={yAxis.tickFormatter}
              width={yAxis.width}
              label={yAxisTitle('median per part')}
            />
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? `${value.toFixed(2)} ms` : String(value))}
            />
            {PARTS.map((part) => (
              <Bar
                key={part.key}
                dataKey={part.key}
                name={part.label}
                stackId="ttft"
                fill={part.colour}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
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
