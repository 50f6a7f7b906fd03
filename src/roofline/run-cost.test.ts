import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countTrials, planSweep } from '../bench/plan';
import { DEFAULT_SWEEP_CONFIG, type SweepConfig } from '../config/sweep-config';
import { PRESETS } from '../model/config';
import { estimateVariantBytes } from '../model/size';
import { trial } from '../results/trial-fixture';
import { prefillFlops } from './prefill-flops';
import {
  CONFIRM_ABOVE_TRIALS,
  estimateRunCost,
  formatEstimate,
  HARDWARE_THROUGHPUT,
  plannedPromptLengths,
  SOFTWARE_THROUGHPUT,
  type CostRequest,
} from './run-cost';

const tiny = PRESETS.tiny.config;
const weightBytes = new Map([
  ['fp32', estimateVariantBytes(tiny, 'fp32')],
  ['q4', estimateVariantBytes(tiny, 'q4')],
] as const);

function cost(config: SweepConfig, extra: Partial<CostRequest> = {}) {
  return estimateRunCost({ config, shape: tiny, weightBytes, throughput: SOFTWARE_THROUGHPUT, ...extra });
}

describe('the cost of a run, known before it starts', () => {
  it('counts the trials its plan holds', () => {
    const estimate = cost(DEFAULT_SWEEP_CONFIG);
    expect(estimate.plannedTrials).toBe(
      countTrials(planSweep(DEFAULT_SWEEP_CONFIG, DEFAULT_SWEEP_CONFIG.promptLengths)),
    );
    expect(estimate.plannedTrials).toBe(84);
  });

  it('asks before the default sweep on a software adapter (it took 30 minutes on SwiftShader)', () => {
    const estimate = cost(DEFAULT_SWEEP_CONFIG);
    expect(estimate.estimatedMs).toBeGreaterThan(15 * 60_000);
    expect(estimate.needsConfirmation).toBe(true);
    expect(estimate.basis).toBe("the model's FLOPs at software adapter (figures measured on SwiftShader)");
    // The same sweep on a GPU is seconds.
    const onGpu = cost(DEFAULT_SWEEP_CONFIG, { throughput: HARDWARE_THROUGHPUT });
    expect(onGpu.needsConfirmation).toBe(false);
    expect(onGpu.estimatedMs).toBeLessThan(60_000);
  });

  it('asks above 2,000 trials however fast the GPU', () => {
    const many = {
      ...DEFAULT_SWEEP_CONFIG,
      promptLengths: [16],
      repetitions: 1000,
      warmupRuns: 0,
      syncModes: ['barrier', 'none'],
    } as const;
    const estimate = cost(many, { throughput: HARDWARE_THROUGHPUT });
    expect(estimate.plannedTrials).toBe(4000);
    expect(estimate.plannedTrials).toBeGreaterThan(CONFIRM_ABOVE_TRIALS);
    expect(estimate.needsConfirmation).toBe(true);
  });

  it('rests on earlier trials of this machine where there are some', () => {
    const config = {
      ...DEFAULT_SWEEP_CONFIG,
      quantizations: ['q4'],
      promptLengths: [64, 128],
      warmupRuns: 0,
      repetitions: 2,
    } as const;
    // Earlier q4 trials took exactly 1 ms per MFLOP of prefill.
    const msPerFlop = 1e-6;
    const earlier = [16, 32].map((tokens) =>
      trial({
        quantization: 'q4',
        promptTokens: tokens,
        ttftMs: msPerFlop * prefillFlops(tiny, { promptTokens: tokens, lmHead: 'all' }).total,
      }),
    );
    const estimate = cost(config, { earlier });
    expect(estimate.basis).toBe('earlier trials of this model on this machine');
    const expectedTrialsMs =
      2 * msPerFlop * (prefillFlops(tiny, { promptTokens: 64, lmHead: 'all' }).total + prefillFlops(tiny, { promptTokens: 128, lmHead: 'all' }).total);
    expect(estimate.estimatedMs - estimate.loadMs).toBeCloseTo(expectedTrialsMs, 6);
  });

  it('plans only what a resumed run is missing', () => {
    const config = {
      ...DEFAULT_SWEEP_CONFIG,
      quantizations: ['q4'],
      promptLengths: [16],
      warmupRuns: 0,
      repetitions: 3,
    } as const;
    const done = [
      trial({ quantization: 'q4', promptTokens: 16, repetition: 1 }),
      trial({ quantization: 'q4', promptTokens: 16, repetition: 2 }),
    ];
    expect(cost(config, { done }).plannedTrials).toBe(1);
  });

  it('estimates a custom prompt from its size before it is tokenized', () => {
    expect(plannedPromptLengths({ ...DEFAULT_SWEEP_CONFIG, customPrompt: 'x'.repeat(400) })).toEqual([100]);
    expect(plannedPromptLengths(DEFAULT_SWEEP_CONFIG)).toEqual([...DEFAULT_SWEEP_CONFIG.promptLengths]);
  });

  it('grows with repetitions and is always a finite positive time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 500 }), (a, b) => {
        const at = (repetitions: number) => cost({ ...DEFAULT_SWEEP_CONFIG, repetitions }).estimatedMs;
        const [low, high] = a <= b ? [a, b] : [b, a];
        return Number.isFinite(at(low)) && at(low) > 0 && at(low) <= at(high);
      }),
      { numRuns: 30 },
    );
  });

  it('reads as a rough duration', () => {
    expect(formatEstimate(12_300)).toBe('about 12 s');
    expect(formatEstimate(23 * 60_000)).toBe('about 23 min');
    expect(formatEstimate(3.2 * 3_600_000)).toBe('about 3.2 h');
    expect(formatEstimate(9.1e11)).toBe('about 10,532 days');
  });
});
