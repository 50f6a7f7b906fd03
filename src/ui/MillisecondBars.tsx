import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RefObject } from 'react';
import { formatDurationTick } from '../report/axis-format';
import { ChartDownloads } from './ChartDownloads';
import { SwatchLegend, TITLE_MARGIN_PX, yAxisLayout, yAxisTitle } from './chart-axes';

/** One series of bars: the row field it draws, its name and its colour. */
export interface BarSeries<Key extends string> {
  readonly key: Key;
  readonly label: string;
  readonly colour: string;
}

interface MillisecondBarsProps<Key extends string, Row extends Readonly<Record<Key, number>>> {
  /** The chart's figure (the downloads draw its plot). */
  readonly figure: RefObject<HTMLElement | null>;
  readonly fileName: string;
  readonly series: readonly BarSeries<Key>[];
  readonly rows: readonly Row[];
  /** The row field that names each group of bars on the x axis. */
  readonly category: Exclude<keyof Row, Key> & string;
  readonly yTitle: string;
  /** One bar per row, the series stacked (parts of one total), instead of a bar per series side by side. */
  readonly stacked: boolean;
  readonly tooltipDecimals: number;
}

/**
 * A bar chart of milliseconds with its downloads and its legend, for a figure to hold (the TTFT breakdown and
 * the load chart): the y axis reaches the tallest bar (or stack).
 */
export function MillisecondBars<Key extends string, Row extends Readonly<Record<Key, number>>>({
  figure,
  fileName,
  series,
  rows,
  category,
  yTitle,
  stacked,
  tooltipDecimals,
}: MillisecondBarsProps<Key, Row>) {
  const heights = rows.flatMap((row) => {
    const values = series.map((bar) => row[bar.key]);
    return stacked ? [values.reduce((sum, value) => sum + value, 0)] : values;
  });
  const yAxis = yAxisLayout({ max: Math.max(0, ...heights), format: formatDurationTick });
  return (
    <>
      <div className="actions chart-controls">
        <ChartDownloads
          figure={figure}
          fileName={fileName}
          legend={series.map(({ label, colour }) => ({ label, colour, dash: undefined }))}
        />
      </div>
      <SwatchLegend entries={series} />
      <div className="chart">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={[...rows]} margin={{ top: TITLE_MARGIN_PX, right: 20, bottom: 20, left: 10 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey={category} />
            <YAxis
              domain={yAxis.domain}
              ticks={yAxis.ticks}
              interval={0}
              tickFormatter={yAxis.tickFormatter}
              width={yAxis.width}
              label={yAxisTitle(yTitle)}
            />
            <Tooltip
              formatter={(value) =>
                typeof value === 'number' ? `${value.toFixed(tooltipDecimals)} ms` : String(value)
              }
            />
            {series.map((bar) => (
              <Bar
                key={bar.key}
                dataKey={bar.key}
                name={bar.label}
                stackId={stacked ? 'total' : undefined}
                fill={bar.colour}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </>
  );
}
