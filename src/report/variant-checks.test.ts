import { describe, expect, it } from 'vitest';
import { cpuMatchFields } from '../bench/cpu-match';
import type { VariantLoadRecord } from '../results/trial';
import { trial } from '../results/trial-fixture';
import { formatVariantChecks } from './variant-checks';

const load = (overrides: Partial<VariantLoadRecord>): VariantLoadRecord => ({
  runId: 'run-1',
  model: 'tiny',
  quantization: 'int8',
  modelBytes: 1,
  modelSha256: 'ab'.repeat(32),
  filesFrom: 'built',
  prepareMs: 1,
  sessionCreateMs: 1,
  ...overrides,
});

describe('the variant checks as text', () => {
  it('say what each check found, flagging a disagreement and CPU compute', () => {
    const placement = {
      kind: 'measured' as const,
      providers: [
        {
          provider: 'CPUExecutionProvider',
          nodes: 3,
          ops: [
            { opType: 'MatMulInteger', count: 2 },
            { opType: 'Shape', count: 1 },
          ],
        },
        { provider: 'WebGpuExecutionProvider', nodes: 5, ops: [{ opType: 'MemcpyToHost', count: 5 }] },
      ],
      noWebGpuKernel: [{ opType: 'MatMulInteger', count: 2 }],
    };
    const differing = trial({
      quantization: 'int8',
      cpuMatch: 'measured',
      cpuMatchFirstToken: 'different',
      cpuMatchContinuationPct: 87.5,
      cpuMatchTop5OverlapPct: 95,
      cpuMatchMaxAbsLogitDelta: 0.25,
    });
    const lines = formatVariantChecks(
      [load({ placement }), load({ quantization: 'q4', placement: { kind: 'not measured', reason: 'x' } })],
      [differing, trial({ quantization: 'q4', ...cpuMatchFields({ kind: 'off' }) })],
    );
    expect(lines).toEqual([
      'int8: CPU match: first token different; continuation 88% (7/8); top-5 95%; max |Δ logit| 0.250',
      "  warning: WebGPU and onnxruntime's CPU backend pick different tokens for int8",
      '  placement: CPU: 3 nodes (2 MatMulInteger, 1 Shape)',
      '  placement: WebGPU: 5 nodes (5 MemcpyToHost)',
      '  placement: copies: 0 CPU→GPU (MemcpyFromHost), 5 GPU→CPU (MemcpyToHost) per run',
      expect.stringMatching(/^  warning: onnxruntime ran 2 MatMulInteger on the CPU, not on WebGPU/),
      'q4: CPU match: off',
      '  placement: not measured: x',
    ]);
  });
});
