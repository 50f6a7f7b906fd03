import { formatDurationTick } from '../report/axis-format';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useRef } from 'react';
import type { CellSummary } from '../bench/summary';
import { ChartDownloads } from './ChartDownloads';
import { SwatchLegend, TITLE_MARGIN_PX, yAxisLayout, yAxisTitle } from './chart-axes';
import type { Quantization } from '../model/config';
import type { VariantLoadRecord } from '../results/trial';

interface LoadChartProps {
  readonly loads: readonly VariantLoadRecord[];
  readonly coldTtftMs: ReadonlyMap<Quantization, number>;
  readonly cells: readonly CellSummary[];
}

/** Per level, the four costs a user pays in order: build or fetch, session creation, cold first token, warm first token. */
const BARS = [
  { key: 'build', label: 'model build / fetch', colour: '#999999' },
  { key: 'session', label: 'session creation', colour: '#E69F00' },
  { key: 'cold', label: 'cold TTFT (first inference)', colour: '#D55E00' },
  { key: 'warm', label: 'warm TTFT (median, first length)', colour: '#0072B2' },
] as const;

export function LoadChart({ loads, coldTtftMs, cells }: LoadChartProps) {
  const figure = useRef<HTMLElement>(null);
  if (loads.length === 0) return null;
  const rows = loads.map((load) => {
    const warm = cells.find((cell) => cell.quantization === load.quantization && cell.syncMode === 'barrier');
    return {
      quantization: load.quantization,
      build: load.prepareMs,
      session: load.sessionCreateMs,
      cold: coldTtftMs.get(load.quantization) ?? 0,
      warm: warm?.ttftMs.median ?? 0,
    };
  });
  const yAxis = yAxisLayout({
    max: Math.max(0, ...rows.flatMap((row) => BARS.map((bar) => row[bar.key]))),
    format: formatDurationTick,
  });
  return (
    <figure
      className="panel"
      data-testid="load-chart"
      aria-label="Load, cold and warm times per quantization level"
      ref={figure}
    >
      <div className="actions chart-controls">
        <ChartDownloads
          figure={figure}
          fileName="load-cold-warm"
          legend={BARS.map((bar) => ({ label: bar.label, colour: bar.colour, dash: undefined }))}
        />
      </div>
      <SwatchLegend entries={BARS} />
      <div className="chart">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ top: TITLE_MARGIN_PX, right: 20, bottom: 20, left: 10 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="quantization" />
            <YAxis
              domain={yAxis.domain}
              ticks={yAxis.ticks}
              interval={0}
              tickFormatter={yAxis.tickFormatter}
              width={yAxis.width}
              label={yAxisTitle('time')}
            />
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? `${value.toFixed(1)} ms` : String(value))}
            />
            {BARS.map((bar) => (
              <Bar
                key={bar.key}
                dataKey={bar.key}
                name={bar.label}
                fill={bar.colour}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
