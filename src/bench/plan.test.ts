import { describe, expect, it } from 'vitest';
import { DEFAULT_SWEEP_CONFIG, type SweepConfig } from '../config/sweep-config';
import { countTrials, planSweep, type PlanItem } from './plan';

const config: SweepConfig = {
  ...DEFAULT_SWEEP_CONFIG,
  quantizations: ['fp32', 'q4'],
  warmupRuns: 2,
  repetitions: 3,
};

function describeItem(item: PlanItem): string {
  if (item.kind !== 'trial') return `${item.kind}:${item.quantization}`;
  const depth = item.depthTokens === 0 ? '' : `+d${item.depthTokens}`;
  return `${item.quantization}@${item.promptTokens}${depth}:${item.phase}${item.repetition}${item.syncMode === 'barrier' ? '' : `/${item.syncMode}`}`;
}

describe('sequential plan', () => {
  const sequential: SweepConfig = { ...config, order: 'sequential' };

  it('loads each level, warms up and measures every length, then releases it', () => {
    const plan = planSweep(sequential, [16, 64]);
    expect(countTrials(plan)).toBe(2 * 2 * (2 + 3));
    expect(plan.slice(0, 6).map(describeItem)).toEqual([
      'load:fp32',
      'fp32@16:cold1',
      'fp32@16:warmup1',
      'fp32@16:warm1',
      'fp32@16:warm2',
      'fp32@16:warm3',
    ]);
    expect(plan.filter((item) => item.kind !== 'trial').map(describeItem)).toEqual([
      'load:fp32',
      'release:fp32',
      'load:q4',
      'release:q4',
    ]);
  });

  it('interleaves the sync modes within each repetition', () => {
    const plan = planSweep(
      { ...sequential, quantizations: ['q4'], warmupRuns: 1, repetitions: 2, syncModes: ['barrier', 'none'] },
      [16],
    );
    expect(plan.map(describeItem)).toEqual([
      'load:q4',
      'q4@16:cold1',
      'q4@16:warm1',
      'q4@16:warm1/none',
      'q4@16:warm2',
      'q4@16:warm2/none',
      'release:q4',
    ]);
  });
});

describe('interleaved plan (default)', () => {
  it('loads every level, then round-robins them per repetition with a rotating start', () => {
    expect(DEFAULT_SWEEP_CONFIG.order).toBe('interleaved');
    const plan = planSweep(
      { ...config, quantizations: ['fp32', 'int8', 'q4'], warmupRuns: 1, repetitions: 3 },
      [16],
    );
    expect(plan.map(describeItem)).toEqual([
      'load:fp32',
      'load:int8',
      'load:q4',
      'fp32@16:cold1',
      'int8@16:cold1',
      'q4@16:cold1',
      'fp32@16:warm1',
      'int8@16:warm1',
      'q4@16:warm1',
      'int8@16:warm2',
      'q4@16:warm2',
      'fp32@16:warm2',
      'q4@16:warm3',
      'fp32@16:warm3',
      'int8@16:warm3',
      'release:fp32',
      'release:int8',
      'release:q4',
    ]);
  });

  it('marks exactly the first inference of each session as cold, at the first length', () => {
    const plan = planSweep(config, [16, 64, 128]);
    const cold = plan.filter((item) => item.kind === 'trial' && item.phase === 'cold');
    expect(cold.map(describeItem)).toEqual(['fp32@16:cold1', 'q4@16:cold1']);
    expect(countTrials(plan)).toBe(2 * 3 * (2 + 3));
  });

  it('with no warm-ups, nothing is cold and every trial is timed', () => {
    const plan = planSweep({ ...config, quantizations: ['q4'], warmupRuns: 0 }, [16]);
    expect(plan.filter((item) => item.kind === 'trial').map(describeItem)).toEqual([
      'q4@16:warm1',
      'q4@16:warm2',
      'q4@16:warm3',
    ]);
  });
});

describe('context depths', () => {
  it('measure every length at every depth, depth by depth, each cell with its own warm-ups', () => {
    const plan = planSweep(
      { ...config, quantizations: ['fp32', 'q4'], warmupRuns: 1, repetitions: 1, depths: [0, 256] },
      [8, 16],
    );
    expect(plan.map(describeItem)).toEqual([
      'load:fp32',
      'load:q4',
      'fp32@8:cold1',
      'q4@8:cold1',
      'fp32@8:warm1',
      'q4@8:warm1',
      'fp32@16:warmup1',
      'q4@16:warmup1',
      'fp32@16:warm1',
      'q4@16:warm1',
      'fp32@8+d256:warmup1',
      'q4@8+d256:warmup1',
      'fp32@8+d256:warm1',
      'q4@8+d256:warm1',
      'fp32@16+d256:warmup1',
      'q4@16+d256:warmup1',
      'fp32@16+d256:warm1',
      'q4@16+d256:warm1',
      'release:fp32',
      'release:q4',
    ]);
  });

  it('in sequential order, run all depths of one level before the next level', () => {
    const plan = planSweep(
      { ...config, order: 'sequential', warmupRuns: 0, repetitions: 1, depths: [0, 1024] },
      [16],
    );
    expect(plan.map(describeItem)).toEqual([
      'load:fp32',
      'fp32@16:warm1',
      'fp32@16+d1024:warm1',
      'release:fp32',
      'load:q4',
      'q4@16:warm1',
      'q4@16+d1024:warm1',
      'release:q4',
    ]);
  });
});
