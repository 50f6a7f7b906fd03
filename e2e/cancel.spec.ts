import { expect, test, type Page } from '@playwright/test';
import { recordedTrials } from './page-state';

async function configure(page: Page, quantization: 'fp32' | 'q4', reps: number): Promise<void> {
  for (const q of ['fp32', 'q4'] as const) {
    await page.locator(`input[name="quantization"][value="${q}"]`).setChecked(q === quantization);
  }
  await page.getByTestId('lengths').fill('8');
  await page.getByTestId('warmups').fill('1');
  // The variant check (CPU match) is not what this test is about; placement is still read.
  await page.getByTestId('cpu-match').setChecked(false);
  await page.getByTestId('reps').fill(String(reps));
}

/** Clicks Cancel as soon as the progress line shows `step`, and returns how long the page took to stop. */
async function cancelDuring(page: Page, step: RegExp): Promise<number> {
  await page.getByTestId('run').click();
  await expect(page.getByTestId('progress')).toContainText(step, { timeout: 2 * 60_000 });
  const clickedAt = Date.now();
  await page.getByTestId('cancel').click();
  await page.getByTestId('status-cancelled').waitFor();
  return Date.now() - clickedAt;
}

test('cancel stops promptly at every step (build, compile, trial) and the app stays ready', async ({
  page,
}) => {
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toBeVisible();

  // Building q4 (quantizing in the worker) takes seconds on this machine: the worker is terminated.
  await configure(page, 'q4', 1);
  expect(await cancelDuring(page, /Building q4 model/)).toBeLessThan(1000);

  // Creating a session blocks the engine worker's thread for seconds (onnxruntime's synchronous
  // initialization), never the page's: the click is handled at once, and the worker that cannot stop by
  // itself is terminated and replaced by a fresh one with a new device.
  await configure(page, 'fp32', 1);
  const devicesBefore = await page.evaluate(() => window.ttftBenchEngine?.devicesAcquired() ?? -1);
  const compileCancelMs = await cancelDuring(page, /Creating fp32 session/);
  console.log(`cancel during session creation took ${compileCancelMs} ms`);
  expect(compileCancelMs).toBeLessThan(1000);
  expect(await page.evaluate(() => window.ttftBench?.trials.length ?? -1)).toBe(0);
  await expect
    .poll(() => page.evaluate(() => window.ttftBenchEngine?.devicesAcquired() ?? -1), { timeout: 30_000 })
    .toBe(devicesBefore + 1);

  // Mid-trial: the run ends for the user at once; the trial in flight finishes (and, being whole, is kept),
  // nothing after it runs.
  await configure(page, 'q4', 50);
  expect(await cancelDuring(page, /q4: length 8, rep \d+ of 50/)).toBeLessThan(1000);
  const kept = await page.evaluate(() => window.ttftBench?.trials.length ?? 0);
  await page.waitForTimeout(1500);
  const after = await page.evaluate(() => window.ttftBench?.trials.length ?? 0);
  expect(after - kept).toBeLessThanOrEqual(1);

  // Ready again: the next run waits for anything the cancelled ones still hold, then completes.
  await expect(page.getByTestId('adapter')).toBeVisible();
  await configure(page, 'q4', 1);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 3 * 60_000 });
  const trials = await recordedTrials(page);
  expect(trials.map((trial) => trial.phase)).toEqual(['cold', 'warm']);
});
