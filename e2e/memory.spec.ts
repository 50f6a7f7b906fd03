import { expect, test } from '@playwright/test';
import { formatGrowth, judgeMemory } from '../src/bench/memory-bound';
import { DEFAULT_SWEEP_CONFIG, type SweepConfig } from '../src/config/sweep-config';
import { runMemorySweep } from '../scripts/lib/memory-sampler';

// 1 warm-up + 200 repetitions of the tiny q4 model at one prompt length: onnxruntime keeps GPU buffers per
// tensor shape, so within one shape nothing on the GPU may grow.
const CONFIG: SweepConfig = {
  ...DEFAULT_SWEEP_CONFIG,
  quantizations: ['q4'],
  promptLengths: [16],
  warmupRuns: 1,
  repetitions: 200,
  syncModes: ['barrier'],
  lmHead: 'all',
  // The CPU check's wasm session would grow onnxruntime's heap before the samples; it is checked elsewhere.
  cpuMatch: false,
};

test('a 201-trial sweep holds its JS heap and GPU memory within the bound, and frees the GPU after', async ({
  page,
  baseURL,
}) => {
  // Every 10 trials (bench:memory prints every 25): 16 judged samples make the halves' medians steady against
  // the browser figure's one-sample swings of its unattributed part (0.5-3 MiB on this machine).
  const run = await runMemorySweep(page, baseURL!, CONFIG, 10);
  expect(run.status).toBe('done');
  expect(run.after.trials).toBe(201);
  const verdict = judgeMemory([...run.during, run.after]);
  // The preview server isolates the page, so the browser's own measurement (page, worker, wasm) is judged too.
  expect(verdict.userAgentGrowthBytes).toBeDefined();
  expect(run.during[0]!.userAgent!.engineWorkerBytes).toBeGreaterThan(run.during[0]!.engineHeapBytes);
  console.log(
    `memory: heap ${formatGrowth(verdict.jsHeapGrowthBytes)}, browser-measured ` +
      `${formatGrowth(verdict.userAgentGrowthBytes!)} and GPU ${verdict.gpuGrowthBytes > 0 ? '+' : ''}${verdict.gpuGrowthBytes} B ` +
      `over ${verdict.judgedTrials} trials; GPU live ${run.during[0]!.gpuLiveBytes} B while loaded, ` +
      `${run.after.gpuLiveBytes} B after (before ${run.before.gpuLiveBytes} B)`,
  );
  expect(verdict.problems).toEqual([]);
  // While the model was loaded it held GPU buffers; after the sweep released it, none are left.
  expect(run.during[0]!.gpuLiveBytes).toBeGreaterThan(1 << 20);
  expect(run.after.gpuLiveBytes).toBeLessThanOrEqual(run.before.gpuLiveBytes);
  // The page shows the same accounting.
  await expect(page.getByTestId('gpu-buffers')).toHaveAttribute(
    'data-live-bytes',
    String(run.after.gpuLiveBytes),
  );
});
