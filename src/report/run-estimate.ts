/**
 * What a run will cost before it starts (its planned trials and an estimated duration: the line above Run and
 * the gate's question before a long run show the same numbers), and what is left of it while it runs. Time per
 * trial is learned (src/bench/trial-time.ts) from this run's trials, else from earlier runs of the same model on
 * this adapter, else guessed from the model's prefill FLOPs and the kind of adapter, with the figures below.
 */
import { planSweep, type PlanItem } from '../bench/plan';
import { planResume } from '../bench/resume';
import { median } from '../bench/statistics';
import {
  fitTrialTimes,
  predictTrialsMs,
  timedTrialOf,
  type PlannedTrial,
  type TimePrior,
  type TrialPoint,
  type TrialTimeModel,
} from '../bench/trial-time';
import type { SweepConfig } from '../config/sweep-config';
import { PRESETS } from '../model/config';
import { quantizationLevel, type Quantization } from '../model/quantization';
import { elementCount, llamaWeightSpecs } from '../model/weights';
import type { TrialRecord, VariantLoadRecord } from '../results/trial';
import { prefillFlops, type PrefillShape } from '../roofline/prefill-flops';

/** Float weights (fp32, fp16) or integer-quantized ones (int8, uint8, q4, bnb4…): they time differently. */
export type WeightStorage = 'float' | 'quantized';

function storageOf(quantization: Quantization): WeightStorage {
  return quantizationLevel(quantization).weightBits <= 8 ? 'quantized' : 'float';
}

type ByStorage<T> = Readonly<Record<WeightStorage, T>>;

/** How long a kind of adapter takes, assumed before any trial of the model on it was measured. */
export interface AdapterTiming {
  /** A steady barrier-mode prefill: fixed costs plus a cost per MFLOP of the prompt's prefill. */
  readonly prefill: ByStorage<{
    readonly fixedMs: number;
    readonly fixedMsPerLayer: number;
    readonly msPerMflop: number;
  }>;
  /** How many times shorter a `none`-mode TTFT is (its clock stops when `session.run` returns). */
  readonly noBarrierDivisor: number;
  /** A session's first inference over a steady one (shader compilation). */
  readonly coldExtraMs: ByStorage<number>;
  /** The first trial at a new length over a steady one (kernels compiled for the new shapes). */
  readonly newLengthExtraMs: number;
  /** One decode step at least; a one-token prefill's time where that is longer. */
  readonly decodeStepMs: ByStorage<number>;
  /** Creating a session: a fixed cost plus a cost per MiB of weights (shader compilation, upload). */
  readonly session: ByStorage<{ readonly fixedMs: number; readonly msPerMiB: number }>;
}

/**
 * A software adapter, measured: SwiftShader on the 2-core CI machine, tiny model. Prefill: the README's
 * `npm run bench` medians, fp32 1831 ms at 16 tokens and 3165 ms at 64, q4 575 and 1188 ms (lines through
 * them). No barrier: the README's sync modes, 15–25× shorter. Cold fp32 4.5 and 8.6 s against steady 1.8–3.5 s
 * at 16 tokens, cold q4 no slower than steady; decode (8 steps after 16 tokens) fp32 1.0–1.9 s a step, q4
 * 4.2–8.4 s (its single-row kernel is slow there); sessions fp32 62.9 MiB in 1.7–3.5 s, q4 36.3 MiB in
 * 0.19–0.29 s (two `npm run bench` runs on branch cleanup, load average 3–5; the README's older run: 4.4 s and
 * 0.12 s).
 */
export const SOFTWARE_TIMING: AdapterTiming = {
  prefill: {
    float: { fixedMs: 1400, fixedMsPerLayer: 0, msPerMflop: 1.7 },
    quantized: { fixedMs: 370, fixedMsPerLayer: 0, msPerMflop: 0.78 },
  },
  noBarrierDivisor: 20,
  coldExtraMs: { float: 4000, quantized: 0 },
  newLengthExtraMs: 0,
  decodeStepMs: { float: 1400, quantized: 5000 },
  session: { float: { fixedMs: 0, msPerMiB: 50 }, quantized: { fixedMs: 0, msPerMiB: 5 } },
};

/**
 * A GPU, measured on an NVIDIA H200 (Chromium 156, docs/benchmarks.md; other GPUs will differ, and earlier
 * runs of the model on the user's GPU replace all of it): `prefill` is a least-squares fit (relative error) of
 * the steady barrier TTFT medians of tiny, SmolLM2-135M and Llama-3.2-1B q4 (fused graph, last-position LM head,
 * 128–4096 tokens, accuracy level 0) against layers and prefillFlops — ~5.9 ms per prefill, 0.45 ms a layer
 * (onnxruntime's CPU cost per kernel), 17.5 TFLOP/s effective; within 25% of every point; fp32 measured the same as
 * q4 there. Level 4 measured 0.6–0.8× of that for Llama-3.2-1B: the guess errs long, never short.
 * Without a barrier the clock stopped 1.2–1.6× earlier (tiny q4). Cold: the first variant's first run took
 * 0.25–1.4 s more than steady. Decode steps are costed as one-token prefills (measured 9.2–13 ms a token, the
 * fit says 13–20). Sessions: 0.3 s + ~1 ms per MiB (Llama-3.2-1B q4, 1771 MiB: 0.9–2.8 s).
 */
export const GPU_TIMING_GUESS: AdapterTiming = {
  prefill: {
    float: { fixedMs: 5.9, fixedMsPerLayer: 0.45, msPerMflop: 5.7e-5 },
    quantized: { fixedMs: 5.9, fixedMsPerLayer: 0.45, msPerMflop: 5.7e-5 },
  },
  noBarrierDivisor: 1.4,
  coldExtraMs: { float: 1000, quantized: 1000 },
  newLengthExtraMs: 100,
  decodeStepMs: { float: 0, quantized: 0 },
  session: { float: { fixedMs: 300, msPerMiB: 1.05 }, quantized: { fixedMs: 300, msPerMiB: 1.05 } },
};

/**
 * Building a built-in model in the page's worker (the CPU's work, whatever the adapter): tiny fp32 (16.4M float
 * weights) took 131–167 ms and tiny q4 459–1121 ms in the two runs above; Llama-3.2-1B q4 (1.24G quantized, 0.26G
 * float weights) 3.9–5.7 s wall (docs/benchmarks.md).
 */
export const BUILD_TIMING = { fixedMs: 300, msPerFloatWeight: 8e-6, msPerQuantizedWeight: 3e-6 } as const;

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

/** The a priori time of one trial (its prefill and decode steps), from the model's FLOPs. */
export function flopsPrior(
  config: SweepConfig,
  context: Pick<EstimateContext, 'software' | 'shape'>,
): TimePrior {
  const { shape } = context;
  const timing = context.software ? SOFTWARE_TIMING : GPU_TIMING_GUESS;
  // Without a shape, a 1B-parameter-like cost per token keeps the guess's order of magnitude. A trial at a
  // context depth also attends to the context (its untimed prefix prefill is not counted).
  const flops = ({ promptTokens, depthTokens }: TrialPoint) =>
    shape === undefined
      ? 2.5e9 * promptTokens
      : prefillFlops(shape, { promptTokens, lmHead: config.lmHead, contextTokens: depthTokens }).total;
  const layers = shape?.numLayers ?? 16;
  const prefillMs = (storage: WeightStorage, at: TrialPoint) => {
    const { fixedMs, fixedMsPerLayer, msPerMflop } = timing.prefill[storage];
    return fixedMs + fixedMsPerLayer * layers + (msPerMflop * flops(at)) / 1e6;
  };
  return {
    work: flops,
    steadyMs(quantization, syncMode, at) {
      const storage = storageOf(quantization);
      const barrierMs = prefillMs(storage, at);
      const ttftMs = syncMode === 'none' ? barrierMs / timing.noBarrierDivisor : barrierMs;
      const oneTokenMs = prefillMs(storage, { promptTokens: 1, depthTokens: 0 });
      const decodeStepMs = Math.max(timing.decodeStepMs[storage], oneTokenMs);
      return ttftMs + config.decodeTokens * decodeStepMs;
    },
    coldExtraMs: (quantization) => timing.coldExtraMs[storageOf(quantization)],
    newLengthExtraMs: () => timing.newLengthExtraMs,
  };
}

/** Where earlier runs' extras (cold, first at a point) are read off: a short fresh prompt. */
const SHORT_PROMPT: TrialPoint = { promptTokens: 16, depthTokens: 0 };

/** A prior that is another fit (earlier runs'), keeping the work measure of the prior below it. */
function priorFromModel(model: TrialTimeModel, below: TimePrior): TimePrior {
  return {
    work: below.work,
    steadyMs: (quantization, syncMode, at) =>
      model.predictMs({ quantization, syncMode, ...at, phase: 'warm' }, false),
    coldExtraMs: (quantization) =>
      model.predictMs({ quantization, syncMode: 'barrier', ...SHORT_PROMPT, phase: 'cold' }, false) -
      model.predictMs({ quantization, syncMode: 'barrier', ...SHORT_PROMPT, phase: 'warm' }, false),
    newLengthExtraMs: (quantization) =>
      model.predictMs({ quantization, syncMode: 'barrier', ...SHORT_PROMPT, phase: 'warmup' }, true) -
      model.predictMs({ quantization, syncMode: 'barrier', ...SHORT_PROMPT, phase: 'warmup' }, false),
  };
}

/** The a priori time to load one variant (build or read, then create its session). */
function loadPriorMs(config: SweepConfig, context: EstimateContext, quantization: Quantization): number {
  const storage = storageOf(quantization);
  let prepareMs = 0;
  if (config.model.kind === 'builtin') {
    // Linear weights are stored quantized at an integer level; embeddings and norms stay float.
    prepareMs = BUILD_TIMING.fixedMs;
    for (const spec of llamaWeightSpecs(PRESETS[config.model.preset].config)) {
      const perWeightMs =
        spec.role === 'linear' && storage === 'quantized'
          ? BUILD_TIMING.msPerQuantizedWeight
          : BUILD_TIMING.msPerFloatWeight;
      prepareMs += elementCount(spec.shape) * perWeightMs;
    }
  }
  const session = (context.software ? SOFTWARE_TIMING : GPU_TIMING_GUESS).session[storage];
  const sessionMs = session.fixedMs + ((context.variantBytes(quantization) ?? 0) / MiB) * session.msPerMiB;
  return prepareMs + sessionMs;
}

function medianOf(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : median(values);
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

/** Bytes of UTF-8 per token assumed for a custom prompt before it is tokenized (English runs 4–5). */
export const CUSTOM_PROMPT_BYTES_PER_TOKEN = 4;

/**
 * The prompt lengths a configuration runs (for the plan, the estimate and the admission check's longest
 * prompt): a custom prompt's is its measured token count once a trial has it, before that its UTF-8 size over
 * CUSTOM_PROMPT_BYTES_PER_TOKEN.
 */
export function plannedPromptLengths(config: SweepConfig, measured: readonly TrialRecord[] = []): number[] {
  if (config.customPrompt === undefined) return [...config.promptLengths];
  const bytes = new TextEncoder().encode(config.customPrompt).byteLength;
  return [measured[0]?.promptTokens ?? Math.max(1, Math.ceil(bytes / CUSTOM_PROMPT_BYTES_PER_TOKEN))];
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

/**
 * Before Run: how many trials, and about how long. A resumed run (`resumed`: the trials it has) plans only
 * what it is missing, and its trials so far teach the fit.
 */
export function estimateRun(
  config: SweepConfig,
  context: EstimateContext,
  resumed: readonly TrialRecord[] = [],
): RunEstimate {
  const plan = planResume(planSweep(config, plannedPromptLengths(config, resumed)), resumed);
  const planned = plannedTrials(plan);
  const { prior, basis } = runPrior(config, context);
  // A resumed run's variants get fresh sessions: every length compiles again, so none counts as run.
  const trialMs = predictTrialsMs(fitTrialTimes(resumed.map(timedTrialOf), prior), planned);
  const loadTotalMs = plan.reduce(
    (sum, item) => (item.kind === 'load' ? sum + loadMs(config, context, item.quantization) : sum),
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
  const plan = planResume(planSweep(config, plannedPromptLengths(config, run.trials)), run.resumedTrials);
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
