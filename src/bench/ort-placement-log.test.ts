import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CPU_PROVIDER,
  cpuComputeOps,
  describePlacement,
  memcpyCounts,
  nodesOn,
  parseNodePlacement,
  parseOrtLogLine,
  placementWarning,
  WEBGPU_PROVIDER,
} from './ort-placement-log';

/**
 * Real logs: what onnxruntime-web 1.30's WebGPU build wrote to console.error in Chromium (SwiftShader) while it
 * created the built-in tiny model's sessions with `logSeverityLevel: 0` and `logId: 'ttft-<quantization>'`,
 * one console call per line, colour codes included.
 */
function capturedLog(name: string): string[] {
  return readFileSync(new URL(`./fixtures/ort-create-log-${name}.txt`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line !== '');
}

describe("onnxruntime's log lines", () => {
  it('are read with their severity, session and location, colour codes removed', () => {
    const warning = capturedLog('int8').find((line) => line.includes('[W:'))!;
    expect(warning.startsWith('\u001b[0;93m')).toBe(true);
    expect(parseOrtLogLine(warning)).toEqual({
      severity: 'W',
      logId: 'ttft-int8',
      location: 'session_state.cc:1397 VerifyEachNodeIsAssignedToAnEp',
      message:
        'Some nodes were not assigned to the preferred execution providers which may or may not have an negative impact on performance. e.g. ORT explicitly assigns shape related ops to CPU to improve perf.',
    });
    expect(parseOrtLogLine('plain text from someone else')).toBeUndefined();
  });
});

describe('node placement from the session log', () => {
  it("lists an int8 model's CPU nodes: its dynamic quantization and integer matmuls, and the shape ops", () => {
    const placement = parseNodePlacement(capturedLog('int8'))!;
    expect(placement.providers.map((p) => [p.provider, p.nodes])).toEqual([
      [CPU_PROVIDER, 35],
      [WEBGPU_PROVIDER, 199],
    ]);
    const cpu = placement.providers[0]!;
    expect(cpu.ops.reduce((sum, op) => sum + op.count, 0)).toBe(35);
    expect(cpu.ops).toEqual([
      { opType: 'MatMulInteger', count: 15 },
      { opType: 'DynamicQuantizeLinear', count: 9 },
      { opType: 'Cast', count: 2 },
      { opType: 'Gather', count: 2 },
      { opType: 'Range', count: 2 },
      { opType: 'Shape', count: 2 },
      { opType: 'LessOrEqual', count: 1 },
      { opType: 'Sub', count: 1 },
      { opType: 'Unsqueeze', count: 1 },
    ]);
    const webGpu = placement.providers[1]!;
    expect(webGpu.ops.reduce((sum, op) => sum + op.count, 0)).toBe(199);
    expect(webGpu.ops[0]).toEqual({ opType: 'Mul', count: 53 });
    expect(memcpyCounts(placement)).toEqual({ fromHost: 28, toHost: 9 });
    // onnxruntime said why: no WebGPU kernel (each node once, though partitioning ran twice).
    expect(placement.noWebGpuKernel).toContainEqual({ opType: 'MatMulInteger', count: 15 });
    expect(placement.noWebGpuKernel).toContainEqual({ opType: 'DynamicQuantizeLinear', count: 9 });
    expect(cpuComputeOps(placement)).toEqual([
      { opType: 'MatMulInteger', count: 15 },
      { opType: 'DynamicQuantizeLinear', count: 9 },
    ]);
    const warning = placementWarning(placement)!;
    expect(warning).toContain('15 MatMulInteger, 9 DynamicQuantizeLinear on the CPU');
    expect(warning).toContain('9 GPU→CPU copies (MemcpyToHost)');
    expect(warning).toContain('no kernel for MatMulInteger, DynamicQuantizeLinear');
    expect(warning).toContain('int8 exports quantize activations dynamically');
  });

  it('finds only shape arithmetic on the CPU for q4, and no warning', () => {
    const placement = parseNodePlacement(capturedLog('q4'))!;
    expect(nodesOn(placement, CPU_PROVIDER)).toBe(11);
    expect(nodesOn(placement, WEBGPU_PROVIDER)).toBe(136);
    expect(placement.providers[1]!.ops).toContainEqual({ opType: 'MatMulNBits', count: 15 });
    expect(cpuComputeOps(placement)).toEqual([]);
    expect(memcpyCounts(placement)).toEqual({ fromHost: 4, toHost: 0 });
    expect(placementWarning(placement)).toBeUndefined();
  });

  it('reads the one-provider form and lines that carry several log lines', () => {
    const lines = [
      '2026-12-01 01:56:46.751692 [V:onnxruntime:, session_state.cc:1377 VerifyEachNodeIsAssignedToAnEp] Node placements',
      '2026-12-01 01:56:46.751855 [V:onnxruntime:, session_state.cc:1380 VerifyEachNodeIsAssignedToAnEp]  All nodes placed on [WebGpuExecutionProvider]. Number of nodes: 84\n' +
        '2026-12-01 01:56:46.829141 [V:onnxruntime:, session_state.cc:186 CreateGraphInfo] SaveMLValueNameIndexMapping',
    ];
    expect(parseNodePlacement(lines)).toEqual({
      providers: [{ provider: WEBGPU_PROVIDER, nodes: 84, ops: [] }],
      noWebGpuKernel: [],
    });
  });

  it('is described per provider, with the copies between them, or says why it is missing', () => {
    const placement = parseNodePlacement(capturedLog('q4'))!;
    expect(describePlacement({ kind: 'measured', ...placement })).toEqual([
      'CPU: 11 nodes (2 Cast, 2 Gather, 2 Range, 2 Shape, 1 LessOrEqual, 1 Sub, 1 Unsqueeze)',
      expect.stringMatching(/^WebGPU: 136 nodes \(23 Mul, 15 Add, 15 MatMulNBits, /),
      'copies: 4 CPU→GPU (MemcpyFromHost), 0 GPU→CPU (MemcpyToHost) per run',
    ]);
    expect(describePlacement({ kind: 'not measured', reason: 'no device' })).toEqual([
      'not measured: no device',
    ]);
    expect(describePlacement(undefined)).toEqual(['not recorded (a run from before placement was read)']);
  });

  it('says nothing when the log has no placement report (severity above VERBOSE)', () => {
    const warningsOnly = capturedLog('int8').filter((line) => !line.includes('[V:'));
    expect(parseNodePlacement(warningsOnly)).toBeUndefined();
  });
});
