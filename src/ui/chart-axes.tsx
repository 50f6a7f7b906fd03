import { useEffect, useRef, useState, type RefObject } from 'react';
import { linearTicks, logTicks, yAxisWidthPx } from '../report/axis-ticks';

/** Room above the plot for the y axis's title, written horizontally so it never covers a tick label. */
export const TITLE_MARGIN_PX = 32;

export interface YAxisLayout {
  readonly ticks: number[];
  readonly domain: [number, number];
  readonly width: number;
  readonly tickFormatter: (value: number) => string;
}

/** Ticks, domain and a width that fits the longest tick label, for values up to `max` (above `min` on log). */
export function yAxisLayout(options: {
  readonly max: number;
  readonly min?: number;
  readonly log?: boolean;
  readonly format: (value: number) => string;
}): YAxisLayout {
  const { max, min, log = false } = options;
  // Zero needs no unit ("0", not "0 ms" under ticks in seconds).
  const format = (value: number) => (value === 0 ? '0' : options.format(value));
  const ticks = log && min !== undefined && min > 0 ? logTicks(min, max) : linearTicks(max);
  const usable = ticks.length > 0 ? ticks : [0, 1];
  return {
    ticks: usable,
    domain: [usable[0]!, usable.at(-1)!],
    width: yAxisWidthPx(usable.map(format)),
    tickFormatter: format,
  };
}

interface TitleProps {
  readonly viewBox?: unknown;
}

function hasOrigin(viewBox: unknown): viewBox is { x: number; y: number } {
  return (
    typeof viewBox === 'object' &&
    viewBox !== null &&
    'x' in viewBox &&
    'y' in viewBox &&
    typeof viewBox.x === 'number' &&
    typeof viewBox.y === 'number'
  );
}

/**
 * A y axis's title above the plot's top-left corner, horizontal (recharts' `label.content`): rotated titles
 * inside the axis cover wide tick labels and are cut on narrow screens.
 */
export function yAxisTitle(title: string) {
  return {
    value: title,
    content: ({ viewBox }: TitleProps) =>
      hasOrigin(viewBox) ? (
        <text
          x={viewBox.x}
          y={viewBox.y - 16}
          textAnchor="start"
          className="axis-title"
          fill="#57606a"
          fontSize={12}
        >
          {title}
        </text>
      ) : null,
  };
}

/** The width of an element, following resizes (charts thin their x ticks to fit it). */
export function useElementWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** A legend of coloured swatches above a bar chart, in HTML so it takes no room from the plot. */
export function SwatchLegend({
  entries,
}: {
  readonly entries: readonly { label: string; colour: string }[];
}) {
  return (
    <ul className="chart-legend">
      {entries.map((entry) => (
        <li key={entry.label}>
          <svg width="12" height="12" aria-hidden="true">
            <rect width="12" height="12" fill={entry.colour} />
          </svg>{' '}
          {entry.label}
        </li>
      ))}
    </ul>
  );
}
