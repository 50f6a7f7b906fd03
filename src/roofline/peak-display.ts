/**
 * How measured peaks are shown. The measured peak is the best this browser reaches with our kernels on this
 * GPU, never the hardware's limit, and a run that beats it means the measurement was low (clocks down, a
 * busy GPU), not that the model did the impossible: such a cell says so instead of showing a percentage over
 * 100. A data sheet's figures, entered by the user, can be set beside the measured ones.
 */
import type { KernelOutcome, MatmulPeak, SeriesPeak } from './device-peaks';
import { AGREEMENT } from './peak-stability';

/** Three significant digits in the largest unit that keeps the number at least 1. */
export function formatRate(perSecond: number, unit: 'FLOP/s' | 'B/s'): string {
  const [scale, prefix] = perSecond >= 1e12 ? [1e12, 'T'] : perSecond >= 1e9 ? [1e9, 'G'] : [1e6, 'M'];
  const value = perSecond / scale;
  return `${value >= 100 ? value.toFixed(0) : value.toPrecision(3)} ${prefix}${unit}`;
}

function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction < 0.1 ? 2 : 1)}%`;
}

/** A fraction of a peak as a table cell shows it: a percentage up to 100, and what it means above. */
export type FractionCell =
  | { readonly kind: 'percent'; readonly text: string }
  | { readonly kind: 'above-peak'; readonly text: string };

export function fractionCell(fraction: number, of: 'measured' | 'data-sheet'): FractionCell {
  if (fraction <= 1) return { kind: 'percent', text: formatPercent(fraction) };
  return { kind: 'above-peak', text: of === 'measured' ? 'above measured peak' : 'above data-sheet peak' };
}

const kernelName = (peak: { readonly kernel: string; readonly detail: string | undefined }) =>
  peak.detail === undefined ? `${peak.kernel} kernel` : `${peak.kernel} kernel, ${peak.detail}`;

export function describeMatmulPeak(peak: MatmulPeak): string {
  return `${formatRate(peak.perSecond, 'FLOP/s')} (${kernelName(peak)}, ${peak.size}³)`;
}

/** Whether the figure's series agreed, with the numbers either way. */
export function describeAgreement(peak: SeriesPeak, unit: 'FLOP/s' | 'B/s'): string {
  const last = peak.series.slice(-2).map((value) => formatRate(value, unit));
  const tolerance = `${AGREEMENT.tolerance * 100}%`;
  if (peak.agreement === 'agreed') {
    const earlier = peak.series.length > 2 ? ` (after ${peak.series.length - 2} that did not)` : '';
    return `the last two series agree within ${tolerance}: ${last.join(' and ')}${earlier}`;
  }
  return `unstable: ${peak.series.length} series never agreed within ${tolerance}; the last two read ${last.join(' and ')}`;
}

export function describeKernelOutcome(outcome: KernelOutcome): string {
  const name = outcome.detail === undefined ? outcome.kernel : `${outcome.kernel} (${outcome.detail})`;
  return outcome.result.kind === 'measured'
    ? `${name} ${outcome.precision}: ${formatRate(outcome.result.flopsPerSecond, 'FLOP/s')}`
    : `${name} ${outcome.precision}: left out — ${outcome.result.reason}`;
}

/** A data sheet's figures, as the user entered them. */
export interface DataSheetPeaks {
  readonly flopsPerSecond: number | undefined;
  readonly bytesPerSecond: number | undefined;
}

/** The largest figures accepted: beyond any GPU, so a typo in the unit is caught. */
export const DATA_SHEET_MAX = { teraFlopsPerSecond: 100_000, gigaBytesPerSecond: 100_000 } as const;

export type DataSheetField =
  | { readonly kind: 'empty' }
  | { readonly kind: 'value'; readonly value: number }
  | { readonly kind: 'invalid'; readonly message: string };

/** One entered figure (TFLOP/s or GB/s): empty, a positive number up to `max`, or why not. */
export function parseDataSheetField(text: string, max: number): DataSheetField {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'empty' };
  if (!/^\d+(\.\d+)?([eE][+-]?\d+)?$|^\.\d+$/.test(trimmed)) {
    return { kind: 'invalid', message: 'enter a number, like 67 or 4800' };
  }
  const value = Number(trimmed);
  if (!(value > 0)) return { kind: 'invalid', message: 'must be more than 0' };
  if (value > max) return { kind: 'invalid', message: `must be at most ${max}` };
  return { kind: 'value', value };
}

export function dataSheetPeaks(tflops: DataSheetField, gbps: DataSheetField): DataSheetPeaks {
  return {
    flopsPerSecond: tflops.kind === 'value' ? tflops.value * 1e12 : undefined,
    bytesPerSecond: gbps.kind === 'value' ? gbps.value * 1e9 : undefined,
  };
}

/**
 * The measured peaks as shares of the data sheet's; a measured figure above the sheet's means the figure
 * entered is not this GPU's (or not for this precision), and is said so.
 */
export function describeAgainstDataSheet(
  measured: { readonly flopsPerSecond: number; readonly bytesPerSecond: number },
  sheet: DataSheetPeaks,
): string | undefined {
  const share = (what: string, value: number, of: number) =>
    value <= of
      ? `${what} is ${formatPercent(value / of)} of it`
      : `${what} is above it (is the figure entered this GPU's, for this precision?)`;
  const parts: string[] = [];
  if (sheet.flopsPerSecond !== undefined) {
    parts.push(share('the measured f32 multiply peak', measured.flopsPerSecond, sheet.flopsPerSecond));
  }
  if (sheet.bytesPerSecond !== undefined) {
    parts.push(share('the measured bandwidth', measured.bytesPerSecond, sheet.bytesPerSecond));
  }
  return parts.length === 0 ? undefined : `Against the data sheet: ${parts.join('; ')}.`;
}

/** A prefill against the data sheet: achieved over its FLOP/s, and its roofline bound over the measured time. */
export function dataSheetFractions(
  point: { readonly flops: number; readonly achievedFlopsPerSecond: number },
  weightBytes: number,
  gpuTimeMs: number,
  sheet: DataSheetPeaks,
): { readonly ofPeak: number | undefined; readonly ofRoofline: number | undefined } {
  const { flopsPerSecond, bytesPerSecond } = sheet;
  if (flopsPerSecond === undefined) return { ofPeak: undefined, ofRoofline: undefined };
  const boundMs = Math.max(
    (point.flops / flopsPerSecond) * 1000,
    bytesPerSecond === undefined ? 0 : (weightBytes / bytesPerSecond) * 1000,
  );
  return {
    ofPeak: point.achievedFlopsPerSecond / flopsPerSecond,
    ofRoofline: bytesPerSecond === undefined ? undefined : boundMs / gpuTimeMs,
  };
}
