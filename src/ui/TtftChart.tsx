import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useRef, useState } from 'react';
import { formatDurationTick, formatGrouped } from '../report/axis-format';
import { thinTicks } from '../report/axis-ticks';
import type { SyncMode } from '../config/sweep-config';
import { QUANTIZATION_LEVELS, type ChartMarker } from '../model/quantization';
import {
  depthsOf,
  seriesFromCells,
  type CellSeries,
  type ChartAxis,
  type SeriesPoint,
} from '../report/compared-run';
import type { SharedCell } from '../report/share-link';
import { ChartDownloads } from './ChartDownloads';
import { TITLE_MARGIN_PX, useElementWidth, yAxisLayout, yAxisTitle } from './chart-axes';
import { MARKER_RADIUS, markerPaint, markerPath } from './chart-marker';
import type { SvgLegendEntry } from './download';

/** One run's cells; several runs (this one, a shared link, imported files) are overlaid. */
export interface ChartRun {
  readonly label: string;
  readonly cells: readonly SharedCell[];
}

/** Line style per sync mode: solid for the honest barrier, dashed for the modes shown for comparison. */
const SYNC_DASHES: Readonly<Record<SyncMode, string | undefined>> = {
  barrier: undefined,
  readback: '6 3',
  none: '2 3',
};
/**
 * Colour and marker shape mean the quantization level (from its registry entry); runs after the first are
 * told apart by dash and hollow markers.
 */
const RUN_DASHES = ['9 4', '4 4', '1 4'];
/** Lines of one level at other depths (or, against depth, other prompt lengths) in this run. */
const FIXED_DASHES = ['12 3 3 3', '3 3', '12 6'];

interface PlacedSeries extends CellSeries {
  readonly runIndex: number;
  readonly runLabel: string;
  /** The series' place among the run's values of the other dimension (0: the first depth or length). */
  readonly fixedIndex: number;
}

function seriesKey(series: PlacedSeries): string {
  return `r${series.runIndex}_${series.quantization}_${series.syncMode}_${series.fixedTokens}`;
}

/** What a series' label adds for the dimension the axis does not show, when there are several. */
function fixedLabel(series: PlacedSeries, axis: ChartAxis): string {
  return axis === 'prompt' ? ` @ d${series.fixedTokens}` : ` pp${series.fixedTokens}`;
}

function seriesLabel(
  series: PlacedSeries,
  show: { modes: boolean; runs: boolean; fixed: ChartAxis | undefined },
): string {
  const name = `${show.modes ? `${series.quantization} (${series.syncMode})` : series.quantization}${show.fixed === undefined ? '' : fixedLabel(series, show.fixed)}`;
  return show.runs ? `${series.runLabel}: ${name}` : name;
}

function dashOf(series: PlacedSeries): string | undefined {
  if (series.runIndex === 0) {
    if (series.fixedIndex > 0) return FIXED_DASHES[(series.fixedIndex - 1) % FIXED_DASHES.length];
    return SYNC_DASHES[series.syncMode];
  }
  return RUN_DASHES[(series.runIndex - 1) % RUN_DASHES.length];
}

interface SeriesStyle {
  readonly colour: string;
  readonly marker: ChartMarker;
  readonly hollow: boolean;
  readonly dash: string | undefined;
}

function styleOf(series: PlacedSeries): SeriesStyle {
  const { colour, marker } = QUANTIZATION_LEVELS[series.quantization].chart;
  return { colour, marker, hollow: series.runIndex > 0, dash: dashOf(series) };
}

function Marker({ x, y, style }: { x: number; y: number; style: SeriesStyle }) {
  return (
    <path d={markerPath(style.marker, x, y, MARKER_RADIUS)} {...markerPaint(style.colour, style.hollow)} />
  );
}

/** The legend: each series' line with its marker, so shape and dash read as they do on the plot. */
function SeriesLegend({
  entries,
}: {
  entries: readonly { key: string; label: string; style: SeriesStyle }[];
}) {
  return (
    <ul className="chart-legend">
      {entries.map(({ key, label, style }) => (
        <li key={key}>
          <svg width="28" height="12" aria-hidden="true">
            <line
              x1="1"
              x2="27"
              y1="6"
              y2="6"
              stroke={style.colour}
              strokeWidth={2}
              strokeDasharray={style.dash}
            />
            <Marker x={14} y={6} style={style} />
          </svg>{' '}
          {label}
        </li>
      ))}
    </ul>
  );
}

type Row = Record<string, number | [number, number]>;

/** What the y axis shows: TTFT itself, or the prefill rate it implies (prompt tokens per second of TTFT). */
export type ChartMetric = 'ttft' | 'tokensPerSecond';

interface MetricView {
  readonly testId: string;
  readonly title: string;
  readonly axis: string;
  readonly unit: string;
  readonly fileName: string;
  readonly caption: string;
  /** Tick labels that stay readable at any size. */
  readonly tick: (value: number) => string;
  /** The median and p10–p90 band of one point in this metric (a rate turns p90 TTFT into its p10). */
  readonly plot: (point: SeriesPoint) => { median: number; band: [number, number] };
}

const perSecond = (tokens: number, ms: number) => (ms > 0 ? (tokens * 1000) / ms : 0);

const METRICS: Readonly<Record<ChartMetric, MetricView>> = {
  ttft: {
    testId: 'ttft-chart',
    title: 'TTFT against prompt length',
    axis: 'TTFT',
    unit: 'ms',
    tick: formatDurationTick,
    fileName: 'ttft-chart',
    caption:
      'Median TTFT per prompt length, one line per quantization level; the band spans p10 to p90 of the timed repetitions.',
    plot: (point) => ({ median: point.medianMs, band: [point.p10Ms, point.p90Ms] }),
  },
  tokensPerSecond: {
    testId: 'tokens-per-second-chart',
    title: 'Prefill tokens per second against prompt length',
    axis: 'prompt tokens / s',
    unit: 'tok/s',
    tick: formatGrouped,
    fileName: 'prefill-tokens-per-second',
    caption:
      'Prompt tokens per second of median TTFT (prompt length ÷ TTFT); the band spans the rates of p90 and p10 TTFT.',
    plot: (point) => ({
      median: perSecond(point.promptTokens, point.medianMs),
      band: [perSecond(point.promptTokens, point.p90Ms), perSecond(point.promptTokens, point.p10Ms)],
    }),
  },
};

/** One row per x (prompt length or depth) with `<q>_median` and `<q>_band` columns, the shape recharts wants. */
function toRows(series: readonly PlacedSeries[], view: MetricView): Row[] {
  const rows = new Map<number, Row>();
  for (const entry of series) {
    const key = seriesKey(entry);
    for (const point of entry.points) {
      const row = rows.get(point.x) ?? { x: point.x };
      const { median, band } = view.plot(point);
      row[`${key}_median`] = median;
      row[`${key}_band`] = band;
      rows.set(point.x, row);
    }
  }
  return [...rows.values()].sort((a, b) => Number(a['x']) - Number(b['x']));
}

const AXIS_LABELS: Readonly<Record<ChartAxis, string>> = {
  prompt: 'prompt length (tokens)',
  depth: 'context depth (tokens)',
};

/** The smallest and largest value any median or band reaches: the y axis spans them. */
function valueRange(rows: readonly Row[]): { min: number; max: number } {
  const values = rows.flatMap((row) =>
    Object.entries(row).flatMap(([key, value]) =>
      key === 'x' ? [] : Array.isArray(value) ? value : [value],
    ),
  );
  const positive = values.filter((value) => value > 0);
  return { min: positive.length > 0 ? Math.min(...positive) : 1, max: Math.max(0, ...values) };
}

const CHART_MARGIN = { top: TITLE_MARGIN_PX, right: 20, bottom: 20, left: 10 } as const;

export function TtftChart({
  runs,
  metric = 'ttft',
}: {
  readonly runs: readonly ChartRun[];
  readonly metric?: ChartMetric;
}) {
  const view = METRICS[metric];
  const [logLength, setLogLength] = useState(true);
  const [logTtft, setLogTtft] = useState(false);
  const [chosenAxis, setAxis] = useState<ChartAxis>('prompt');
  const figure = useRef<HTMLElement>(null);
  const [plotBox, plotWidth] = useElementWidth<HTMLDivElement>();
  // TTFT against depth is a choice only when several depths were measured.
  const severalDepths = depthsOf(runs.flatMap((run) => run.cells)).length > 1;
  const axis: ChartAxis = severalDepths ? chosenAxis : 'prompt';
  const series: PlacedSeries[] = runs.flatMap((run, runIndex) => {
    const runSeries = seriesFromCells(run.cells, axis);
    const fixedValues = [...new Set(runSeries.map((entry) => entry.fixedTokens))];
    return runSeries.map((entry) => ({
      ...entry,
      runIndex,
      runLabel: run.label,
      fixedIndex: fixedValues.indexOf(entry.fixedTokens),
    }));
  });
  if (series.length === 0) return null;
  const rows = toRows(series, view);
  const show = {
    modes: new Set(series.map((entry) => entry.syncMode)).size > 1,
    runs: runs.length > 1,
    fixed: new Set(series.map((entry) => entry.fixedTokens)).size > 1 ? axis : undefined,
  };
  // Depth 0 has no place on a log axis.
  const logX = axis === 'prompt' && logLength;
  const range = valueRange(rows);
  const yAxis = yAxisLayout({ max: range.max, min: range.min, log: logTtft, format: view.tick });
  const xValues = rows.map((row) => Number(row['x']));
  const xTicks = thinTicks(xValues, {
    scale: logX ? 'log' : 'linear',
    domain: [xValues[0] ?? 1, xValues.at(-1) ?? 1],
    lengthPx: Math.max(0, plotWidth - CHART_MARGIN.left - CHART_MARGIN.right - yAxis.width),
    label: formatGrouped,
  });
  const legendEntries = series.map((entry) => ({
    key: seriesKey(entry),
    label: `${seriesLabel(entry, show)} median`,
    style: styleOf(entry),
  }));
  const legend: SvgLegendEntry[] = legendEntries.map(({ label, style }) => ({
    label,
    colour: style.colour,
    dash: style.dash,
    marker: { shape: style.marker, hollow: style.hollow },
  }));
  return (
    <figure className="panel" data-testid={view.testId} aria-label={view.title} ref={figure}>
      <div className="actions chart-controls">
        {severalDepths && (
          <label>
            x axis{' '}
            <select
              value={axis}
              onChange={(event) => setAxis(event.target.value === 'depth' ? 'depth' : 'prompt')}
              data-testid="chart-axis"
            >
              <option value="prompt">prompt length (a line per depth)</option>
              <option value="depth">context depth (a line per prompt length)</option>
            </select>
          </label>
        )}
        <label>
          <input
            type="checkbox"
            checked={logLength}
            disabled={axis !== 'prompt'}
            onChange={(event) => setLogLength(event.target.checked)}
            data-testid="log-length-axis"
          />{' '}
          log length axis
        </label>
        <label>
          <input
            type="checkbox"
            checked={logTtft}
            onChange={(event) => setLogTtft(event.target.checked)}
            data-testid="log-ttft-axis"
          />{' '}
          log {metric === 'ttft' ? 'TTFT' : 'rate'} axis
        </label>
        <ChartDownloads figure={figure} fileName={view.fileName} legend={legend} />
      </div>
      <SeriesLegend entries={legendEntries} />
      <div className="chart" ref={plotBox}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={CHART_MARGIN}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="x"
              type="number"
              scale={logX ? 'log' : 'linear'}
              domain={['dataMin', 'dataMax']}
              ticks={xTicks}
              interval={0}
              tickFormatter={formatGrouped}
              label={{ value: AXIS_LABELS[axis], position: 'insideBottom', offset: -10 }}
            />
            <YAxis
              scale={logTtft ? 'log' : 'linear'}
              domain={yAxis.domain}
              ticks={yAxis.ticks}
              interval={0}
              allowDataOverflow={false}
              tickFormatter={yAxis.tickFormatter}
              width={yAxis.width}
              label={yAxisTitle(logTtft ? `${view.axis}, log scale` : view.axis)}
            />
            <Tooltip
              formatter={(value) =>
                Array.isArray(value)
                  ? value.map((v) => formatValue(v, view.unit)).join(' – ')
                  : formatValue(value, view.unit)
              }
            />
            {series.map((entry) => (
              <Area
                key={`${seriesKey(entry)}-band`}
                dataKey={`${seriesKey(entry)}_band`}
                name={`${seriesLabel(entry, show)} p10–p90`}
                stroke="none"
                fill={styleOf(entry).colour}
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
                name={`${seriesLabel(entry, show)} median`}
                stroke={styleOf(entry).colour}
                strokeDasharray={styleOf(entry).dash}
                strokeWidth={2}
                isAnimationActive={false}
                dot={(dot: { cx?: number; cy?: number; index?: number }) => (
                  <g
                    key={`${seriesKey(entry)}-${dot.index ?? 0}`}
                    className="ttft-dot"
                    data-series={entry.quantization}
                    data-sync={entry.syncMode}
                    data-run={entry.runIndex}
                    data-fixed={entry.fixedTokens}
                  >
                    {dot.cx !== undefined && dot.cy !== undefined && (
                      <Marker x={dot.cx} y={dot.cy} style={styleOf(entry)} />
                    )}
                  </g>
                )}
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <div className="visually-hidden">
        <table data-testid={`${view.testId}-data`}>
          <caption>{view.title}: the chart&apos;s data</caption>
          <thead>
            <tr>
              <th scope="col">{axis === 'prompt' ? 'prompt tokens' : 'depth tokens'}</th>
              {series.map((entry) => (
                <th scope="col" key={seriesKey(entry)}>
                  {seriesLabel(entry, show)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={String(row['x'])}>
                <th scope="row">{String(row['x'])}</th>
                {series.map((entry) => (
                  <td key={seriesKey(entry)}>{formatValue(row[`${seriesKey(entry)}_median`], view.unit)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <figcaption className="hint">{view.caption}</figcaption>
    </figure>
  );
}

function formatValue(value: unknown, unit: string): string {
  if (value === undefined) return '—';
  return typeof value === 'number' ? `${value.toFixed(1)} ${unit}` : String(value);
}
