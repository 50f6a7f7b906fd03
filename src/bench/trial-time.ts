/**
 * How long the trials still to run will take, learned from the trials already run. A trial's time grows with
 * its prompt (at 16 tokens a software GPU takes 1–5 s, at 1024 tokens 30–75 s) and the context under it, so
 * counting trials misleads; this fits, per variant, time against the trial's work (FLOPs, or tokens where the
 * shape is unknown) and sums the prediction over what the plan has left. Every trial counts as time spent:
 * cold, warm-up and timed.
 *
 * A point is a prompt length at a context depth (the plan's cell; each compiles kernels for its shapes).
 * - At a point already measured, the prediction is the median of its steady trials there (all but the first
 *   at that point, which also compiles the point's kernels).
 * - At a point not measured yet: a straight line through the variant's measured points (time = a + b·work),
 *   or with one point only, the prior's curve scaled through it; with none, the prior scaled by how this
 *   machine compares with it on the other variants.
 * - The first trial at a new point adds the variant's measured extra (first minus steady), the session's
 *   cold trial its measured cold extra; unmeasured, the prior's.
 * Pure: the caller supplies the prior (src/report/run-estimate.ts builds one from the model's FLOPs).
 */
import type { SyncMode } from '../config/sweep-config';
import type { Quantization } from '../model/quantization';
import type { TrialPhase, TrialRecord } from '../results/trial';
import { median } from './statistics';

/** Where a trial runs: its prompt on top of `depthTokens` of context already in the KV cache (0: none). */
export interface TrialPoint {
  readonly promptTokens: number;
  readonly depthTokens: number;
}

/** A trial as the fit reads it. */
export interface TimedTrial extends TrialPoint {
  /** Trials of one run share a session history: "first at a point" is judged per run. */
  readonly runId: string;
  readonly trialIndex: number;
  readonly quantization: Quantization;
  readonly phase: TrialPhase;
  readonly syncMode: SyncMode;
  /** Wall-clock time the trial took: TTFT plus its decode steps. */
  readonly durationMs: number;
}

/** A trial still to run. */
export interface PlannedTrial extends TrialPoint {
  readonly quantization: Quantization;
  readonly phase: TrialPhase;
  readonly syncMode: SyncMode;
}

/** What is assumed before anything is measured (a guess from the model's FLOPs, or earlier runs). */
export interface TimePrior {
  /** A steady trial of this variant at this point. */
  steadyMs(quantization: Quantization, syncMode: SyncMode, at: TrialPoint): number;
  /** Extra time of a session's first inference (shader compilation) over a steady trial. */
  coldExtraMs(quantization: Quantization): number;
  /** Extra time of the first trial at a new point (kernels compiled for the new shapes). */
  newLengthExtraMs(quantization: Quantization): number;
  /** The x of the fit: a point's work (FLOPs), or its tokens where nothing better is known. */
  work(at: TrialPoint): number;
}

export interface TrialTimeModel {
  /** Predicted time of one planned trial; `firstAtLength` when nothing at its variant and point ran yet. */
  predictMs(trial: PlannedTrial, firstAtLength: boolean): number;
  /** How many trials the fit learned from (0: the prior alone). */
  readonly learnedFrom: number;
}

/** TTFT plus the decode steps after it: the time the trial held the GPU. */
export function trialDurationMs(trial: TrialRecord): number {
  const decodeMs =
    trial.decodeTokens > 0 && trial.decodeTokensPerSecond > 0
      ? (trial.decodeTokens * 1000) / trial.decodeTokensPerSecond
      : 0;
  return trial.ttftMs + decodeMs;
}

export function timedTrialOf(trial: TrialRecord): TimedTrial {
  return {
    runId: trial.runId,
    trialIndex: trial.trialIndex,
    quantization: trial.quantization,
    promptTokens: trial.promptTokens,
    depthTokens: trial.depthTokens,
    phase: trial.phase,
    syncMode: trial.syncMode,
    durationMs: trialDurationMs(trial),
  };
}

const variantKey = (quantization: Quantization, syncMode: SyncMode) => `${quantization}|${syncMode}`;
const pointKey = (at: TrialPoint) => `${at.promptTokens}@${at.depthTokens}`;

interface Line {
  readonly interceptMs: number;
  readonly msPerWork: number;
}

/** Least squares with a non-negative intercept and slope (time never falls as prompts grow). */
function fitLine(points: readonly { readonly x: number; readonly y: number }[]): Line {
  const n = points.length;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  const sxx = points.reduce((sum, p) => sum + (p.x - meanX) ** 2, 0);
  const sxy = points.reduce((sum, p) => sum + (p.x - meanX) * (p.y - meanY), 0);
  if (sxx === 0 || sxy <= 0) return { interceptMs: meanY, msPerWork: 0 };
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  if (intercept >= 0) return { interceptMs: intercept, msPerWork: slope };
  // Through the origin instead.
  const sxxOrigin = points.reduce((sum, p) => sum + p.x * p.x, 0);
  const sxyOrigin = points.reduce((sum, p) => sum + p.x * p.y, 0);
  return { interceptMs: 0, msPerWork: sxyOrigin / sxxOrigin };
}

interface PointSamples {
  readonly point: TrialPoint;
  steady: number[];
  first: number | undefined;
  firstPhase: TrialPhase | undefined;
}

/** Learns from `trials` (any order, any runs); predicts with `prior` where they say nothing. */
export function fitTrialTimes(trials: readonly TimedTrial[], prior: TimePrior): TrialTimeModel {
  // Per variant and point: the first trial at (run, quantization, point), and the steady ones.
  const ordered = [...trials].sort((a, b) =>
    a.runId === b.runId ? a.trialIndex - b.trialIndex : a.runId.localeCompare(b.runId),
  );
  const seenPoint = new Set<string>();
  const byVariant = new Map<string, Map<string, PointSamples>>();
  for (const trial of ordered) {
    const runPointKey = `${trial.runId}|${trial.quantization}|${pointKey(trial)}`;
    const first = !seenPoint.has(runPointKey);
    seenPoint.add(runPointKey);
    const key = variantKey(trial.quantization, trial.syncMode);
    const points = byVariant.get(key) ?? new Map<string, PointSamples>();
    byVariant.set(key, points);
    const samples = points.get(pointKey(trial)) ?? {
      point: { promptTokens: trial.promptTokens, depthTokens: trial.depthTokens },
      steady: [],
      first: undefined,
      firstPhase: undefined,
    };
    points.set(pointKey(trial), samples);
    if (first && samples.first === undefined) {
      samples.first = trial.durationMs;
      samples.firstPhase = trial.phase;
    } else if (!first) {
      samples.steady.push(trial.durationMs);
    }
  }

  // Steady medians per variant and point; extras of first trials over them, per quantization.
  const steadyMedians = new Map<string, Map<string, { readonly point: TrialPoint; readonly ms: number }>>();
  const coldExtras = new Map<Quantization, number[]>();
  const newLengthExtras = new Map<Quantization, number[]>();
  const speedRatios: number[] = [];
  for (const [key, points] of byVariant) {
    const [quantization, syncMode] = key.split('|') as [Quantization, SyncMode];
    const medians = new Map<string, { readonly point: TrialPoint; readonly ms: number }>();
    for (const [at, samples] of points) {
      if (samples.steady.length === 0) continue;
      const steady = median(samples.steady);
      medians.set(at, { point: samples.point, ms: steady });
      speedRatios.push(steady / prior.steadyMs(quantization, syncMode, samples.point));
      if (samples.first !== undefined) {
        const extras = samples.firstPhase === 'cold' ? coldExtras : newLengthExtras;
        const list = extras.get(quantization) ?? [];
        list.push(Math.max(0, samples.first - steady));
        extras.set(quantization, list);
      }
    }
    steadyMedians.set(key, medians);
  }
  const extraOf = (extras: Map<Quantization, number[]>, quantization: Quantization, fallback: number) => {
    const list = extras.get(quantization);
    return list === undefined || list.length === 0 ? fallback : median(list);
  };
  // How this machine compares with the prior, for variants not measured at all; before any steady trial, from
  // the first trials (compilation included on both sides).
  if (speedRatios.length === 0) {
    for (const [key, points] of byVariant) {
      const [quantization, syncMode] = key.split('|') as [Quantization, SyncMode];
      for (const samples of points.values()) {
        if (samples.first === undefined) continue;
        const extra =
          samples.firstPhase === 'cold'
            ? prior.coldExtraMs(quantization)
            : prior.newLengthExtraMs(quantization);
        speedRatios.push(samples.first / (prior.steadyMs(quantization, syncMode, samples.point) + extra));
      }
    }
  }
  const speed = speedRatios.length > 0 ? median(speedRatios) : 1;
  const coldExtraMs = (quantization: Quantization) =>
    extraOf(coldExtras, quantization, speed * prior.coldExtraMs(quantization));
  // A level without a measured new-length extra takes the other levels' (compiling a shape costs about the
  // same whatever the weights), else the prior's.
  const allNewLengthExtras = [...newLengthExtras.values()].flat();
  const newLengthExtraMs = (quantization: Quantization) =>
    extraOf(
      newLengthExtras,
      quantization,
      allNewLengthExtras.length > 0
        ? median(allNewLengthExtras)
        : speed * prior.newLengthExtraMs(quantization),
    );
  // Where a point has only its first trial, that trial less the usual extra stands in for steady; a lone
  // cold trial never does (compilation varies too much between levels): the prior scaled by `speed` does.
  for (const [key, points] of byVariant) {
    const [quantization] = key.split('|') as [Quantization];
    const medians = steadyMedians.get(key) ?? new Map<string, { point: TrialPoint; ms: number }>();
    for (const [at, samples] of points) {
      if (medians.has(at) || samples.first === undefined) continue;
      if (samples.firstPhase === 'cold') continue;
      const extra = newLengthExtraMs(quantization);
      medians.set(at, { point: samples.point, ms: Math.max(samples.first - extra, samples.first / 2) });
    }
    steadyMedians.set(key, medians);
  }
  const lines = new Map<string, Line>();
  for (const [key, medians] of steadyMedians) {
    if (medians.size >= 2) {
      lines.set(
        key,
        fitLine([...medians.values()].map(({ point, ms }) => ({ x: prior.work(point), y: ms }))),
      );
    }
  }

  const steadyMs = (quantization: Quantization, syncMode: SyncMode, at: TrialPoint): number => {
    const key = variantKey(quantization, syncMode);
    const medians = steadyMedians.get(key);
    const measured = medians?.get(pointKey(at));
    if (measured !== undefined) return measured.ms;
    const line = lines.get(key);
    if (line !== undefined) return line.interceptMs + line.msPerWork * prior.work(at);
    const only = medians === undefined ? undefined : [...medians.values()][0];
    if (only !== undefined) {
      return (
        (only.ms * prior.steadyMs(quantization, syncMode, at)) /
        prior.steadyMs(quantization, syncMode, only.point)
      );
    }
    return speed * prior.steadyMs(quantization, syncMode, at);
  };

  return {
    learnedFrom: trials.length,
    predictMs(trial, firstAtLength) {
      const steady = steadyMs(trial.quantization, trial.syncMode, trial);
      if (trial.phase === 'cold') return steady + coldExtraMs(trial.quantization);
      if (!firstAtLength) return steady;
      return steady + newLengthExtraMs(trial.quantization);
    },
  };
}

/**
 * The predicted time of these planned trials, in order, after `done` (trials of this run already measured):
 * a trial is the first at its point when neither `done` nor an earlier planned trial ran that point.
 */
export function predictTrialsMs(
  model: TrialTimeModel,
  planned: readonly PlannedTrial[],
  done: readonly Pick<TimedTrial, 'quantization' | 'promptTokens' | 'depthTokens'>[] = [],
): number {
  const ran = new Set(done.map((trial) => `${trial.quantization}|${pointKey(trial)}`));
  let total = 0;
  for (const trial of planned) {
    const key = `${trial.quantization}|${pointKey(trial)}`;
    total += model.predictMs(trial, !ran.has(key));
    ran.add(key);
  }
  return total;
}
