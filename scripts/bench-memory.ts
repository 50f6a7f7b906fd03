/**
 * Memory of a long sweep: runs 1 + N trials (one prompt shape) of a built-in model in headless Chromium and samples the
 * JS heap of the page and the engine worker (after a forced GC, via the DevTools protocol), the browser's own
 * measurement (performance.measureUserAgentSpecificMemory, which includes WebAssembly memory; the preview server
 * isolates the page so it is available) and the GPU buffers the app's device holds, every 25 trials; prints them and whether they stay within the bound (exit 1 when not).
 *
 *   npm run bench:memory -- [--reps 200] [--quant q4] [--lengths 16] [--graph fused|plain] [--gpu] [--chrome-arg FLAG]...
 *
 * One prompt length by default: onnxruntime keeps buffers per tensor shape, so a new length legitimately adds
 * GPU memory; within one shape nothing may grow.
 */
import { parseArgs } from 'node:util';
import { runMemorySweep } from './lib/memory-sampler';
import { parsePromptLengths } from '../src/config/lengths';
import {
  judgeMemory,
  DEFAULT_MEMORY_BOUND,
  formatGrowth,
  type MemorySample,
} from '../src/bench/memory-bound';
import { parseSweepConfig } from '../src/config/sweep-config-schema';
import { DEFAULT_SWEEP_CONFIG } from '../src/config/sweep-config';
import { formatBytes } from '../src/format-bytes';
import { ensureBuilt } from './ensure-built';
import { CHROMIUM_CLI_OPTIONS, startHeadlessAppOrExit } from './headless-app';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '200' },
    quant: { type: 'string', default: 'q4' },
    lengths: { type: 'string', default: '16' },
    graph: { type: 'string', default: DEFAULT_SWEEP_CONFIG.graph },
    ...CHROMIUM_CLI_OPTIONS,
  },
  strict: true,
});
const lengths = parsePromptLengths(values.lengths);
if (!lengths.ok) throw new Error(lengths.message);
const parsed = parseSweepConfig({
  ...DEFAULT_SWEEP_CONFIG,
  quantizations: values.quant.split(','),
  promptLengths: lengths.lengths,
  graph: values.graph,
  warmupRuns: 1,
  repetitions: Number(values.reps),
  syncModes: ['barrier'],
  // The CPU check's wasm session would grow onnxruntime's heap before the samples (as e2e/memory.spec.ts).
  cpuMatch: false,
});
if (!parsed.ok) throw new Error(parsed.message);

await ensureBuilt();
const app = await startHeadlessAppOrExit('bench:memory', values);
const { baseUrl, browser } = app;
// One unit in every column, so samples read down the table.
const mib = (bytes: number) => formatBytes(bytes, { unit: 'MiB', digits: 2 }).padStart(12);
const measuredMib = (sample: MemorySample) =>
  sample.userAgentBytes === undefined ? 'n/a' : mib(sample.userAgentBytes).trim();
let exitCode = 0;
try {
  const page = await browser.newPage();
  console.log(
    '  trials   JS heap (page + engine worker)   browser-measured (page, worker, other)   GPU buffers',
  );
  const run = await runMemorySweep(page, baseUrl, parsed.config, 25, (sample) => {
    const heap = `${mib(sample.jsHeapBytes)} (${mib(sample.pageHeapBytes)} + ${mib(sample.engineHeapBytes)})`;
    const measured =
      sample.userAgent === undefined
        ? 'not available (page not cross-origin isolated)'.padEnd(44)
        : `${mib(sample.userAgent.totalBytes)} (${mib(sample.userAgent.pageBytes)}, ${mib(sample.userAgent.engineWorkerBytes)}, ${mib(sample.userAgent.otherBytes)})`;
    console.log(`${String(sample.trials).padStart(8)}   ${heap}   ${measured}   ${mib(sample.gpuLiveBytes)}`);
  });
  console.log(
    `before the sweep: heap ${mib(run.before.jsHeapBytes).trim()}, browser-measured ${measuredMib(run.before)}, GPU ${mib(run.before.gpuLiveBytes).trim()}`,
  );
  console.log(
    `after the sweep:  heap ${mib(run.after.jsHeapBytes).trim()}, browser-measured ${measuredMib(run.after)}, GPU ${mib(run.after.gpuLiveBytes).trim()} (sessions released)`,
  );
  const verdict = judgeMemory([...run.during, run.after]);
  console.log(
    `\nfrom trial ${DEFAULT_MEMORY_BOUND.settleTrials} on (${verdict.judgedTrials} trials): JS heap ${formatGrowth(verdict.jsHeapGrowthBytes)} ` +
      `(${formatBytes(verdict.jsHeapGrowthBytes / Math.max(verdict.judgedTrials, 1), { unit: 'KiB', digits: 2 })} a trial), ` +
      (verdict.userAgentGrowthBytes === undefined
        ? 'browser-measured: not available, '
        : `browser-measured ${formatGrowth(verdict.userAgentGrowthBytes)}, `) +
      `GPU buffers ${verdict.gpuGrowthBytes > 0 ? '+' : ''}${verdict.gpuGrowthBytes} B (medians of the halves for memory, peaks for GPU buffers)`,
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
