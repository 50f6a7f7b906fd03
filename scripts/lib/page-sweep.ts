/** Drives sweeps through the page's #autorun hook (shared by the benchmark scripts and the e2e memory test). */
import type { Page } from 'playwright-core';
import type { SweepConfig } from '../../src/config/sweep-config';
import { encodeAutorun, type AutomationState } from '../../src/ui/automation';

/** What a poll reads: small, so polling does not load the page's main thread while it measures. */
export interface SweepPoll {
  readonly status: AutomationState['status'];
  readonly trialCount: number;
}

/**
 * Polls the page until the sweep ends (done, failed or cancelled) and returns its whole state, read once at
 * the end; `onPoll` sees every poll on the way (progress lines, memory samples).
 */
export async function waitForSweep(
  page: Page,
  onPoll: (poll: SweepPoll) => void | Promise<void> = () => undefined,
): Promise<AutomationState> {
  for (;;) {
    const poll = await page.evaluate(() => {
      const state = window.ttftBench;
      return state === undefined
        ? undefined
        : { gpu: state.gpu, status: state.status, trialCount: state.trials.length };
    });
    if (poll !== undefined) {
      if (poll.gpu === 'unavailable') throw new Error('the page found no WebGPU adapter');
      await onPoll(poll);
      if (poll.status.kind !== 'idle' && poll.status.kind !== 'running') {
        const state = await page.evaluate(() => window.ttftBench);
        if (state === undefined) throw new Error('the page lost its state');
        return state;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const optedIn = new WeakSet<Page>();

/**
 * Opts this page in to autorun, as a headless driver does: an init script (never the URL) sets the flag
 * before the app's code runs, on every later load of the page.
 */
export async function optInToAutorun(page: Page): Promise<void> {
  if (optedIn.has(page)) return;
  optedIn.add(page);
  await page.addInitScript(() => {
    window.ttftBenchAutorunOptIn = true;
  });
}

/** Loads the page with this configuration to run (a fresh page load even if it is open already). */
export async function startPageSweep(page: Page, baseUrl: string, config: SweepConfig): Promise<void> {
  await optInToAutorun(page);
  await page.goto(`${baseUrl}#${encodeAutorun(config)}`);
  await page.reload();
}

/** One whole sweep that must finish: its final state, or an error saying how it ended. */
export async function runPageSweep(
  page: Page,
  baseUrl: string,
  config: SweepConfig,
): Promise<AutomationState> {
  await startPageSweep(page, baseUrl, config);
  const state = await waitForSweep(page);
  const { status } = state;
  if (status.kind !== 'done') {
    throw new Error(`sweep ${status.kind}${status.kind === 'failed' ? `: ${status.message}` : ''}`);
  }
  return state;
}
