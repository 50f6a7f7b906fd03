import { describe, expect, it } from 'vitest';
import {
  compareLogitRows,
  cpuHeapProblem,
  cpuMatchDisagrees,
  cpuMatchFields,
  cpuMatchOfVariants,
  describeCpuMatch,
  topK,
} from './cpu-match';
import { parseTrialsCsv, trialsToCsv } from '../results/csv';
import { trial } from '../results/trial-fixture';

const row = (...values: number[]) => Float32Array.from(values);

describe('the top-k of a logits row', () => {
  it('gives the k largest indexes, largest first, lower index first on ties, skipping NaN', () => {
    expect(topK(row(0.1, 5, -2, 5, 3, NaN, 4), 3)).toEqual([1, 3, 6]);
    expect(topK(row(1, 2), 5)).toEqual([1, 0]);
  });
});

describe('comparing the two backends, position by position', () => {
  it('finds identical rows in full agreement with no difference', () => {
    const rows = [row(0, 1, 2, 3, 4, 5), row(5, 4, 3, 2, 1, 0)];
    expect(compareLogitRows(rows, rows)).toEqual({
      firstTokenSame: true,
      positions: 2,
      agreeingPositions: 2,
      continuationPct: 100,
      top5OverlapPct: 100,
      maxAbsLogitDelta: 0,
    });
  });

  it('scores each teacher-forced position on its own, so a later agreement still counts', () => {
    const cpu = [row(0, 9, 1, 2, 3, 4, 5), row(9, 0, 1, 2, 3, 4, 5), row(0, 0, 9, 1, 2, 3, 4)];
    // Position 0 picks token 2 instead of 1; positions 1 and 2 agree; the largest change is 9 − 0.5 at [0][1].
    const gpu = [row(0, 0.5, 9.5, 2, 3, 4, 5), row(9, 0, 1, 2, 3, 4, 5), row(0, 0, 9.25, 1, 2, 3, 4)];
    const metrics = compareLogitRows(cpu, gpu);
    expect(metrics.firstTokenSame).toBe(false);
    expect(metrics.agreeingPositions).toBe(2);
    expect(metrics.continuationPct).toBeCloseTo(200 / 3, 10);
    // Position 0: CPU top-5 {1,6,5,4,3}, WebGPU {2,6,5,4,3}: 4 of 5; the others 5 of 5.
    expect(metrics.top5OverlapPct).toBeCloseTo((100 * (0.8 + 1 + 1)) / 3, 10);
    expect(metrics.maxAbsLogitDelta).toBeCloseTo(8.5, 6);
  });

  it('counts a NaN on one side only as an infinite difference', () => {
    expect(compareLogitRows([row(1, 2)], [row(1, NaN)]).maxAbsLogitDelta).toBe(Number.POSITIVE_INFINITY);
    expect(() => compareLogitRows([row(1)], [])).toThrow('cannot compare 1 CPU rows with 0 WebGPU rows');
  });
});

describe('the cpu_match columns', () => {
  it('carry the numbers when measured, and a reason instead of numbers when not', () => {
    const rows = [row(0, 1), row(1, 0)];
    const measured = cpuMatchFields({ kind: 'measured', metrics: compareLogitRows(rows, rows) });
    expect(measured).toMatchObject({ cpuMatch: 'measured', cpuMatchFirstToken: 'same' });
    expect(cpuMatchDisagrees(measured)).toBe(false);
    expect(describeCpuMatch(measured)).toBe(
      'first token same; continuation 100% (8/8); top-5 100%; max |Δ logit| 0.000',
    );
    const tooBig = cpuHeapProblem(2 * 2 ** 30)!;
    expect(tooBig).toBe(
      "the 2.00 GiB model needs about 8.06 GiB of onnxruntime's wasm heap on the CPU; wasm32 gives it at most 4 GiB",
    );
    expect(cpuHeapProblem(500 * 2 ** 20)).toBeUndefined();
    const skipped = cpuMatchFields({ kind: 'not measured', reason: tooBig });
    expect(skipped).toEqual({
      cpuMatch: `not measured: ${tooBig}`,
      cpuMatchFirstToken: null,
      cpuMatchContinuationPct: null,
      cpuMatchTop5OverlapPct: null,
      cpuMatchMaxAbsLogitDelta: null,
    });
    expect(describeCpuMatch(skipped)).toBe(`not measured: ${tooBig}`);
    expect(cpuMatchFields({ kind: 'off' }).cpuMatch).toBe('off');
    // A long error message is cut so the record stays valid.
    const long = cpuMatchFields({ kind: 'not measured', reason: 'x'.repeat(5000) }).cpuMatch;
    expect(long).toHaveLength(600);
    expect(long.endsWith('x…')).toBe(true);
    expect(parseTrialsCsv(trialsToCsv([trial({ cpuMatch: long })]))[0]!.cpuMatch).toBe(long);
  });

  it('flag a disagreement, and survive CSV with an infinite difference and empty cells', () => {
    const differing = cpuMatchFields({
      kind: 'measured',
      metrics: compareLogitRows([row(0, 1), row(0, 1)], [row(0, 1), row(1, NaN)]),
    });
    expect(differing.cpuMatchContinuationPct).toBe(50);
    expect(cpuMatchDisagrees(differing)).toBe(true);
    expect(describeCpuMatch(differing)).toContain('continuation 50% (4/8)');
    const trials = [trial(differing), trial(cpuMatchFields({ kind: 'off' }))];
    expect(parseTrialsCsv(trialsToCsv(trials))).toEqual(trials);
  });
});

describe("each variant's check, read back from its trials", () => {
  it('is the one its trials carry, per quantization', () => {
    const off = cpuMatchFields({ kind: 'off' });
    const measured = trial({ quantization: 'q4' });
    const checks = cpuMatchOfVariants([measured, trial({ quantization: 'int8', ...off })]);
    expect(checks.get('int8')).toEqual(off);
    expect(checks.get('q4')).toMatchObject({ cpuMatch: 'measured', cpuMatchContinuationPct: 100 });
    expect(checks.has('fp32')).toBe(false);
  });
});
