import { describe, expect, it } from 'vitest';
import { formatGrowth, judgeMemory, type MemorySample } from './memory-bound';

const MiB = 2 ** 20;
const sample = (trials: number, heapMiB: number, gpuMiB: number, userAgentMiB?: number): MemorySample => ({
  trials,
  jsHeapBytes: heapMiB * MiB,
  gpuLiveBytes: gpuMiB * MiB,
  userAgentBytes: userAgentMiB === undefined ? undefined : userAgentMiB * MiB,
});

describe('memory bound of a long sweep', () => {
  it("ignores loading and one trial's transient buffers; allows the trial records, nothing more on the GPU", () => {
    const verdict = judgeMemory([
      sample(0, 10, 0),
      sample(25, 40, 90),
      sample(50, 41, 90),
      sample(100, 41.2, 90.5),
      sample(150, 42, 90),
      sample(200, 42.5, 90.5),
    ]);
    expect(verdict).toMatchObject({
      ok: true,
      judgedTrials: 150,
      gpuGrowthBytes: 0,
      userAgentGrowthBytes: undefined,
    });
    // Medians of the halves: 42.25 - 41.1.
    expect(verdict.jsHeapGrowthBytes / MiB).toBeCloseTo(1.15, 6);
  });

  it('ignores a heap spike that one sample caught (alive at that instant), as measured on SwiftShader', () => {
    // bench:memory's samples from trial 50 on: at 150 the page held 2.7 MiB more for that one sample.
    const heap = [83.84, 84.18, 84.37, 84.81, 87.57, 85.08, 85.1, 84.96];
    const verdict = judgeMemory(heap.map((heapMiB, i) => sample(50 + 25 * i, heapMiB, 44.32)));
    expect(verdict.ok).toBe(true);
    expect(verdict.jsHeapGrowthBytes / MiB).toBeCloseTo(85.09 - 84.275, 6);
  });

  it('names a heap leak and a GPU leak', () => {
    const verdict = judgeMemory([
      sample(50, 40, 90),
      sample(100, 45, 90.5),
      sample(150, 50, 91),
      sample(200, 55, 91.5),
    ]);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([
      'JS heap grew 10.00 MiB over 150 trials (bound 4.00 MiB)',
      'GPU buffers grew 1.00 MiB over 150 trials (bound 0.00 MiB)',
    ]);
  });

  it("judges the browser's own measurement when every sample has it, with the heap's bound", () => {
    const steady = judgeMemory([
      sample(50, 40, 90, 230),
      sample(100, 40, 90, 231),
      sample(150, 40, 90, 230.5),
      sample(200, 40, 90, 231.5),
    ]);
    expect(steady.ok).toBe(true);
    expect(steady.userAgentGrowthBytes! / MiB).toBeCloseTo(0.5, 6);
    // Wasm memory is in the browser's figure but not in the JS heap: a leak there shows only here.
    const leaking = judgeMemory([
      sample(50, 40, 90, 230),
      sample(100, 40, 90, 236),
      sample(150, 40, 90, 242),
      sample(200, 40, 90, 248),
    ]);
    expect(leaking.problems).toEqual([
      'the browser measured 12.00 MiB of growth over 150 trials (bound 4.00 MiB)',
    ]);
    // One sample without it (the page lost isolation) and it is not judged at all.
    expect(
      judgeMemory([
        sample(50, 40, 90, 230),
        sample(100, 40, 90),
        sample(150, 40, 90, 242),
        sample(200, 40, 90, 248),
      ]).userAgentGrowthBytes,
    ).toBeUndefined();
  });

  it('refuses to judge a sweep too short to say', () => {
    expect(judgeMemory([sample(10, 1, 1), sample(60, 1, 1), sample(70, 1, 1), sample(80, 1, 1)]).ok).toBe(
      false,
    );
  });

  it('prints growth with its sign', () => {
    expect([formatGrowth(697.4 * 1024), formatGrowth(-2024 * 1024), formatGrowth(100)]).toEqual([
      '+697 KiB',
      '-2024 KiB',
      '0 KiB',
    ]);
  });
});
