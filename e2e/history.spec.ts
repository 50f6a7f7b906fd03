import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { parseTrialsCsv } from '../src/results/csv';
import { roundToMicroseconds } from '../src/results/trial-fields';
import type { TrialRecord } from '../src/results/trial';
import { recordedTrials } from './page-state';

const LENGTHS = [8, 16];
const REPS = 3;

async function startSweep(page: Page): Promise<void> {
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toBeVisible();
  await page.locator('input[name="quantization"][value="fp32"]').setChecked(false);
  await page.locator('input[name="quantization"][value="q4"]').setChecked(true);
  await page.getByTestId('lengths').fill(LENGTHS.join(', '));
  await page.getByTestId('warmups').fill('1');
  await page.getByTestId('cpu-match').setChecked(false);
  await page.getByTestId('reps').fill(String(REPS));
  await page.getByTestId('run').click();
}

async function waitForTrials(page: Page, count: number): Promise<TrialRecord[]> {
  await expect
    .poll(async () => (await recordedTrials(page)).length, { timeout: 3 * 60_000 })
    .toBeGreaterThanOrEqual(count);
  return recordedTrials(page);
}

async function downloadedTrials(page: Page): Promise<TrialRecord[]> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-csv').click(),
  ]);
  return parseTrialsCsv(readFileSync(await download.path(), 'utf8'));
}

/** Every timed repetition of every cell exactly once, all in one run. */
function expectCompleteRun(trials: readonly TrialRecord[]): void {
  const timed = trials.filter((trial) => trial.phase === 'warm');
  expect(timed.map((trial) => `${trial.promptTokens}#${trial.repetition}`).sort()).toEqual(
    LENGTHS.flatMap((length) => Array.from({ length: REPS }, (_, i) => `${length}#${i + 1}`)).sort(),
  );
  expect(new Set(trials.map((trial) => trial.runId)).size).toBe(1);
  expect(new Set(trials.map((trial) => trial.trialIndex)).size).toBe(trials.length);
}

test('a reload mid-sweep keeps every finished trial; resume measures only what is missing', async ({
  page,
}) => {
  await startSweep(page);
  const before = await waitForTrials(page, 3);
  await page.reload();

  const interrupted = page.locator('[data-testid="history-run"][data-state="interrupted"]');
  await expect(interrupted).toHaveCount(1);
  const saved = Number(await interrupted.getByTestId('history-trials').textContent());
  expect(saved).toBeGreaterThanOrEqual(before.length);

  // Open shows the saved trials as they were measured.
  await interrupted.getByRole('button', { name: 'Open' }).click();
  const reopened = await downloadedTrials(page);
  expect(reopened).toHaveLength(saved);
  for (const trial of before) {
    // The CSV writes durations to the microsecond.
    expect(reopened.find((t) => t.trialIndex === trial.trialIndex)?.ttftMs).toBe(
      roundToMicroseconds(trial.ttftMs),
    );
  }

  await interrupted.getByTestId('history-resume').click();
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 5 * 60_000 });
  const resumed = await downloadedTrials(page);
  expectCompleteRun(resumed);
  // What was measured before the reload is kept as it was, not measured again.
  for (const trial of reopened) expect(resumed.find((t) => t.trialIndex === trial.trialIndex)).toEqual(trial);
  await expect(page.locator('[data-testid="history-run"]')).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('history-trials')).toHaveText(String(resumed.length));

  // Rename and delete work, and survive a reload.
  await page.getByRole('button', { name: /^Rename / }).click();
  await page.getByTestId('history-rename-input').fill('before the driver update');
  await page.getByRole('button', { name: 'Save' }).click();
  // The list shows the new name once its IndexedDB transaction has committed; reload only then.
  await expect(page.getByTestId('history-name')).toHaveText('before the driver update');
  await page.reload();
  await expect(page.getByTestId('history-name')).toHaveText('before the driver update');
  // Delete asks first, and can be undone.
  await page.getByTestId('history-delete').click();
  await expect(page.getByTestId('history-confirm-delete')).toContainText(
    'Delete “before the driver update”?',
  );
  await page.getByTestId('history-confirm-yes').click();
  await expect(page.getByTestId('history-run')).toHaveCount(0);
  await page.getByTestId('history-undo').click();
  await expect(page.getByTestId('history-name')).toHaveText('before the driver update');
  await page.getByTestId('history-delete').click();
  await page.getByTestId('history-confirm-yes').click();
  await expect(page.getByTestId('history-run')).toHaveCount(0);
});

test('a GPU device lost mid-sweep: the app says so, keeps the trials, gets a new device and resumes', async ({
  page,
}) => {
  await startSweep(page);
  const before = await waitForTrials(page, 3);
  expect(await page.evaluate(() => window.ttftBenchEngine?.devicesAcquired())).toBe(1);
  // device.destroy() on the engine's own device, in its worker: the loss a driver reset causes.
  await page.evaluate(() => window.ttftBenchEngine?.loseDevice());

  await expect(page.getByTestId('status-failed')).toContainText('GPU device was lost', { timeout: 30_000 });
  await expect(page.getByTestId('device-loss')).toContainText('lost');
  const kept = await recordedTrials(page);
  expect(kept.length).toBeGreaterThanOrEqual(before.length);
  await expect(page.locator('[data-testid="history-run"][data-state="interrupted"]')).toHaveCount(1);

  await page.getByTestId('resume-run').click();
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 5 * 60_000 });
  const resumed = await downloadedTrials(page);
  expectCompleteRun(resumed);
  for (const trial of kept) {
    expect(resumed.find((t) => t.trialIndex === trial.trialIndex)?.ttftMs).toBe(
      roundToMicroseconds(trial.ttftMs),
    );
  }
  expect(await page.evaluate(() => window.ttftBenchEngine?.devicesAcquired())).toBe(2);
});
