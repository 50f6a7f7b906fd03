/**
 * What a run will cost before it starts: the trials its plan holds and an estimated duration, from earlier
 * trials of the same model and level on this machine where there are some, else from the model's FLOPs and
 * weight bytes at a throughput for this kind of adapter. Pure, so the pre-run line, the confirmation and a
 * progress ETA all use the same numbers. The estimate is rough by nature and says what it rests on.
 */
import type { SweepConfig } from '../config/sweep-config';
import type { Quantization } from '../model/config';
import type { TrialRecord } from '../results/trial';
import { prefillFlops, type PrefillShape } from './prefill-flops';
import { countTrials, planSweep } from '../bench/plan';
import { planResume } from '../bench/resume';

/** Runs above either bound ask before they start. */
export const CONFIRM_ABOVE_MS = 10 * 60_000;
export const CONFIRM_ABOVE_TRIALS = 2000;

/** Bytes of UTF-8 per token assumed for a custom prompt before it is tokenized (English runs 4–5). */
export const CUSTOM_PROMPT_BYTES_PER_TOKEN = 4;

/** How fast this adapter is assumed to be, and where the figures come from. */
export interface Throughput {
  /** Effective FLOP/s of a prefill (not the peak: kernels reach a fraction of it). */
  readonly flopsPerSecond: number;
  /** Effective bytes/s of reading weights (a decode step reads them all once). */
  readonly weightBytesPerSecond: number;
  /** Bytes/s of building, reading or downloading a variant's files, plus session creation. */
  readonly loadBytesPerSecond: number;
  readonly basis: string;
}

/**
 * Assumed throughputs. Software (SwiftShader, a CPU): the tiny model's fp32 prefills ran at about 0.35 GFLOP/s
 * and its memory copy at 2.3 GB/s on the CI machine (README). Hardware: a deliberately modest GPU, so the
 * estimate errs long; earlier trials replace both as soon as there are some.
 */
export const SOFTWARE_THROUGHPUT: Throughput = {
  flopsPerSecond: 0.35e9,
  weightBytesPerSecond: 2e9,
  loadBytesPerSecond: 20e6,
  basis: 'software adapter (figures measured on SwiftShader)',
};
export const HARDWARE_THROUGHPUT: Throughput = {
  flopsPerSecond: 0.5e12,
  weightBytesPerSecond: 100e9,
  loadBytesPerSecond: 200e6,
  basis: 'a modest GPU (no earlier trials here yet)',
};

/** Per trial, besides the prefill: tokenizing, uploading inputs, the barrier, readback and argmax. */
const TRIAL_OVERHEAD_MS = 5;
/** Per variant, besides its bytes: session setup and shader compilation. */
const LOAD_OVERHEAD_MS = 2000;

/** A trial measured earlier on this machine (same model and adapter): the estimate's best evidence. */
export type EarlierTrial = Pick<
  TrialRecord,
  | 'quantization'
  | 'promptTokens'
  | 'depthTokens'
  | 'phase'
  | 'ttftMs'
  | 'decodeTokens'
  | 'decodeMsPerTokenMedian'
>;

export interface CostRequest {
  readonly config: SweepConfig;
  /** For FLOPs: the model's shape (a preset's config or config.json). */
  readonly shape: PrefillShape;
  /** Weight bytes per level (the admission footprint's). */
  readonly weightBytes: ReadonlyMap<Quantization, number>;
  readonly throughput: Throughput;
  /** Earlier trials of the same model on this machine, any run; none is fine. */
  readonly earlier?: readonly EarlierTrial[];
  /** A resumed run's trials: only what is missing is planned. */
  readonly done?: readonly TrialRecord[];
}

export interface CostEstimate {
  readonly plannedTrials: number;
  readonly estimatedMs: number;
  /** Building or fetching and loading every level. */
  readonly loadMs: number;
  /** What the time rests on, in words. */
  readonly basis: string;
  /** Over 10 minutes or 2,000 trials: ask before starting. */
  readonly needsConfirmation: boolean;
}

/** The prompt lengths a run will measure; a custom prompt's is estimated from its UTF-8 size. */
export function plannedPromptLengths(config: SweepConfig): number[] {
  if (config.customPrompt === undefined) return [...config.promptLengths];
  const bytes = new TextEncoder().encode(config.customPrompt).byteLength;
  return [Math.max(1, Math.ceil(bytes / CUSTOM_PROMPT_BYTES_PER_TOKEN))];
}

/**
 * A level's TTFT model from earlier trials: the time per prefill FLOP, fitted through the origin on the
 * timed trials (least squares). Undefined without any.
 */
function fittedMsPerFlop(
  earlier: readonly EarlierTrial[],
  quantization: Quantization,
  flopsAt: (promptTokens: number, depthTokens: number) => number,
): number | undefined {
  let numerator = 0;
  let denominator = 0;
  for (const trial of earlier) {
    if (trial.quantization !== quantization || trial.phase !== 'warm' || !(trial.ttftMs > 0)) continue;
    const flops = flopsAt(trial.promptTokens, trial.depthTokens);
    numerator += flops * trial.ttftMs;
    denominator += flops * flops;
  }
  return denominator > 0 ? numerator / denominator : undefined;
}

function earlierDecodeMsPerToken(
  earlier: readonly EarlierTrial[],
  quantization: Quantization,
): number | undefined {
  const values = earlier
    .filter((t) => t.quantization === quantization && t.decodeTokens > 0 && t.decodeMsPerTokenMedian > 0)
    .map((t) => t.decodeMsPerTokenMedian)
    .sort((a, b) => a - b);
  return values.length === 0 ? undefined : values[Math.floor(values.length / 2)];
}

export function estimateRunCost(request: CostRequest): CostEstimate {
  const { config, shape, throughput } = request;
  const earlier = request.earlier ?? [];
  const fullPlan = planSweep(config, plannedPromptLengths(config));
  const plan = request.done === undefined ? fullPlan : planResume(fullPlan, request.done);
  // A trial at a context depth also attends to the context (its untimed prefix prefill is not counted).
  const flopsAt = (promptTokens: number, depthTokens: number) =>
    prefillFlops(shape, { promptTokens, lmHead: config.lmHead, contextTokens: depthTokens }).total;
  const perLevel = new Map<Quantization, { msPerFlop: number | undefined; decodeMs: number }>();
  let fromEarlier = 0;
  for (const quantization of config.quantizations) {
    const msPerFlop = fittedMsPerFlop(earlier, quantization, flopsAt);
    if (msPerFlop !== undefined) fromEarlier++;
    const weights = request.weightBytes.get(quantization) ?? 0;
    const decodeMs =
      earlierDecodeMsPerToken(earlier, quantization) ?? (weights / throughput.weightBytesPerSecond) * 1000;
    perLevel.set(quantization, { msPerFlop, decodeMs });
  }
  let trialsMs = 0;
  let loadMs = 0;
  for (const item of plan) {
    if (item.kind === 'load') {
      const bytes = request.weightBytes.get(item.quantization) ?? 0;
      loadMs += LOAD_OVERHEAD_MS + (bytes / throughput.loadBytesPerSecond) * 1000;
      continue;
    }
    if (item.kind !== 'trial') continue;
    const level = perLevel.get(item.quantization)!;
    const flops = flopsAt(item.promptTokens, item.depthTokens);
    const prefillMs =
      level.msPerFlop !== undefined
        ? level.msPerFlop * flops
        : (flops / throughput.flopsPerSecond) * 1000 +
          ((request.weightBytes.get(item.quantization) ?? 0) / throughput.weightBytesPerSecond) * 1000 +
          TRIAL_OVERHEAD_MS;
    trialsMs += prefillMs + config.decodeTokens * level.decodeMs;
  }
  const plannedTrials = countTrials(plan);
  const estimatedMs = trialsMs + loadMs;
  const levels = config.quantizations.length;
  const basis =
    fromEarlier === levels
      ? 'earlier trials of this model on this machine'
      : fromEarlier > 0
        ? `earlier trials for ${fromEarlier} of ${levels} levels, the model's FLOPs at ${throughput.basis} for the rest`
        : `the model's FLOPs at ${throughput.basis}`;
  return {
    plannedTrials,
    estimatedMs,
    loadMs,
    basis,
    needsConfirmation: plannedTrials > CONFIRM_ABOVE_TRIALS || estimatedMs > CONFIRM_ABOVE_MS,
  };
}

/** "about 25 min", "about 40 s", "about 3.2 h": a rough duration for people. */
export function formatEstimate(ms: number): string {
  if (ms < 60_000) return `about ${Math.max(1, Math.round(ms / 1000))} s`;
  if (ms < 3_600_000) return `about ${Math.round(ms / 60_000)} min`;
  if (ms < 48 * 3_600_000) return `about ${(ms / 3_600_000).toFixed(1)} h`;
  return `about ${Math.round(ms / 86_400_000).toLocaleString('en-US')} days`;
}
