/**
 * Runs shown beside this page's own run: a shared link's results, or a CSV/JSON file from another machine.
 * Everything is reduced to per-cell summaries, the one shape all three sources can give.
 */
import { modelLabel } from '../config/model-ref';
import { summarizeCells } from '../bench/summary';
import type { FirstTokenArgmax, LmHead, SyncMode, TokenReadback } from '../config/sweep-config';
import type { GraphForm, QkvProjection } from '../model/graph-form';
import type { PresetId, Quantization } from '../model/config';
import { tryParseTrialsCsv } from '../results/csv';
import { parseRunJson } from '../results/run-json';
import { toSharedCell, type SharedCell, type SharedRun } from './share-link';
import { trialsProblem } from './cross-field';
import type { TrialRecord } from '../results/trial';

export interface ComparedRun {
  readonly id: string;
  /** What the legend and tables call it: a file name, "shared run", or a shipped reference's name. */
  readonly label: string;
  readonly origin: 'shared' | 'file' | 'reference';
  /** Where it was measured (adapter · browser · os), as its author's page reported it. */
  readonly environment: string;
  readonly model: string;
  readonly cells: readonly SharedCell[];
  /** A run shipped with the page (public/reference/): what it measured, and what it is in words. */
  readonly reference?: ReferenceFacts;
  /** Why its ratios are not like for like (another model than the run on screen); absent when they are. */
  readonly caution?: string;
}

export interface ReferenceFacts {
  readonly preset: PresetId;
  readonly lmHeads: readonly LmHead[];
  readonly graphs: readonly GraphForm[];
  /** The MatMulNBits accuracy levels its 4-bit variants ran with (none where it measured no 4-bit variant). */
  readonly accuracyLevels: readonly number[];
  /** The q/k/v projections of its fused float and int8 variants (none where it measured no such variant). */
  readonly qkvs: readonly QkvProjection[];
  /** Where its first tokens were picked. */
  readonly firstTokenArgmaxes: readonly FirstTokenArgmax[];
  /** When its barrier trials read the first token back (none where it ran no barrier trial). */
  readonly tokenReadbacks: readonly TokenReadback[];
  /** GPU, browser, date, model and settings, in one sentence. */
  readonly about: string;
}

/** What a chart's x axis shows: the prompt length (one line per depth) or the depth (one line per length). */
export type ChartAxis = 'prompt' | 'depth';

export interface SeriesPoint {
  /** The point's position on the chosen axis: its prompt length or its depth. */
  readonly x: number;
  readonly promptTokens: number;
  readonly depthTokens: number;
  readonly medianMs: number;
  readonly p10Ms: number;
  readonly p90Ms: number;
}

export interface CellSeries {
  readonly quantization: Quantization;
  readonly syncMode: SyncMode;
  /** The other dimension, the same along the series: the depth (prompt axis) or the prompt length. */
  readonly fixedTokens: number;
  readonly points: readonly SeriesPoint[];
}

/** One series per quantization, sync mode and fixed other dimension, points sorted along the axis. */
export function seriesFromCells(cells: readonly SharedCell[], axis: ChartAxis = 'prompt'): CellSeries[] {
  const bySeries = new Map<
    string,
    { quantization: Quantization; syncMode: SyncMode; fixedTokens: number; points: SeriesPoint[] }
  >();
  for (const cell of cells) {
    const [x, fixedTokens] =
      axis === 'prompt' ? [cell.promptTokens, cell.depthTokens] : [cell.depthTokens, cell.promptTokens];
    const key = `${cell.quantization}|${cell.syncMode}|${fixedTokens}`;
    const series = bySeries.get(key) ?? {
      quantization: cell.quantization,
      syncMode: cell.syncMode,
      fixedTokens,
      points: [],
    };
    series.points.push({
      x,
      promptTokens: cell.promptTokens,
      depthTokens: cell.depthTokens,
      medianMs: cell.medianMs,
      p10Ms: cell.p10Ms,
      p90Ms: cell.p90Ms,
    });
    bySeries.set(key, series);
  }
  return [...bySeries.values()]
    .sort((a, b) => a.fixedTokens - b.fixedTokens)
    .map((series) => ({ ...series, points: [...series.points].sort((a, b) => a.x - b.x) }));
}

/** The depths a set of cells was measured at, ascending. */
export function depthsOf(cells: readonly SharedCell[]): number[] {
  return [...new Set(cells.map((cell) => cell.depthTokens))].sort((a, b) => a - b);
}

export function comparedRunFromShared(run: SharedRun, id: string): ComparedRun | undefined {
  if (run.results === undefined) return undefined;
  const { environment } = run.results;
  return {
    id,
    label: 'shared run',
    origin: 'shared',
    environment: `${environment.adapter} · ${environment.browser} · ${environment.os}`,
    model: modelLabel(run.config.model),
    cells: run.results.cells,
  };
}

export type ImportResult =
  { readonly ok: true; readonly run: ComparedRun } | { readonly ok: false; readonly message: string };

/** A file's trials as a compared run: per-cell summaries of its timed repetitions, after a consistency check. */
export function comparedRunFromTrials(
  trials: readonly TrialRecord[],
  label: string,
  id: string,
): ImportResult {
  const inconsistent = trialsProblem(trials);
  if (inconsistent !== undefined) {
    return { ok: false, message: `${label}: these trials cannot be right (${inconsistent}); not imported.` };
  }
  const cells = summarizeCells(trials).map(toSharedCell);
  if (cells.length === 0) {
    return {
      ok: false,
      message: `${label}: no timed repetitions to compare (only warm-ups, or no trials).`,
    };
  }
  const first = trials[0]!;
  const models = [...new Set(trials.map((trial) => trial.model))];
  return {
    ok: true,
    run: {
      id,
      label,
      origin: 'file',
      environment: `${first.adapter} · ${first.browser} · ${first.os}`,
      model: models.join(', '),
      cells,
    },
  };
}

/** Reads a trials CSV or a run JSON file exported by this app (on any machine); never throws. */
export function importRunFile(fileName: string, text: string, id: string): ImportResult {
  const label = fileName.trim() === '' ? 'imported file' : fileName;
  const looksJson = /\.json$/i.test(fileName) || text.trimStart().startsWith('{');
  if (looksJson) {
    const parsed = parseRunJson(text);
    if (!parsed.ok) return { ok: false, message: `${label}: ${parsed.message}` };
    return comparedRunFromTrials(parsed.run.trials, label, id);
  }
  const parsed = tryParseTrialsCsv(text);
  if (!parsed.ok) return { ok: false, message: `${label}: ${parsed.message}` };
  return comparedRunFromTrials(parsed.trials, label, id);
}

export interface ComparisonRow {
  readonly quantization: Quantization;
  readonly promptTokens: number;
  readonly depthTokens: number;
  readonly syncMode: SyncMode;
  readonly theirMedianMs: number;
  /** This page's median for the same cell, when it measured one. */
  readonly ownMedianMs: number | undefined;
  /** theirs / ours: above 1 means the other run was slower. */
  readonly ratio: number | undefined;
}

/** The other run's cells, each matched with this run's cell of the same quantization, length, depth and sync mode. */
export function compareCells(own: readonly SharedCell[], other: readonly SharedCell[]): ComparisonRow[] {
  const key = (cell: SharedCell) =>
    `${cell.quantization}|${cell.promptTokens}|${cell.depthTokens}|${cell.syncMode}`;
  const ownByKey = new Map(own.map((cell) => [key(cell), cell]));
  return other.map((cell) => {
    const mine = ownByKey.get(key(cell));
    return {
      quantization: cell.quantization,
      promptTokens: cell.promptTokens,
      depthTokens: cell.depthTokens,
      syncMode: cell.syncMode,
      theirMedianMs: cell.medianMs,
      ownMedianMs: mine?.medianMs,
      ratio: mine === undefined || mine.medianMs === 0 ? undefined : cell.medianMs / mine.medianMs,
    };
  });
}

/**
 * A ratio for people: two decimals, or two significant digits below 0.1, where two decimals would read 0.00×
 * (an H200 reference beside a software adapter is thousands of times faster).
 */
export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined) return '—';
  return `${ratio >= 0.1 || ratio === 0 ? ratio.toFixed(2) : ratio.toPrecision(2)}×`;
}
