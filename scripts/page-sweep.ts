/** Runs one sweep through the page's #autorun hook and waits for it to end (shared by the benchmark scripts). */
import type { Page } from 'playwright-core';
import type { SweepConfig } from '../src/bench/sweep-config';
import { encodeAutorun, type AutomationState } from '../src/ui/automation';

export async function runPageSweep(
  page: Page,
  baseUrl: string,
  config: SweepConfig,
  onLine: (line: string) => void = () => undefined,
): Promise<AutomationState> {
  await page.goto(`${baseUrl}#${encodeAutorun(config)}`);
  await page.reload();
  let last = '';
  for (;;) {
    const state = await page.evaluate(() => window.ttftBench);
    if (state !== undefined) {
      if (state.gpu === 'unavailable') throw new Error('the page found no WebGPU adapter');
      const { status } = state;
      if (status.kind === 'running') {
        const line = `[${status.progress.completedTrials}/${status.progress.totalTrials}]`;
        if (line !== last) onLine(line);
        last = line;
      } else if (status.kind !== 'idle') {
        if (status.kind !== 'done') {
          throw new Error(`sweep ${status.kind}${status.kind === 'failed' ? `: ${status.message}` : ''}`);
        }
        return state;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
