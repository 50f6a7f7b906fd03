import { describe, expect, it } from 'vitest';
import { formatKernelProfiles } from './kernel-profiles';
import type { VariantLoadRecord } from '../results/trial';

const load: VariantLoadRecord = {
  runId: 'run-1',
  model: 'tiny',
  quantization: 'q4',
  modelBytes: 123,
  modelSha256: 'ab'.repeat(32),
  filesFrom: 'built',
  prepareMs: 12.5,
  sessionCreateMs: 800,
};

const run = {
  runs: 2,
  wallUs: 31_500,
  executeUs: 9_250,
  kernels: 428,
  gpuBusyUs: 25_680,
  gpuSpanUs: 26_900,
  cpuNodes: 6,
  cpuNodeUs: 40,
  ops: [
    { op: 'MatMulNBits · MatMulNBitsWideTile', kernels: 120, gpuUs: 12_000 },
    { op: 'GroupQueryAttention · FlashAttention', kernels: 30, gpuUs: 6_000 },
    { op: 'Add', kernels: 60.5, gpuUs: 1_500 },
    { op: 'Mul', kernels: 60, gpuUs: 1_000 },
  ],
};

describe('kernel profiles in the CLI summary', () => {
  it('print nothing when no variant was profiled', () => {
    expect(formatKernelProfiles([load])).toEqual([]);
  });

  it('print a row per prompt length and run kind, with µs per kernel and the top three ops', () => {
    const lines = formatKernelProfiles([
      {
        ...load,
        kernelProfile: {
          kind: 'measured',
          profiles: [{ promptTokens: 128, prefill: run, decode: run, timestampsRounded: false }],
        },
      },
      {
        ...load,
        quantization: 'fp32',
        kernelProfile: { kind: 'not measured', reason: 'no timestamp-query' },
      },
    ]);
    expect(lines).toHaveLength(6);
    expect(lines[3]).toBe(
      '| q4 · prefill 128 | 428 | 25.68 | 26.90 | 60.0 | 9.25 | 31.50 | 6 | MatMulNBits · MatMulNBitsWideTile 12.00 ms (120); GroupQueryAttention · FlashAttention 6.00 ms (30); Add 1.50 ms (60.5) |',
    );
    expect(lines[4]).toMatch(/^\| q4 · decode after 128 \| 428 \|/);
    expect(lines[5]).toBe('| fp32 | not measured: no timestamp-query |');
  });
});
