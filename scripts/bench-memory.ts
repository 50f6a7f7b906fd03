/**
 * Memory of a long sweep: runs 1 + N trials (one prompt shape) of a built-in model in headless Chromium and samples the
 * JS heap (after a forced GC, via the DevTools protocol) and the GPU buffers the app's device holds, every
 * 25 trials; prints them and whether they stay within the bound (exit 1 when not).
 *
 *   npm run bench:memory -- [--reps 200] [--quant q4] [--lengths 16] [--gpu]
 *
 * One prompt length by default: onnxruntime keeps buffers per tensor shape, so a new length legitimately adds
 * GPU memory; within one shape nothing may grow.
 */
import { parseArgs } from 'node:util';
import { runMemorySweep } from '../e2e/memory-sampler';
import { parsePromptLengths } from '../src/bench/lengths';
import { judgeMemory, DEFAULT_MEMORY_BOUND } from '../src/bench/memory-bound';
import { parseSweepConfig } from '../src/bench/sweep-config-schema';
import { DEFAULT_SWEEP_CONFIG } from '../src/bench/sweep-config';
import { ensureBuilt } from './ensure-built';
import { startHeadlessApp } from './headless-app';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '200' },
    quant: { type: 'string', default: 'q4' },
    lengths: { type: 'string', default: '16' },
    gpu: { type: 'boolean', default: false },
  },
  strict: true,
});
const lengths = parsePromptLengths(values.lengths);
if (!lengths.ok) throw new Error(lengths.message);
const parsed = parseSweepConfig({
  ...DEFAULT_SWEEP_CONFIG,
  quantizations: values.quant.split(','),
  promptLengths: lengths.lengths,
  warmupRuns: 1,
  repetitions: Number(values.reps),
  syncModes: ['barrier'],
});
if (!parsed.ok) throw new Error(parsed.message);

await ensureBuilt();
const app = await startHeadlessApp(values.gpu);
const { baseUrl, browser } = app;
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(2).padStart(8);
let exitCode = 0;
try {
  const page = await browser.newPage();
  console.log('  trials   JS heap MiB   GPU buffers MiB');
  const run = await runMemorySweep(page, baseUrl, parsed.config, 25, (sample) =>
    console.log(
      `${String(sample.trials).padStart(8)}   ${mib(sample.jsHeapBytes)}      ${mib(sample.gpuLiveBytes)}`,
    ),
  );
  console.log(
    `before the sweep: heap ${mib(run.before.jsHeapBytes)} MiB, GPU ${mib(run.before.gpuLiveBytes)} MiB`,
  );
  console.log(
    `after the sweep:  heap ${mib(run.after.jsHeapBytes)} MiB, GPU ${mib(run.after.gpuLiveBytes)} MiB (sessions released)`,
  );
  const verdict = judgeMemory([...run.during, run.after]);
  console.log(
    `\nfrom trial ${DEFAULT_MEMORY_BOUND.settleTrials} on (${verdict.judgedTrials} trials): JS heap +${(verdict.jsHeapGrowthBytes / 2 ** 10).toFixed(0)} KiB ` +
      `(${(verdict.jsHeapGrowthBytes / Math.max(verdict.judgedTrials, 1) / 1024).toFixed(2)} KiB a trial), GPU buffers +${verdict.gpuGrowthBytes} B`,
  );
  if (run.status !== 'done') {
    console.error(`bench:memory: the sweep ended ${run.status}`);
    exitCode = 1;
  }
  for (const problem of verdict.problems) console.error(`bench:memory: ${problem}`);
  if (!verdict.ok) exitCode = 1;
  else console.log('within the bound');
} finally {
  await app.close();
}
process.exit(exitCode);
