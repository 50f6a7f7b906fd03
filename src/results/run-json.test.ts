import { describe, expect, it } from 'vitest';
import { DEFAULT_SWEEP_CONFIG } from '../config/sweep-config';
import { parseRunJson, runToJson } from './run-json';
import { trial } from './trial-fixture';
import type { VariantLoadRecord } from './trial';

const load: VariantLoadRecord = {
  runId: 'run-1',
  model: 'org/name',
  quantization: 'q4',
  modelBytes: 123,
  modelSha256: 'ab'.repeat(32),
  filesFrom: 'cache',
  prepareMs: 12.5,
  sessionCreateMs: 800,
};

describe('run files (JSON)', () => {
  it('round-trip a run: configuration, loads and trials', () => {
    const trials = [
      trial({ ttftMs: 12.25, model: 'org/name', modelSource: 'hub', modelRevision: 'c'.repeat(40) }),
    ];
    const run = { config: DEFAULT_SWEEP_CONFIG, loads: [load], trials };
    expect(parseRunJson(runToJson(run))).toEqual({ ok: true, run });
    // Node counts per layer travel with the load; files from before them have none.
    const counted = { ...run, loads: [{ ...load, nodesPerLayer: 13 }] };
    expect(parseRunJson(runToJson(counted))).toEqual({ ok: true, run: counted });
    const badCount = runToJson({ ...run, loads: [{ ...load, nodesPerLayer: -1 }] });
    expect(parseRunJson(badCount)).toMatchObject({ ok: false });
  });

  it('carry a kernel profile with its load, and refuse a malformed one', () => {
    const run_ = {
      kind: 'measured' as const,
      profiles: [
        {
          promptTokens: 128,
          prefill: {
            runs: 2,
            wallUs: 30_000,
            executeUs: 9_000,
            kernels: 428,
            gpuBusyUs: 24_000,
            gpuSpanUs: 26_000,
            cpuNodes: 6,
            cpuNodeUs: 40,
            ops: [{ op: 'MatMulNBits · MatMulNBitsWideTile', kernels: 120, gpuUs: 12_000 }],
          },
          decode: {
            runs: 2,
            wallUs: 12_000,
            executeUs: 8_000,
            kernels: 400,
            gpuBusyUs: 9_000,
            gpuSpanUs: 10_000,
            cpuNodes: 6,
            cpuNodeUs: 35,
            ops: [],
          },
          timestampsRounded: false,
        },
      ],
    };
    const run = {
      config: DEFAULT_SWEEP_CONFIG,
      loads: [
        { ...load, kernelProfile: run_ },
        {
          ...load,
          quantization: 'fp32' as const,
          kernelProfile: { kind: 'not measured' as const, reason: 'the adapter has no timestamp-query' },
        },
      ],
      trials: [trial({ model: 'org/name', modelSource: 'hub', modelRevision: 'c'.repeat(40) })],
    };
    expect(parseRunJson(runToJson(run))).toEqual({ ok: true, run });
    const negative = {
      ...run_,
      profiles: [{ ...run_.profiles[0]!, prefill: { ...run_.profiles[0]!.prefill, kernels: -1 } }],
    };
    expect(parseRunJson(runToJson({ ...run, loads: [{ ...load, kernelProfile: negative }] }))).toMatchObject({
      ok: false,
    });
  });

  it('says what is wrong with a file that is not a run', () => {
    expect(parseRunJson('{')).toEqual({ ok: false, message: 'The file is not valid JSON.' });
    expect(parseRunJson('{"format":"other"}')).toMatchObject({ ok: false });
    const bad = JSON.parse(runToJson({ config: undefined, loads: [], trials: [trial({})] })) as {
      trials: Record<string, unknown>[];
    };
    bad.trials[0]!['ttft_ms'] = -1;
    const parsed = parseRunJson(JSON.stringify(bad));
    expect(parsed).toMatchObject({ ok: false });
    if (!parsed.ok) expect(parsed.message).toMatch(/^trial 1, column ttft_ms/);
    expect(parseRunJson(JSON.stringify({ ...bad, version: 99 }))).toMatchObject({ ok: false });
  });
});
