import { describe, expect, it } from 'vitest';
import { SWIFTSHADER_ADAPTER } from '../bench/adapter-fixture';
import { DEFAULT_SWEEP_CONFIG, type SweepConfig } from '../config/sweep-config';
import { estimateRun } from '../report/run-estimate';
import { trial } from '../results/trial-fixture';
import { estimateContextFor, NO_EARLIER_RECORDS } from './estimate-context';
import {
  CONFIRM_ABOVE_TRIALS,
  describeRefusal,
  hostLimitsOf,
  judgeRun,
  type GateAdapter,
  type RunContext,
} from './run-verdict';

// Binding size as large as a buffer, so maxBufferSize is what refuses the 8B embedding table.
const SWIFTSHADER: GateAdapter = { ...SWIFTSHADER_ADAPTER, maxStorageBufferBindingSizeBytes: 2 ** 30 };
const CONTEXT: RunContext = {
  adapter: SWIFTSHADER,
  inspected: undefined,
  deviceMemoryGiB: 8,
  earlier: NO_EARLIER_RECORDS,
};
const NVIDIA: GateAdapter = {
  ...SWIFTSHADER,
  vendor: 'nvidia',
  architecture: 'hopper',
  isFallbackAdapter: false,
  webglRenderer: undefined,
};

function config(overrides: Partial<SweepConfig>): SweepConfig {
  return { ...DEFAULT_SWEEP_CONFIG, promptLengths: [16], repetitions: 1, warmupRuns: 0, ...overrides };
}

describe('the run gate', () => {
  it('refuses an 8B fp32 link with the reasons and what to pick, before anything is built', () => {
    const verdict = judgeRun(
      config({ model: { kind: 'builtin', preset: 'llama-3.1-8b' }, quantizations: ['fp32'] }),
      CONTEXT,
      true,
    );
    expect(verdict.kind).toBe('refused');
    if (verdict.kind !== 'refused') return;
    expect(describeRefusal(verdict)).toMatch(
      /^This run cannot work here, so nothing was built or downloaded\. fp32: Cannot fit: its embedding table \(128256 × 4096, 1\.96 GiB\) is larger than this adapter's maxBufferSize/,
    );
    expect(verdict.suggestions.at(-1)).toBe(
      'Or pick a smaller model: SmolLM2-135M shape (fp32), tiny (2 layers, 128k vocab) (fp32).',
    );
  });

  it('refuses an 8B q4 autorun while the engine is still looking for an adapter', () => {
    const verdict = judgeRun(
      config({ model: { kind: 'builtin', preset: 'llama-3.1-8b' }, quantizations: ['q4'] }),
      { ...CONTEXT, adapter: undefined },
      true,
    );
    expect(verdict.kind).toBe('refused');
  });

  it('waits for the adapter when nothing else refuses, and for a hub model until it is looked up', () => {
    expect(judgeRun(config({}), { ...CONTEXT, adapter: undefined }, false).kind).toBe('needs-adapter');
    const hub = config({
      model: { kind: 'hub', id: 'org/name', revision: 'main', hubUrl: 'https://huggingface.co' },
    });
    expect(judgeRun(hub, CONTEXT, false).kind).toBe('needs-model');
  });

  it('asks before a long run and goes once the user agreed', () => {
    expect(judgeRun(DEFAULT_SWEEP_CONFIG, CONTEXT, false)).toMatchObject({
      kind: 'confirm',
      estimate: { trials: 84 },
    });
    expect(judgeRun(DEFAULT_SWEEP_CONFIG, CONTEXT, true).kind).toBe('go');
    expect(judgeRun(config({}), CONTEXT, false).kind).toBe('go');
  });

  it('asks with the numbers the line above Run shows', () => {
    const verdict = judgeRun(DEFAULT_SWEEP_CONFIG, CONTEXT, false);
    const line = estimateRun(
      DEFAULT_SWEEP_CONFIG,
      estimateContextFor(DEFAULT_SWEEP_CONFIG, {
        software: true,
        inspected: undefined,
        earlier: NO_EARLIER_RECORDS,
      }),
    );
    expect(verdict).toEqual({ kind: 'confirm', estimate: line });
    // The old default took 30 minutes on SwiftShader: above the 10-minute bound.
    expect(line.seconds).toBeGreaterThan(10 * 60);
  });

  it('lets the same sweep go on a GPU, where it takes seconds', () => {
    const verdict = judgeRun(DEFAULT_SWEEP_CONFIG, { ...CONTEXT, adapter: NVIDIA }, false);
    expect(verdict.kind).toBe('go');
    if (verdict.kind === 'go') expect(verdict.estimate.seconds).toBeLessThan(60);
  });

  it('asks above 2,000 trials however fast the GPU', () => {
    const many = config({ repetitions: 1000, syncModes: ['barrier', 'none'] });
    const verdict = judgeRun(many, { ...CONTEXT, adapter: NVIDIA }, false);
    expect(verdict).toMatchObject({ kind: 'confirm', estimate: { trials: 4000 } });
    expect(4000).toBeGreaterThan(CONFIRM_ABOVE_TRIALS);
  });

  it('earlier trials replace the guess: a sweep this adapter ran fast before goes without asking', () => {
    // Earlier runs of the tiny model here took 100 ms a trial at every length, far below the guess.
    const earlier = DEFAULT_SWEEP_CONFIG.quantizations.flatMap((quantization) =>
      DEFAULT_SWEEP_CONFIG.promptLengths.flatMap((promptTokens) =>
        [1, 2].map((repetition) =>
          trial({ runId: 'earlier', quantization, promptTokens, repetition, ttftMs: 100 }),
        ),
      ),
    );
    const verdict = judgeRun(
      DEFAULT_SWEEP_CONFIG,
      { ...CONTEXT, earlier: { trials: earlier, loads: [] } },
      false,
    );
    expect(verdict).toMatchObject({ kind: 'go', estimate: { basis: 'earlier-runs' } });
    // Trials of another model teach nothing about this one.
    const otherModel = earlier.map((t) => ({ ...t, model: 'smollm2-135m' }));
    expect(
      judgeRun(DEFAULT_SWEEP_CONFIG, { ...CONTEXT, earlier: { trials: otherModel, loads: [] } }, false).kind,
    ).toBe('confirm');
  });

  it('plans only what a resumed run is missing', () => {
    const resumed = config({ quantizations: ['q4'], repetitions: 3 });
    const done = [
      trial({ quantization: 'q4', promptTokens: 16, repetition: 1 }),
      trial({ quantization: 'q4', promptTokens: 16, repetition: 2 }),
    ];
    expect(judgeRun(resumed, { ...CONTEXT, done }, false)).toMatchObject({
      kind: 'go',
      estimate: { trials: 1 },
    });
  });

  it('treats a software adapter as sharing host memory, and reads what the browser says of its memory', () => {
    expect(hostLimitsOf(SWIFTSHADER, 8).gpuSharesHostMemory).toBe(true);
    const nvidia = { ...SWIFTSHADER, vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: false };
    expect(hostLimitsOf(nvidia, 8).gpuSharesHostMemory).toBe(false);
    expect(hostLimitsOf(SWIFTSHADER, 8).deviceMemory).toEqual({ bytes: 8 * 2 ** 30, capped: true });
    expect(hostLimitsOf(SWIFTSHADER, 4).deviceMemory).toEqual({ bytes: 4 * 2 ** 30, capped: false });
    expect(hostLimitsOf(undefined, undefined)).toMatchObject({
      maxBufferSizeBytes: undefined,
      deviceMemory: undefined,
    });
  });
});
