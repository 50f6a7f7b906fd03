/** Drives a long sweep on a page and samples its memory as trials finish (shared by the e2e test and bench:memory). */
import type { CDPSession, Page } from 'playwright-core';
import type { MemorySample } from '../src/bench/memory-bound';
import type { SweepConfig } from '../src/bench/sweep-config';
import { startPageSweep, waitForSweep } from './page-sweep';

/** JS heap after a forced garbage collection, and the app's live GPU buffer bytes. */
async function sample(page: Page, cdp: CDPSession, trials: number): Promise<MemorySample> {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const gpuLiveBytes = await page.evaluate(() => window.ttftBenchGpuBuffers?.()?.liveBytes);
  if (gpuLiveBytes === undefined) throw new Error('the page has no GPU buffer accounting');
  return { trials, jsHeapBytes: heap.usedSize, gpuLiveBytes };
}

export interface MemoryRun {
  /** Before the sweep starts (device ready, nothing loaded). */
  readonly before: MemorySample;
  /** Every `every` trials while the sweep runs. */
  readonly during: MemorySample[];
  /** After the sweep finished and released its sessions. */
  readonly after: MemorySample;
  readonly status: string;
}

export async function runMemorySweep(
  page: Page,
  baseUrl: string,
  config: SweepConfig,
  every: number,
  onSample: (sample: MemorySample) => void = () => undefined,
): Promise<MemoryRun> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  // Open the page idle first for the baseline, then start the sweep through its autorun hook.
  await page.goto(baseUrl);
  await page.waitForFunction(() => window.ttftBench?.gpu === 'ready', undefined, { timeout: 60_000 });
  const before = await sample(page, cdp, 0);
  await startPageSweep(page, baseUrl, config);
  const during: MemorySample[] = [];
  let next = every;
  const end = await waitForSweep(page, async ({ trialCount }) => {
    if (trialCount < next) return;
    const taken = await sample(page, cdp, trialCount);
    during.push(taken);
    onSample(taken);
    next = (Math.floor(trialCount / every) + 1) * every;
  });
  const after = await sample(page, cdp, end.trials.length);
  return { before, during, after, status: end.status.kind };
}
