/**
 * What a run will cost before it starts (its planned trials and an estimated duration), and what is left of it
 * while it runs. Time per trial is learned (src/bench/trial-time.ts) from this run's trials, else from earlier
 * runs of the same model on this adapter, else guessed from the model's prefill FLOPs and the kind of adapter.
 *
 * The guesses, and where their numbers come from:
 * - software adapter: SwiftShader on the 2-core CI machine, tiny model (README): fp32 1.83 s at 16 tokens and
 *   3.17 s at 64, q4 0.58 and 1.19 s, i.e. 1.4 s + 1.7 ms per MFLOP for float weights and 0.37 s + 0.78 ms per
 *   MFLOP for quantized ones; a cold fp32 session's first trial adds seconds of shader compilation;
 * - GPU: a fixed cost per prefill (~15 ms at 3 layers on an H200, notes/ort-research.md) plus the FLOPs at an
 *   assumed 2 TFLOP/s. Not measured on a GPU yet: it is labelled a rough guess, and the first run replaces it;
 * - loading: building a built-in model takes ~35 ns per float weight and ~300 ns per quantized weight on the CI
 *   machine's CPU; creating a session on SwiftShader ~67 ms per MiB of float weights (shader compilation and
 *   upload), ~3 ms per MiB of quantized ones; on a GPU 0.3 s plus 1 GB/s of upload. Downloads are not counted.
 *
 * Interface for the cost model of issue 18 (branch security): estimateRun(config, context) → { trials, seconds,
 * basis }; the two are to be merged.
 */
import { planSweep, type PlanItem } from '../bench/plan';
import { planResume } from '../bench/resume';
import {
  fitTrialTimes,
  predictTrialsMs,
  timedTrialOf,
  type PlannedTrial,
  type TimePrior,
  type TrialTimeModel,
} from '../bench/trial-time';
import type { SweepConfig } from '../config/sweep-config';
import type { LlamaConfig } from '../model/config';
import { quantizationLevel, type Quantization } from '../model/quantization';
import type { TrialRecord, VariantLoadRecord } from '../results/trial';
import { prefillFlops, type PrefillShape } from '../roofline/prefill-flops';

/** What the estimate knows besides the configuration. */
export interface EstimateContext {
  /** A CPU implementation of WebGPU (softwareAdapterReason, src/bench/adapter-identity.ts). */
  readonly software: boolean;
  /** The model's shape (a preset's config, or a repository's config.json); undefined when not known yet. */
  readonly shape: PrefillShape | undefined;
  /** Bytes of each variant's weights, where known (the form's sizes). */
  readonly variantBytes: (quantization: Quantization) => number | undefined;
  /** Trials and loads of earlier runs of this model on this adapter. */
  readonly earlierTrials: readonly TrialRecord[];
  readonly earlierLoads: readonly VariantLoadRecord[];
}

export type EstimateBasis = 'earlier-runs' | 'partly-earlier-runs' | 'guess';

export interface RunEstimate {
  /** Trials the plan runs: warm-ups and cold runs included. */
  readonly trials: number;
  readonly seconds: number;
  /** Of which loading (building or fetching the models, creating sessions). */
  readonly loadSeconds: number;
  readonly basis: EstimateBasis;
  /** The basis in words, for the page. */
  readonly basisText: string;
}

const MiB = 2 ** 20;

/** Weights stored as integers (int8, uint8, q4, bnb4…) rather than floats. */
function isQuantized(quantization: Quantization): boolean {
  return quantizationLevel(quantization).weightBits <= 8;
}

/** The a priori time of one trial, from the model's FLOPs (or its tokens when the shape is unknown). */
export function flopsPrior(
  config: SweepConfig,
  context: Pick<EstimateContext, 'software' | 'shape'>,
): TimePrior {
  const { shape, software } = context;
  // Without a shape, a 1B-parameter-like cost per token keeps the guess's order of magnitude.
  const flops = (promptTokens: number) =>
    shape === undefined ? 2.5e9 * promptTokens : prefillFlops(shape, promptTokens, config.lmHead).total;
  const layers = shape?.numLayers ?? 16;
  return {
    work: flops,
    steadyMs(quantization, syncMode, promptTokens) {
      const work = flops(promptTokens);
      const barrierMs = software
        ? isQuantized(quantization)
          ? 370 + 0.78e-6 * work
          : 1400 + 1.7e-6 * work
        : 15 + 0.5 * layers + work / 2e9;
      // Without a barrier the clock stops when session.run returns (~20× less on SwiftShader).
      return syncMode === 'none' ? barrierMs / 20 : barrierMs;
    },
    coldExtraMs: (quantization) => (software ? (isQuantized(quantization) ? 0 : 4000) : 1000),
    newLengthExtraMs: () => (software ? 0 : 100),
  };
}

/** A prior that is another fit (earlier runs'), keeping the work measure of the prior below it. */
function priorFromModel(model: TrialTimeModel, below: TimePrior): TimePrior {
  return {
    work: below.work,
    steadyMs: (quantization, syncMode, promptTokens) =>
      model.predictMs({ quantization, syncMode, promptTokens, phase: 'warm' }, false),
    coldExtraMs: (quantization) =>
      model.predictMs({ quantization, syncMode: 'barrier', promptTokens: 16, phase: 'cold' }, false) -
      model.predictMs({ quantization, syncMode: 'barrier', promptTokens: 16, phase: 'warm' }, false),
    newLengthExtraMs: (quantization) =>
      model.predictMs({ quantization, syncMode: 'barrier', promptTokens: 16, phase: 'warmup' }, true) -
      model.predictMs({ quantization, syncMode: 'barrier', promptTokens: 16, phase: 'warmup' }, false),
  };
}

/** Parameters of a built-in shape by storage: integer-quantized linear weights, and the float rest. */
function builtInParameters(shape: LlamaConfig | PrefillShape): { linear: number; other: number } {
  const h = shape.hiddenSize;
  const q = shape.numAttentionHeads * shape.headDim;
  const kv = shape.numKeyValueHeads * shape.headDim;
  const perLayer = h * (2 * q + 2 * kv) + 3 * h * shape.intermediateSize;
  return {
    linear: shape.numLayers * perLayer + h * shape.vocabSize,
    other: h * shape.vocabSize + (2 * shape.numLayers + 1) * h,
  };
}

/** The a priori time to load one variant (build or read, then create its session). */
function loadPriorMs(config: SweepConfig, context: EstimateContext, quantization: Quantization): number {
  const bytes = context.variantBytes(quantization) ?? 0;
  let prepareMs = 0;
  if (config.model.kind === 'builtin' && context.shape !== undefined) {
    const { linear, other } = builtInParameters(context.shape);
    prepareMs = isQuantized(quantization) ? other * 35e-6 + linear * 300e-6 : (linear + other) * 35e-6;
  }
  const sessionMs = context.software
    ? (bytes / MiB) * (isQuantized(quantization) ? 3 : 67)
    : 300 + bytes / 1e6;
  return prepareMs + sessionMs;
}

function medianOf(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One variant's load time: earlier runs' median where there are some, else the guess. */
function loadMs(config: SweepConfig, context: EstimateContext, quantization: Quantization): number {
  const earlier = medianOf(
    context.earlierLoads
      .filter((load) => load.quantization === quantization)
      .map((load) => load.prepareMs + load.sessionCreateMs),
  );
  return earlier ?? loadPriorMs(config, context, quantization);
}

/** The prompt lengths a configuration runs; a custom prompt's is guessed at 4 characters a token until known. */
function lengthsOf(config: SweepConfig, measured: readonly TrialRecord[] = []): number[] {
  if (config.customPrompt === undefined) return [...config.promptLengths];
  const known = measured[0]?.promptTokens;
  return [known ?? Math.max(1, Math.round(config.customPrompt.length / 4))];
}

function plannedTrials(plan: readonly PlanItem[]): PlannedTrial[] {
  return plan.flatMap((item) => (item.kind === 'trial' ? [item] : []));
}

/** The prior this run's fit starts from: earlier runs' fit over the FLOPs guess. */
function runPrior(config: SweepConfig, context: EstimateContext): { prior: TimePrior; basis: EstimateBasis } {
  const guess = flopsPrior(config, context);
  const earlier = context.earlierTrials.filter((trial) => config.quantizations.includes(trial.quantization));
  if (earlier.length === 0) return { prior: guess, basis: 'guess' };
  const covered = config.quantizations.every((quantization) =>
    earlier.some((trial) => trial.quantization === quantization),
  );
  const model = fitTrialTimes(earlier.map(timedTrialOf), guess);
  return { prior: priorFromModel(model, guess), basis: covered ? 'earlier-runs' : 'partly-earlier-runs' };
}

function basisText(basis: EstimateBasis, context: EstimateContext, config: SweepConfig): string {
  const downloads = config.model.kind === 'hub' ? ', not counting downloads' : '';
  switch (basis) {
    case 'earlier-runs':
      return `from ${context.earlierTrials.length} earlier trials of this model on this adapter${downloads}`;
    case 'partly-earlier-runs':
      return `partly from earlier trials of this model on this adapter, partly a rough guess${downloads}`;
    case 'guess':
      return context.software
        ? `a rough guess from the model's size, for a software adapter on a 2-core machine${downloads}`
        : `a rough guess from the model's size (no earlier run of it on this GPU)${downloads}`;
  }
}

/** Before Run: how many trials, and about how long. */
export function estimateRun(config: SweepConfig, context: EstimateContext): RunEstimate {
  const planned = plannedTrials(planSweep(config, lengthsOf(config)));
  const { prior, basis } = runPrior(config, context);
  const trialMs = predictTrialsMs(fitTrialTimes([], prior), planned);
  const loadTotalMs = config.quantizations.reduce(
    (sum, quantization) => sum + loadMs(config, context, quantization),
    0,
  );
  return {
    trials: planned.length,
    seconds: (trialMs + loadTotalMs) / 1000,
    loadSeconds: loadTotalMs / 1000,
    basis,
    basisText: basisText(basis, context, config),
  };
}

/** A run under way: what it was started with and what it has recorded so far. */
export interface LiveRun {
  readonly config: SweepConfig;
  /** Trials and loads the run had before this session of it started (a resumed run's). */
  readonly resumedTrials: readonly TrialRecord[];
  readonly resumedLoads: readonly VariantLoadRecord[];
  /** Every trial and load of the run so far, resumed ones included. */
  readonly trials: readonly TrialRecord[];
  readonly loads: readonly VariantLoadRecord[];
}

/**
 * Milliseconds left: the plan's trials not run yet, predicted from this run's trials (over earlier runs and
 * the guess), plus the loads not done yet, scaled by how this run's loads compared with their estimate.
 */
export function estimateRemainingMs(run: LiveRun, context: EstimateContext): number {
  const { config } = run;
  const plan = planResume(planSweep(config, lengthsOf(config, run.trials)), run.resumedTrials);
  const measuredNow = run.trials.length - run.resumedTrials.length;
  const remaining = plannedTrials(plan).slice(Math.max(0, measuredNow));
  const { prior } = runPrior(config, context);
  const model = fitTrialTimes(run.trials.map(timedTrialOf), prior);
  const trialMs = predictTrialsMs(model, remaining, run.trials);

  const loadedNow = run.loads.slice(run.resumedLoads.length);
  const loadRatio =
    medianOf(
      loadedNow.map(
        (load) => (load.prepareMs + load.sessionCreateMs) / loadMs(config, context, load.quantization),
      ),
    ) ?? 1;
  const loadsLeft = plan.filter(
    (item) => item.kind === 'load' && !loadedNow.some((load) => load.quantization === item.quantization),
  );
  const loadLeftMs = loadsLeft.reduce(
    (sum, item) => sum + loadRatio * loadMs(config, context, item.quantization),
    0,
  );
  return trialMs + loadLeftMs;
}
