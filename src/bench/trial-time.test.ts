import { describe, expect, it } from 'vitest';
import { DEFAULT_SWEEP_CONFIG, type SweepConfig } from '../config/sweep-config';
import type { Quantization } from '../model/quantization';
import { trial as fixtureTrial } from '../results/trial-fixture';
import { planSweep, type PlanItem } from './plan';
import {
  fitTrialTimes,
  predictTrialsMs,
  trialDurationMs,
  type PlannedTrial,
  type TimedTrial,
  type TimePrior,
  type TrialPoint,
} from './trial-time';

type TrialItem = Extract<PlanItem, { kind: 'trial' }>;

/** A fresh prompt of this many tokens (no context under it). */
const freshPrompt = (promptTokens: number): TrialPoint => ({ promptTokens, depthTokens: 0 });

/** Work that grows with the context under the prompt as well as with the prompt (as attention's does). */
const workAt = ({ promptTokens, depthTokens }: TrialPoint) => promptTokens * (1 + depthTokens / 64);

/**
 * A machine whose steady trials take a + b·work (q4 twice as fast as fp32), whose cold trials compile for
 * seconds, and whose first trial at a new point (length and depth) takes `newLengthExtraMs` more.
 */
function machine(newLengthExtraMs: number) {
  return (item: PlannedTrial, firstAtLength: boolean): number => {
    const scale = item.quantization === 'q4' ? 0.5 : 1;
    const steady = scale * (400 + 60 * workAt(item));
    if (item.phase === 'cold') return steady + 5000 * scale;
    return firstAtLength ? steady + newLengthExtraMs * scale : steady;
  };
}

/** A prior with the right shape (linear in work) but 4× too fast, as a guess for another machine would be. */
const PRIOR: TimePrior = {
  steadyMs: (quantization, _sync, at) => (quantization === 'q4' ? 0.5 : 1) * (100 + 15 * workAt(at)),
  coldExtraMs: () => 1000,
  newLengthExtraMs: () => 25,
  work: workAt,
};

const CONFIG: SweepConfig = {
  ...DEFAULT_SWEEP_CONFIG,
  quantizations: ['fp32', 'q4'],
  warmupRuns: 2,
  repetitions: 5,
};

function trialsOf(plan: readonly PlanItem[]): TrialItem[] {
  return plan.filter((item): item is TrialItem => item.kind === 'trial');
}

/** Runs the plan on the machine above: each trial's duration, in order. */
function simulate(items: readonly TrialItem[], newLengthExtraMs = 300): TimedTrial[] {
  const ran = new Set<string>();
  const trialMs = machine(newLengthExtraMs);
  return items.map((item, trialIndex) => {
    const key = `${item.quantization}|${item.promptTokens}|${item.depthTokens}`;
    const durationMs = trialMs(item, !ran.has(key));
    ran.add(key);
    return { runId: 'r', trialIndex, ...item, durationMs };
  });
}

/** The estimate of what is left after each trial, as the page shows it. */
function remainingAfterEachTrial(
  items: readonly TrialItem[],
  newLengthExtraMs = 300,
  prior = PRIOR,
): { estimate: number; truth: number }[] {
  const measured = simulate(items, newLengthExtraMs);
  const total = (from: number) => measured.slice(from).reduce((sum, t) => sum + t.durationMs, 0);
  return items.map((_, index) => {
    const done = measured.slice(0, index + 1);
    const model = fitTrialTimes(done, prior);
    return { estimate: predictTrialsMs(model, items.slice(index + 1), done), truth: total(index + 1) };
  });
}

describe('time left in a sweep, from the trials measured so far', () => {
  it('once two lengths are measured, predicts the longer ones exactly on a machine that is linear in tokens', () => {
    const items = trialsOf(planSweep(CONFIG, [16, 64, 256, 1024]));
    const measured = simulate(items);
    const doneCount = items.findIndex((item) => item.promptTokens === 256);
    const done = measured.slice(0, doneCount);
    const model = fitTrialTimes(done, PRIOR);
    const truth = measured.slice(doneCount).reduce((sum, t) => sum + t.durationMs, 0);
    expect(predictTrialsMs(model, items.slice(doneCount), done)).toBeCloseTo(truth, 6);
  });

  it('extrapolates to lengths not run yet from one length, along the prior’s curve scaled through it', () => {
    const items = trialsOf(planSweep({ ...CONFIG, quantizations: ['fp32'] }, [16, 64]));
    const measured = simulate(items);
    const done = measured.filter((trial) => trial.promptTokens === 16);
    const model = fitTrialTimes(done, PRIOR);
    const steady16 = 400 + 60 * 16;
    // The prior says 64 tokens take (100 + 15·64) / (100 + 15·16) of 16 tokens.
    const expected = (steady16 * (100 + 15 * 64)) / (100 + 15 * 16);
    expect(
      model.predictMs(
        { quantization: 'fp32', promptTokens: 64, depthTokens: 0, phase: 'warm', syncMode: 'barrier' },
        false,
      ),
    ).toBeCloseTo(expected, 6);
    // The first trial at a new length adds the prior's extra for it, scaled like the steady time (4× here):
    // no first trial at a new length has been measured yet (the one at 16 tokens was the cold one).
    expect(
      model.predictMs(
        { quantization: 'fp32', promptTokens: 64, depthTokens: 0, phase: 'warmup', syncMode: 'barrier' },
        true,
      ),
    ).toBeCloseTo(expected + 4 * 25, 6);
  });

  it('decreases after every trial of a sweep, and ends at zero (first trials at a length cost no extra, as on SwiftShader)', () => {
    const items = trialsOf(planSweep(CONFIG, [16, 64, 128, 256, 512, 1024]));
    const noExtraPrior = { ...PRIOR, newLengthExtraMs: () => 0 };
    const estimates = remainingAfterEachTrial(items, 0, noExtraPrior).map((step) => step.estimate);
    for (let i = 1; i < estimates.length; i++) expect(estimates[i]!).toBeLessThan(estimates[i - 1]!);
    expect(estimates.at(-1)).toBe(0);
  });

  it('where a new length’s first trial compiles longer, rises for one trial at most by that extra, then is exact', () => {
    const items = trialsOf(planSweep(CONFIG, [16, 64, 128, 256, 512, 1024]));
    const steps = remainingAfterEachTrial(items, 300);
    for (let i = 1; i < steps.length; i++) {
      const rise = steps[i]!.estimate - steps[i - 1]!.estimate;
      // Mistaking 300 ms of compilation for steady time tilts the line: at most 300 ms × (1024 / 64) per trial left.
      expect(rise).toBeLessThan(300 * 16 * (steps.length - i));
    }
    // After the second length is complete, every estimate is exact.
    const secondLengthDone = items.findIndex((item) => item.promptTokens === 128) - 1;
    for (const step of steps.slice(secondLengthDone)) expect(step.estimate).toBeCloseTo(step.truth, 3);
  });

  it('accounts for prompt length where counting trials does not (the issue’s 60 of 84 trials)', () => {
    const items = trialsOf(planSweep(CONFIG, [16, 64, 128, 256, 512, 1024]));
    expect(items).toHaveLength(84);
    const steps = remainingAfterEachTrial(items);
    const measured = simulate(items);
    const elapsed = measured.slice(0, 60).reduce((sum, t) => sum + t.durationMs, 0);
    const { estimate, truth } = steps[59]!;
    const byCount = (elapsed / 60) * 24;
    // Trial counting says about half of what is left; the fit is exact here (the machine is linear).
    expect(byCount / truth).toBeLessThan(0.6);
    expect(estimate).toBeCloseTo(truth, 3);
  });

  it('before anything ran, the prior; a variant not measured yet borrows how this machine compares with it', () => {
    const fresh = fitTrialTimes([], PRIOR);
    const q4At64: PlannedTrial = {
      quantization: 'q4',
      promptTokens: 64,
      depthTokens: 0,
      phase: 'warm',
      syncMode: 'barrier',
    };
    expect(fresh.learnedFrom).toBe(0);
    expect(fresh.predictMs(q4At64, false)).toBe(PRIOR.steadyMs('q4', 'barrier', freshPrompt(64)));
    // fp32 measured 4× slower than the prior says: q4 is expected 4× slower too.
    const fp32Only = simulate(trialsOf(planSweep({ ...CONFIG, quantizations: ['fp32'] }, [16, 64]))).map(
      (trial) => ({ ...trial, durationMs: 4 * PRIOR.steadyMs('fp32', 'barrier', trial) }),
    );
    const model = fitTrialTimes(fp32Only, PRIOR);
    expect(model.predictMs(q4At64, false)).toBeCloseTo(
      4 * PRIOR.steadyMs('q4', 'barrier', freshPrompt(64)),
      6,
    );
  });

  it('after the very first trial (a cold one), scales the guess by how much slower that trial was', () => {
    const items = trialsOf(planSweep(CONFIG, [16, 64, 256]));
    // A machine 4× slower than the prior everywhere, compilation included.
    const slower = (item: PlannedTrial) =>
      4 * (PRIOR.steadyMs(item.quantization, item.syncMode, item) + (item.phase === 'cold' ? 1000 : 0));
    const first = { runId: 'r', trialIndex: 0, ...items[0]!, durationMs: slower(items[0]!) };
    expect(first.phase).toBe('cold');
    const model = fitTrialTimes([first], { ...PRIOR, newLengthExtraMs: () => 0 });
    const truth = items.slice(1).reduce((sum, item) => sum + slower(item), 0);
    expect(predictTrialsMs(model, items.slice(1), [first])).toBeCloseTo(truth, 6);
  });

  it('keeps sync modes apart: a run without a barrier does not make barrier trials look fast', () => {
    const trials: TimedTrial[] = [16, 64].flatMap((promptTokens, i) =>
      (['barrier', 'none', 'barrier', 'none', 'barrier', 'none'] as const).map((syncMode, j) => ({
        runId: 'r',
        trialIndex: i * 10 + j,
        quantization: 'fp32' as Quantization,
        promptTokens,
        depthTokens: 0,
        phase: 'warm' as const,
        syncMode,
        durationMs: syncMode === 'none' ? 50 : 1000 + promptTokens,
      })),
    );
    const model = fitTrialTimes(trials, PRIOR);
    const at = (syncMode: 'barrier' | 'none') =>
      model.predictMs({ quantization: 'fp32', ...freshPrompt(128), phase: 'warm', syncMode }, false);
    expect(at('barrier')).toBeCloseTo(1128, 6);
    expect(at('none')).toBeCloseTo(50, 6);
  });

  it('keeps context depths apart: a length at a new depth compiles again and takes its own time', () => {
    const items = trialsOf(planSweep({ ...CONFIG, depths: [0, 256] }, [16, 64]));
    const measured = simulate(items);
    // Everything at depth 0 is done: the depth-256 trials are predicted from the line through it.
    const doneCount = items.findIndex((item) => item.depthTokens === 256);
    const done = measured.slice(0, doneCount);
    const model = fitTrialTimes(done, PRIOR);
    const truth = measured.slice(doneCount).reduce((sum, t) => sum + t.durationMs, 0);
    expect(predictTrialsMs(model, items.slice(doneCount), done)).toBeCloseTo(truth, 6);
    // At 16 tokens on 256 of context a trial is 5× the work of 16 fresh tokens, and the first one compiles.
    const deep = {
      quantization: 'fp32' as const,
      promptTokens: 16,
      depthTokens: 256,
      syncMode: 'barrier' as const,
    };
    expect(model.predictMs({ ...deep, phase: 'warm' }, false)).toBeCloseTo(400 + 60 * 16 * 5, 6);
    expect(model.predictMs({ ...deep, phase: 'warmup' }, true)).toBeCloseTo(400 + 60 * 16 * 5 + 300, 6);
  });

  it('counts decode steps as time the trial took', () => {
    expect(trialDurationMs(fixtureTrial({ ttftMs: 100, decodeTokens: 0 }))).toBe(100);
    expect(
      trialDurationMs(fixtureTrial({ ttftMs: 100, decodeTokens: 32, decodeTokensPerSecond: 64 })),
    ).toBeCloseTo(600, 9);
  });
});
