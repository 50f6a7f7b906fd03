import { describe, expect, it } from 'vitest';
import { trial } from '../results/trial-fixture';
import { planSweep, type PlanItem } from './plan';
import { planResume } from './resume';
import { DEFAULT_SWEEP_CONFIG, type SweepConfig } from '../config/sweep-config';

const config: SweepConfig = {
  ...DEFAULT_SWEEP_CONFIG,
  quantizations: ['fp32', 'q4'],
  promptLengths: [8, 16],
  warmupRuns: 2,
  repetitions: 2,
  syncModes: ['barrier'],
};

function describePlan(plan: readonly PlanItem[]): string[] {
  return plan.map((item) =>
    item.kind === 'trial'
      ? `${item.quantization}@${item.promptTokens} ${item.phase} ${item.repetition}`
      : `${item.kind} ${item.quantization}`,
  );
}

describe('resuming an interrupted run', () => {
  const plan = planSweep(config, config.promptLengths);

  it('with nothing recorded, is the whole plan', () => {
    expect(planResume(plan, [])).toEqual(plan);
  });

  it('with everything recorded, has nothing left, not even loads', () => {
    const done = plan.flatMap((item) =>
      item.kind === 'trial' && item.phase === 'warm' ? [trial({ ...item, phase: 'warm' })] : [],
    );
    expect(planResume(plan, done)).toEqual([]);
  });

  it('measures only the missing repetitions, after fresh warm-ups of their cells', () => {
    // Interrupted after both 8-token cells and fp32's first 16-token repetition.
    const done = [
      trial({ quantization: 'fp32', promptTokens: 8, phase: 'cold', repetition: 1 }),
      ...[1, 2].flatMap((repetition) =>
        (['fp32', 'q4'] as const).map((quantization) => trial({ quantization, promptTokens: 8, repetition })),
      ),
      trial({ quantization: 'fp32', promptTokens: 16, repetition: 1 }),
    ];
    expect(describePlan(planResume(plan, done))).toEqual([
      'load fp32',
      'load q4',
      'fp32@16 cold 1',
      'fp32@16 warmup 1',
      'q4@16 cold 1',
      'q4@16 warmup 1',
      'q4@16 warm 1',
      // Repetition 2 starts with q4: the rotation of the original plan is kept.
      'q4@16 warm 2',
      'fp32@16 warm 2',
      'release fp32',
      'release q4',
    ]);
  });

  it('skips a variant that finished, and keeps sync modes apart', () => {
    const modes: SweepConfig = { ...config, syncModes: ['barrier', 'none'], promptLengths: [8] };
    const modesPlan = planSweep(modes, [8]);
    const done = [
      ...[1, 2].flatMap((repetition) =>
        (['barrier', 'none'] as const).map((syncMode) =>
          trial({ quantization: 'fp32', promptTokens: 8, repetition, syncMode }),
        ),
      ),
      trial({ quantization: 'q4', promptTokens: 8, repetition: 1, syncMode: 'barrier' }),
    ];
    const left = planResume(modesPlan, done);
    expect(left.some((item) => item.quantization === 'fp32')).toBe(false);
    expect(describePlan(left.filter((item) => item.kind === 'trial' && item.phase === 'warm'))).toEqual([
      'q4@8 warm 1',
      'q4@8 warm 2',
      'q4@8 warm 2',
    ]);
    expect(
      left
        .filter((item) => item.kind === 'trial' && item.phase === 'warm')
        .map((item) => (item.kind === 'trial' ? item.syncMode : '')),
    ).toEqual(['none', 'barrier', 'none']);
  });

  it('tells depths apart: a repetition done at depth 0 is still missing at depth 256', () => {
    const deep: SweepConfig = { ...config, quantizations: ['q4'], promptLengths: [8], depths: [0, 256] };
    const deepPlan = planSweep(deep, [8]);
    const done = [1, 2].map((repetition) =>
      trial({ quantization: 'q4', promptTokens: 8, depthTokens: 0, repetition }),
    );
    const left = planResume(deepPlan, done);
    expect(
      left.map((item) => (item.kind === 'trial' ? `${item.depthTokens} ${item.phase}` : item.kind)),
    ).toEqual(['load', '256 cold', '256 warmup', '256 warm', '256 warm', 'release']);
  });
});
