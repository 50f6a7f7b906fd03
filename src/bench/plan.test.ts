import { describe, expect, it } from 'vitest';
import { DEFAULT_SWEEP_CONFIG } from './sweep-config';
import { countTrials, planSweep } from './plan';

const config = {
  ...DEFAULT_SWEEP_CONFIG,
  quantizations: ['fp32', 'q4'] as const,
  warmupRuns: 2,
  repetitions: 3,
};

describe('sweep plan', () => {
  it('loads each level once, then warms up and measures every length', () => {
    const plan = planSweep({ ...config, quantizations: ['fp32', 'q4'] }, [16, 64]);
    expect(plan.filter((item) => item.kind === 'load').map((item) => item.quantization)).toEqual([
      'fp32',
      'q4',
    ]);
    expect(countTrials(plan)).toBe(2 * 2 * (2 + 3));
    expect(plan[0]).toEqual({ kind: 'load', quantization: 'fp32' });
    expect(
      plan
        .slice(1, 6)
        .map((item) =>
          item.kind === 'trial' ? `${item.promptTokens}:${item.phase}${item.repetition}` : 'load',
        ),
    ).toEqual(['16:cold1', '16:warmup1', '16:warm1', '16:warm2', '16:warm3']);
  });

  it('marks exactly the first inference of each session as cold', () => {
    const plan = planSweep({ ...config, quantizations: ['fp32', 'q4'] }, [16, 64, 128]);
    const cold = plan.filter((item) => item.kind === 'trial' && item.phase === 'cold');
    expect(cold).toHaveLength(2);
    expect(cold.every((item) => item.kind === 'trial' && item.promptTokens === 16)).toBe(true);
  });

  it('interleaves the sync modes within each repetition', () => {
    const plan = planSweep(
      { ...config, quantizations: ['q4'], warmupRuns: 1, repetitions: 2, syncModes: ['barrier', 'none'] },
      [16],
    );
    expect(
      plan.map((item) =>
        item.kind === 'trial' ? `${item.phase}${item.repetition}:${item.syncMode}` : 'load',
      ),
    ).toEqual(['load', 'cold1:barrier', 'warm1:barrier', 'warm1:none', 'warm2:barrier', 'warm2:none']);
  });

  it('with no warm-ups, nothing is cold and every trial is timed', () => {
    const plan = planSweep({ ...config, quantizations: ['q4'], warmupRuns: 0 }, [16]);
    expect(
      plan.filter((item) => item.kind === 'trial').map((item) => item.kind === 'trial' && item.phase),
    ).toEqual(['warm', 'warm', 'warm']);
  });
});
