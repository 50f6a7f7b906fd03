import { useRef } from 'react';
import type { CellSummary } from '../bench/summary';
import { MillisecondBars } from './MillisecondBars';
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
  return (
    <figure
      className="panel"
      data-testid="load-chart"
      aria-label="Load, cold and warm times per quantization level"
      ref={figure}
    >
      <MillisecondBars
        figure={figure}
        fileName="load-cold-warm"
        series={BARS}
        rows={rows}
        category="quantization"
        yTitle="time"
        stacked={false}
        tooltipDecimals={1}
      />
    </figure>
  );
}
