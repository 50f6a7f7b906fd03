import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { SyncMode } from '../bench/sweep-config';
import type { Quantization } from '../model/config';

export interface ChartPoint {
  readonly promptTokens: number;
  readonly medianMs: number;
  readonly p10Ms: number;
  readonly p90Ms: number;
}

export interface ChartSeries {
  readonly quantization: Quantization;
  readonly syncMode: SyncMode;
  readonly points: readonly ChartPoint[];
}

/** Line style per sync mode: solid for the honest barrier, dashed for the modes shown for comparison. */
const SYNC_DASHES: Readonly<Record<SyncMode, string | undefined>> = {
  barrier: undefined,
  readback: '6 3',
  none: '2 3',
};

function seriesKey(series: { quantization: Quantization; syncMode: SyncMode }): string {
  return `${series.quantization}_${series.syncMode}`;
}

function seriesLabel(series: ChartSeries, showModes: boolean): string {
  return showModes ? `${series.quantization} (${series.syncMode})` : series.quantization;
}

/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. */
const SERIES_COLOURS: Readonly<Record<Quantization, string>> = {
  fp32: '#0072B2',
  fp16: '#E69F00',
  int8: '#009E73',
  q4: '#D55E00',
  q4f16: '#CC79A7',
  uint8: '#56B4E9',
  quantized: '#000000',
  bnb4: '#F0E442',
};

type Row = Record<string, number | [number, number]>;

/** One row per prompt length with `<q>_median` and `<q>_band` columns, the shape recharts wants. */
function toRows(series: readonly ChartSeries[]): Row[] {
  const rows = new Map<number, Row>();
  for (const entry of series) {
    const key = seriesKey(entry);
    for (const point of entry.points) {
      const row = rows.get(point.promptTokens) ?? { promptTokens: point.promptTokens };
      row[`${key}_median`] = point.medianMs;
      row[`${key}_band`] = [point.p10Ms, point.p90Ms];
      rows.set(point.promptTokens, row);
    }
  }
  return [...rows.values()].sort((a, b) => Number(a['promptTokens']) - Number(b['promptTokens']));
}

export function TtftChart({ series }: { readonly series: readonly ChartSeries[] }) {
  if (series.length === 0) return null;
  const rows = toRows(series);
  const showModes = new Set(series.map((entry) => entry.syncMode)).size > 1;
  return (
    <figure className="panel" data-testid="ttft-chart" aria-label="TTFT against prompt length">
      <div className="chart">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 10, right: 20, bottom: 20, left: 10 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="promptTokens"
              type="number"
              scale="log"
              domain={['dataMin', 'dataMax']}
              ticks={rows.map((row) => Number(row['promptTokens']))}
              label={{ value: 'prompt length (tokens)', position: 'insideBottom', offset: -10 }}
            />
            <YAxis label={{ value: 'TTFT (ms)', angle: -90, position: 'insideLeft' }} />
            <Tooltip
              formatter={(value) =>
                Array.isArray(value) ? value.map(formatMs).join(' – ') : formatMs(value)
              }
            />
            <Legend verticalAlign="top" />
            {series.map((entry) => (
              <Area
                key={`${seriesKey(entry)}-band`}
                dataKey={`${seriesKey(entry)}_band`}
                name={`${seriesLabel(entry, showModes)} p10–p90`}
                stroke="none"
                fill={SERIES_COLOURS[entry.quantization]}
                fillOpacity={0.18}
                isAnimationActive={false}
                legendType="none"
              />
            ))}
            {series.map((entry) => (
              <Line
                key={seriesKey(entry)}
                className={`ttft-line ttft-line-${entry.quantization}`}
                dataKey={`${seriesKey(entry)}_median`}
                name={`${seriesLabel(entry, showModes)} median`}
                stroke={SERIES_COLOURS[entry.quantization]}
                strokeDasharray={SYNC_DASHES[entry.syncMode]}
                strokeWidth={2}
                isAnimationActive={false}
                dot={(dot: { cx?: number; cy?: number; index?: number }) => (
                  <circle
                    key={`${seriesKey(entry)}-${dot.index ?? 0}`}
                    className="ttft-dot"
                    data-series={entry.quantization}
                    data-sync={entry.syncMode}
                    cx={dot.cx}
                    cy={dot.cy}
                    r={3}
                    fill={SERIES_COLOURS[entry.quantization]}
                  />
                )}
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="hint">
        Median TTFT per prompt length, one line per quantization level; the band spans p10 to p90 of the timed
        repetitions.
      </figcaption>
    </figure>
  );
}

function formatMs(value: unknown): string {
  return typeof value === 'number' ? `${value.toFixed(1)} ms` : String(value);
}
