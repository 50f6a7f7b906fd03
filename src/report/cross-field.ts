/**
 * Checks of results from outside (share links, imported files) across their fields: each field can be valid
 * alone while the set is impossible (p10 above the median, a mean further from the median than one standard
 * deviation, one cell given twice). Such results are refused with the reason instead of drawn as given.
 */
import type { TrialRecord } from '../results/trial';

/** One cell's summary statistics; min and max where the source has them. */
export interface SummaryFields {
  readonly n: number;
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
  readonly mean: number;
  readonly sd: number;
  readonly min?: number;
  readonly max?: number;
}

/** Room for rounding in values that went through text and back. */
function slack(...values: number[]): number {
  return 1e-9 * Math.max(1, ...values.map(Math.abs)) + 1e-6;
}

function ordered(names: readonly string[], values: readonly number[]): string | undefined {
  for (let i = 1; i < values.length; i++) {
    if (values[i - 1]! > values[i]! + slack(values[i - 1]!, values[i]!)) {
      return `${names.join(' ≤ ')} does not hold (${names[i - 1]} ${values[i - 1]} > ${names[i]} ${values[i]})`;
    }
  }
  return undefined;
}

/**
 * Why these statistics cannot come from one set of measurements; undefined when they can. Besides the
 * orderings, any distribution's mean is within one (population) standard deviation of any median, and the
 * sample standard deviation is at least the population one.
 */
export function summaryProblem(summary: SummaryFields): string | undefined {
  const { n, median, p10, p90, mean, sd } = summary;
  if (!Number.isInteger(n) || n < 1) return `n is ${n}; a cell needs at least one measurement`;
  if (!(sd >= 0)) return `the standard deviation is ${sd}; it cannot be negative`;
  const quantiles = ordered(['p10', 'median', 'p90'], [p10, median, p90]);
  if (quantiles !== undefined) return quantiles;
  if (summary.min !== undefined && summary.max !== undefined) {
    const range = ordered(
      ['min', 'p10', 'median', 'p90', 'max'],
      [summary.min, p10, median, p90, summary.max],
    );
    if (range !== undefined) return range;
    const meanInRange = ordered(['min', 'mean', 'max'], [summary.min, mean, summary.max]);
    if (meanInRange !== undefined) return meanInRange;
  }
  if (Math.abs(mean - median) > sd + slack(mean, median, sd)) {
    return `the mean (${mean}) is further from the median (${median}) than the standard deviation (${sd}) allows`;
  }
  if (n === 1 && (sd > slack(sd) || p10 !== median || p90 !== median || mean !== median)) {
    return 'one measurement has no spread, but its p10, p90, mean or standard deviation differ from the median';
  }
  return undefined;
}

/** A cell's key: one row per quantization, prompt length, context depth and sync mode. */
export interface CellKey {
  readonly quantization: string;
  readonly promptTokens: number;
  readonly depthTokens: number;
  readonly syncMode: string;
}

/** A cell in words: "q4 at 16 tokens at depth 256 (barrier)". */
export function cellKeyText(cell: CellKey): string {
  const depth = cell.depthTokens > 0 ? ` at depth ${cell.depthTokens}` : '';
  return `${cell.quantization} at ${cell.promptTokens} tokens${depth} (${cell.syncMode})`;
}

/** The first cell given more than once, in words; undefined when every cell is given once. */
export function repeatedCell(cells: readonly CellKey[]): string | undefined {
  const seen = new Set<string>();
  for (const cell of cells) {
    const key = `${cell.quantization}|${cell.promptTokens}|${cell.depthTokens}|${cell.syncMode}`;
    if (seen.has(key)) return `${cellKeyText(cell)} is given more than once`;
    seen.add(key);
  }
  return undefined;
}

/** The parts of a trial's TTFT, which add up to it by construction (consecutive clock readings). */
const TTFT_PARTS = [
  'tokenizeMs',
  'uploadMs',
  'prefillMs',
  'gpuWaitMs',
  'readbackMs',
  'samplingMs',
] as const satisfies readonly (keyof TrialRecord)[];

/** Imported trials (CSV, JSON): each trial once per run, and each trial's parts adding up to its TTFT. */
export function trialsProblem(trials: readonly TrialRecord[]): string | undefined {
  const seen = new Set<string>();
  for (const trial of trials) {
    const key = `${trial.runId}|${trial.trialIndex}`;
    if (seen.has(key)) return `trial ${trial.trialIndex} of run ${trial.runId} is given more than once`;
    seen.add(key);
    const parts = TTFT_PARTS.reduce((sum, part) => sum + trial[part], 0);
    // Each part and the total went through text once: allow for their rounding, nothing more.
    if (Math.abs(parts - trial.ttftMs) > 1e-3 + 1e-9 * trial.ttftMs) {
      return (
        `trial ${trial.trialIndex}: its parts (tokenize … sampling) add up to ${parts} ms, ` +
        `not its TTFT of ${trial.ttftMs} ms`
      );
    }
  }
  return undefined;
}
