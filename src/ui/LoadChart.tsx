import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CellSummary } from '../bench/summary';
import type { Quantization } from '../model/config';
import type { VariantLoadRecord } from '../results/trial';

interface LoadChartProps {
  readonly loads: readonly VariantLoadRecord[];
  readonly coldTtftMs: ReadonlyMap<Quantization, number>;
  readonly cells: readonly CellSummary[];
}

/** Per level, the four costs a user pays in order: build or fetch, session creation, cold first token, warm first token. */
export function LoadChart({ loads, coldTtftMs, cells }: LoadChartProps) {
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
  return (
    <figure
      className="panel"
      data-testid="load-chart"
      aria-label="Load, cold and warm times per quantization level"
    >
      <div className="chart">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ top: 10, right: 20, bottom: 20, left: 10 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="quantization" />
            <YAxis label={{ value: 'ms', angle: -90, position: 'insideLeft' }} />
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? `${value.toFixed(1)} ms` : String(value))}
            />
            <Legend verticalAlign="top" />
            <Bar dataKey="build" name="model build / fetch" fill="#999999" isAnimationActive={false} />
            <Bar dataKey="session" name="session creation" fill="#E69F00" isAnimationActive={false} />
            <Bar dataKey="cold" name="cold TTFT (first inference)" fill="#D55E00" isAnimationActive={false} />
            <Bar
              dataKey="warm"
              name="warm TTFT (median, first length)"
              fill="#0072B2"
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
