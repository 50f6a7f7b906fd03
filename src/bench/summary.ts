/** Per-cell summaries (quantization × context depth × prompt length × sync mode) of the timed trials. */
import type { Quantization } from '../model/config';
import { QUANTIZATIONS } from '../model/config';
import type { TrialRecord } from '../results/trial';
import { SYNC_MODES, type SyncMode } from '../config/sweep-config';
import {
  coefficientOfVariation,
  HIGH_CV,
  madOutliers,
  medianConfidenceInterval,
  type MedianInterval,
} from './robust';
import { summarize, type Summary } from './statistics';

export interface CellSummary {
  readonly quantization: Quantization;
  readonly promptTokens: number;
  /** Tokens already in the KV cache when the prompt ran (0: a fresh prompt). */
  readonly depthTokens: number;
  readonly syncMode: SyncMode;
  readonly ttftMs: Summary;
  /** Distribution-free interval of the median TTFT, with the confidence it achieves. */
  readonly medianCiMs: MedianInterval;
  /** Coefficient of variation of TTFT (sd / mean). */
  readonly cv: number;
  /** True when cv exceeds 10%: the median needs more repetitions to be trusted. */
  readonly unstable: boolean;
  /** Trial indexes (in this app's run) whose TTFT is an outlier by median absolute deviation. */
  readonly outlierTrialIndexes: readonly number[];
  /** Medians of each part of TTFT over the same trials. */
  readonly medianPartsMs: {
    readonly tokenize: number;
    readonly upload: number;
    readonly prefill: number;
    readonly gpuWait: number;
    readonly readback: number;
    readonly sampling: number;
  };
  /** Median GPU span of the prefill by timestamp queries (undefined without timestamp-query). */
  readonly gpuSpanMedianMs: number | undefined;
  /** Prompt tokens per second of median TTFT. */
  readonly prefillTokensPerSecond: number;
  /** Decode after the first token, when measured: medians over trials of each trial's per-token times. */
  readonly decode:
    | { readonly msPerTokenMedian: number; readonly msPerTokenP90: number; readonly tokensPerSecond: number }
    | undefined;
  /** The greedy first tokens seen in this cell (one value when the runs agree, as they should). */
  readonly firstTokenIds: readonly number[];
}

function median(values: readonly number[]): number {
  return summarize(values).median;
}

function spanMedian(cell: readonly TrialRecord[]): number | undefined {
  const spans = cell.flatMap((trial) => (trial.gpuSpanMs === undefined ? [] : [trial.gpuSpanMs]));
  return spans.length === 0 ? undefined : median(spans);
}

function decodeSummary(cell: readonly TrialRecord[]): CellSummary['decode'] {
  const decoded = cell.filter((trial) => trial.decodeTokens > 0);
  if (decoded.length === 0) return undefined;
  const msPerTokenMedian = median(decoded.map((trial) => trial.decodeMsPerTokenMedian));
  return {
    msPerTokenMedian,
    msPerTokenP90: median(decoded.map((trial) => trial.decodeMsPerTokenP90)),
    tokensPerSecond: 1000 / msPerTokenMedian,
  };
}

export function summarizeCells(trials: readonly TrialRecord[]): CellSummary[] {
  const cells = new Map<string, TrialRecord[]>();
  for (const trial of trials) {
    if (trial.phase !== 'warm') continue;
    const key = `${trial.quantization}|${trial.promptTokens}|${trial.depthTokens}|${trial.syncMode}`;
    const cell = cells.get(key) ?? [];
    cell.push(trial);
    cells.set(key, cell);
  }
  const summaries = [...cells.values()].map((cell): CellSummary => {
    const first = cell[0]!;
    const ttftValues = cell.map((trial) => trial.ttftMs);
    const ttftMs = summarize(ttftValues);
    const cv = coefficientOfVariation(ttftMs.mean, ttftMs.stdDev);
    return {
      quantization: first.quantization,
      promptTokens: first.promptTokens,
      depthTokens: first.depthTokens,
      syncMode: first.syncMode,
      ttftMs,
      medianCiMs: medianConfidenceInterval(ttftValues),
      cv,
      unstable: cv > HIGH_CV,
      outlierTrialIndexes: madOutliers(ttftValues).map((index) => cell[index]!.trialIndex),
      medianPartsMs: {
        tokenize: median(cell.map((trial) => trial.tokenizeMs)),
        upload: median(cell.map((trial) => trial.uploadMs)),
        prefill: median(cell.map((trial) => trial.prefillMs)),
        gpuWait: median(cell.map((trial) => trial.gpuWaitMs)),
        readback: median(cell.map((trial) => trial.readbackMs)),
        sampling: median(cell.map((trial) => trial.samplingMs)),
      },
      prefillTokensPerSecond: first.promptTokens / (ttftMs.median / 1000),
      decode: decodeSummary(cell),
      gpuSpanMedianMs: spanMedian(cell),
      firstTokenIds: [...new Set(cell.map((trial) => trial.firstTokenId))],
    };
  });
  return summaries.sort(
    (a, b) =>
      QUANTIZATIONS.indexOf(a.quantization) - QUANTIZATIONS.indexOf(b.quantization) ||
      SYNC_MODES.indexOf(a.syncMode) - SYNC_MODES.indexOf(b.syncMode) ||
      a.depthTokens - b.depthTokens ||
      a.promptTokens - b.promptTokens,
  );
}

/** TTFT of each session's first inference, per quantization. */
export function coldTtftMs(trials: readonly TrialRecord[]): Map<Quantization, number> {
  const cold = new Map<Quantization, number>();
  for (const trial of trials) if (trial.phase === 'cold') cold.set(trial.quantization, trial.ttftMs);
  return cold;
}
