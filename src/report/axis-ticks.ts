/**
 * Chart axes that stay readable at any width: the ticks are chosen here (so the y axis can be made exactly as
 * wide as its longest label, and nothing is drawn over them), and x ticks that would touch are thinned out.
 * Pure; the widths are estimates for the page's 12 px tick font (tabular digits ≈ 0.6 em).
 */

/** 1, 2 or 5 times a power of ten, the smallest at or above `value`. */
function niceStep(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  const fraction = value / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Ticks from 0 to at least `max` in about `count` nice steps (0, 5,000, 10,000, …). */
export function linearTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0];
  const step = niceStep(max / count);
  const steps = Math.max(1, Math.ceil(max / step - 1e-9));
  const ticks = Array.from({ length: steps + 1 }, (_, i) => i * step);
  // Float steps such as 0.1 × 3 print long: round each to the step's decimals.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return ticks.map((tick) => Number(tick.toFixed(decimals)));
}

/** Ticks at 1, 2, 5 × 10ⁿ covering [min, max] on a log axis; only powers of ten when that is too many. */
export function logTicks(min: number, max: number, maxCount = 8): number[] {
  if (!(min > 0) || !(max >= min) || !Number.isFinite(max)) return [];
  const low = Math.floor(Math.log10(min));
  const high = Math.ceil(Math.log10(max));
  const build = (mantissas: readonly number[]) => {
    const ticks: number[] = [];
    for (let power = low; power <= high; power++) {
      for (const mantissa of mantissas) ticks.push(Number((mantissa * 10 ** power).toPrecision(12)));
    }
    // Keep one tick below min and one above max so the data sits inside the ticks' span.
    const below = ticks.filter((tick) => tick <= min).at(-1) ?? ticks[0]!;
    const above = ticks.find((tick) => tick >= max) ?? ticks.at(-1)!;
    return ticks.filter((tick) => tick >= below && tick <= above);
  };
  const dense = build([1, 2, 5]);
  return dense.length <= maxCount ? dense : build([1]);
}

/** Approximate width of a tick label in pixels at `fontPx`. */
export function labelWidthPx(label: string, fontPx = 12): number {
  let em = 0;
  for (const char of label) em += /[0-9]/.test(char) ? 0.6 : /[,.\s]/.test(char) ? 0.3 : 0.62;
  return Math.ceil(em * fontPx);
}

/** The y axis's width: its longest label, the tick line and a margin, and never narrower than `minPx`. */
export function yAxisWidthPx(labels: readonly string[], minPx = 36): number {
  const widest = Math.max(0, ...labels.map((label) => labelWidthPx(label)));
  return Math.max(minPx, widest + 16);
}

export interface TickThinning {
  readonly scale: 'linear' | 'log';
  readonly domain: readonly [number, number];
  /** The axis's length in pixels. */
  readonly lengthPx: number;
  readonly label: (value: number) => string;
  /** Free space between neighbouring labels. */
  readonly gapPx?: number;
}

/** Where a value sits along the axis, in pixels from its start. */
export function positionPx(value: number, { scale, domain, lengthPx }: TickThinning): number {
  const [from, to] = domain;
  const f = (x: number) => (scale === 'log' ? Math.log(x) : x);
  if (f(to) === f(from)) return 0;
  return ((f(value) - f(from)) / (f(to) - f(from))) * lengthPx;
}

/**
 * The ticks that fit side by side without touching: the first and the last always, then from the left every
 * tick whose label clears the one kept before it (and the last one).
 */
export function thinTicks(values: readonly number[], axis: TickThinning): number[] {
  const gap = axis.gapPx ?? 8;
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length <= 2) return sorted;
  const extent = (value: number) => {
    const centre = positionPx(value, axis);
    const half = labelWidthPx(axis.label(value)) / 2;
    return { left: centre - half, right: centre + half };
  };
  const last = sorted.at(-1)!;
  const kept = [sorted[0]!];
  for (const value of sorted.slice(1, -1)) {
    const clearsPrevious = extent(value).left >= extent(kept.at(-1)!).right + gap;
    const clearsLast = extent(value).right + gap <= extent(last).left;
    if (clearsPrevious && clearsLast) kept.push(value);
  }
  if (extent(last).left >= extent(kept.at(-1)!).right + gap || kept.length === 1) kept.push(last);
  return kept;
}
