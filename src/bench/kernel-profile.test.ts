import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kernelOpOf, kernelProfileOf, parseProfileEvents, timestampsLookRounded } from './kernel-profile';

/**
 * A real profile: what onnxruntime-web 1.30's WebGPU build printed to console.log in Chromium (SwiftShader) at
 * `endProfiling()` for the built-in tiny model (q4, fused graph, last-position logits): three prefills of 16
 * tokens, then three decode steps on the last prefill's cache.
 */
const lines = readFileSync(new URL('./fixtures/ort-profile-tiny-q4.txt', import.meta.url), 'utf8').split(
  '\n',
);
const runs = { promptTokens: 16, prefillRuns: 3, decodeRuns: 3 };

function event(cat: string, name: string, ts: number, dur: number, provider?: string): string {
  const args = provider === undefined ? {} : { provider };
  return `{"cat" : "${cat}","pid" :1,"tid" :1,"dur" :${dur},"ts" :${ts},"ph" : "X","name" :"${name}","args" : ${JSON.stringify(args)}},`;
}

describe("onnxruntime's profile", () => {
  it('is read event by event, skipping the brackets and anything else printed', () => {
    const events = parseProfileEvents(['[', 'hello', '{"cat" : broken', ...lines.slice(1, 3), ']']);
    expect(events.map((e) => e.name)).toEqual(['model_loading_array', 'session_initialization']);
    expect(parseProfileEvents(lines).filter((e) => e.cat === 'Api')).toHaveLength(162);
  });

  it('names a kernel by op type and shader program', () => {
    expect(kernelOpOf('MatMulNBitsQkv&MatMulNBitsQkv&MatMulNBitsWideTile')).toBe(
      'MatMulNBitsQkv · MatMulNBitsWideTile',
    );
    expect(kernelOpOf('/model/layers.0/Add_3&Add&Add')).toBe('Add');
    expect(kernelOpOf('odd')).toBe('odd');
  });

  it("counts each kind of run's kernels, leaving out its first (compiling) run", () => {
    const profile = kernelProfileOf(lines, runs);
    expect(profile.promptTokens).toBe(16);
    expect(profile.prefill).toMatchObject({ runs: 2, kernels: 32, cpuNodes: 6 });
    expect(profile.decode).toMatchObject({ runs: 2, kernels: 22, cpuNodes: 6 });
    // Runs 2 and 3 of the fixture (the first prefill's 14.4 s of GPU time is left out).
    expect(profile.prefill.gpuBusyUs).toBe((10122882 + 10047103) / 2);
    expect(profile.decode.gpuBusyUs).toBe((6072878 + 10305050) / 2);
    for (const run of [profile.prefill, profile.decode]) {
      const opsTotal = run.ops.reduce((sum, op) => sum + op.gpuUs, 0);
      expect(opsTotal).toBeCloseTo(run.gpuBusyUs, 3);
      expect(run.ops.reduce((sum, op) => sum + op.kernels, 0)).toBe(run.kernels);
      expect(run.gpuSpanUs).toBeGreaterThanOrEqual(run.gpuBusyUs);
      expect(run.wallUs).toBeGreaterThan(run.executeUs);
      expect(run.ops.map((op) => op.gpuUs)).toEqual([...run.ops.map((op) => op.gpuUs)].sort((a, b) => b - a));
    }
    expect(profile.decode.ops[0]!.op).toBe('MatMulNBits');
    // SwiftShader's timestamps here are not rounded (3427 µs, 1196 µs, …).
    expect(profile.timestampsRounded).toBe(false);
  });

  it('notices timestamps the browser rounded to 100 µs, given enough kernels to tell', () => {
    expect(timestampsLookRounded(Array.from({ length: 12 }, (_, i) => i * 100))).toBe(true);
    expect(timestampsLookRounded([...Array.from({ length: 11 }, () => 200), 150])).toBe(false);
    expect(timestampsLookRounded([100, 200, 300])).toBe(false);
  });

  it('averages counts and times, and takes the median wall time', () => {
    const synthetic = [
      event('Session', 'model_run', 0, 100),
      event('Api', 'n&Add&Add', 10, 5),
      event('Session', 'model_run', 200, 100),
      event('Api', 'n&Add&Add', 210, 4),
      event('Api', 'm&Mul&Mul', 220, 6),
      event('Node', 'Shape_1_kernel_time', 205, 3, 'CPUExecutionProvider'),
      event('Node', 'Add_2_kernel_time', 206, 9, 'WebGpuExecutionProvider'),
      event('Session', 'SequentialExecutor::Execute', 201, 30),
      event('Session', 'model_run', 400, 140),
      event('Api', 'n&Add&Add', 410, 2),
      event('Session', 'model_run', 600, 50),
      event('Api', 'n&Add&Add', 610, 1),
      event('Session', 'model_run', 700, 50),
      event('Api', 'n&Add&Add', 710, 3),
      event('Api', 'n&Add&Add', 720, 3),
    ];
    const profile = kernelProfileOf(synthetic, { promptTokens: 4, prefillRuns: 3, decodeRuns: 2 });
    expect(profile.prefill).toEqual({
      runs: 2,
      wallUs: 120,
      executeUs: 15,
      kernels: 1.5,
      gpuBusyUs: 6,
      gpuSpanUs: 9,
      cpuNodes: 0.5,
      cpuNodeUs: 1.5,
      ops: [
        { op: 'Add', kernels: 1, gpuUs: 3 },
        { op: 'Mul', kernels: 0.5, gpuUs: 3 },
      ],
    });
    expect(profile.decode).toMatchObject({ runs: 1, kernels: 2, gpuBusyUs: 6, gpuSpanUs: 13 });
  });

  it('refuses a profile whose runs are not the ones made', () => {
    expect(() => kernelProfileOf(lines, { promptTokens: 16, prefillRuns: 3, decodeRuns: 4 })).toThrow(
      /holds 6 runs where 7 were made/,
    );
    expect(() => kernelProfileOf(lines, { promptTokens: 16, prefillRuns: 1, decodeRuns: 5 })).toThrow(
      /at least two/,
    );
  });
});
