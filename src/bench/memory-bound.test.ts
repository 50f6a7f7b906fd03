import { describe, expect, it } from 'vitest';
import { judgeMemory, type MemorySample } from './memory-bound';

const MiB = 2 ** 20;
const sample = (trials: number, heapMiB: number, gpuMiB: number): MemorySample => ({
  trials,
  jsHeapBytes: heapMiB * MiB,
  gpuLiveBytes: gpuMiB * MiB,
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
    expect(verdict).toMatchObject({ ok: true, judgedTrials: 150, gpuGrowthBytes: 0 });
    expect(verdict.jsHeapGrowthBytes / MiB).toBeCloseTo(1.3, 6);
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

  it('refuses to judge a sweep too short to say', () => {
    expect(judgeMemory([sample(10, 1, 1), sample(60, 1, 1), sample(70, 1, 1), sample(80, 1, 1)]).ok).toBe(
      false,
    );
  });
});
