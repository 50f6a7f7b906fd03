/**
 * Two tabs of one browser and one GPU: the second waits for the first, or runs anyway with every trial
 * measured meanwhile marked overlapped in both runs; a run being measured cannot be deleted from either tab.
 */
import { expect, test, type Page } from '@playwright/test';
import { recordedTrials } from './page-state';

// About 40 s on an idle 2-core machine; SwiftShader slows a lot when the machine is shared.
test.describe.configure({ timeout: 4 * 60_000 });

async function startRun(page: Page, reps: number): Promise<void> {
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toContainText('GPU:');
  await page.locator('input[name="quantization"][value="fp32"]').setChecked(false);
  await page.locator('input[name="quantization"][value="q4"]').setChecked(true);
  await page.getByTestId('lengths').fill('8');
  await page.getByTestId('warmups').fill('0');
  await page.getByTestId('reps').fill(String(reps));
  // The variant check (a CPU session per variant) is not what this test is about, and on two shared cores it
  // would take most of the second run's time.
  await page.getByTestId('cpu-match').setChecked(false);
  await page.getByTestId('run').click();
}

test('a second tab waits for the GPU, or runs anyway and both runs mark the overlap; a live run cannot be deleted', async ({
  context,
}) => {
  const first = await context.newPage();
  await startRun(first, 300);
  await expect(first.getByTestId('progress')).toContainText('q4: length 8, rep', { timeout: 2 * 60_000 });
  // Some trials measured alone first, to tell them from the overlapped ones.
  await expect
    .poll(async () => (await recordedTrials(first)).length, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(2);

  const second = await context.newPage();
  await startRun(second, 3);
  await expect(second.getByTestId('gpu-busy')).toContainText('Another tab is measuring on this GPU');
  await expect(second.getByTestId('progress')).toContainText('Waiting: another tab is measuring on this GPU');
  await second.waitForTimeout(2000);
  expect(await recordedTrials(second)).toEqual([]);

  // The first run is live: neither tab may delete it.
  for (const page of [second, first]) {
    const live = page.locator('[data-testid="history-run"][data-live="true"]');
    await expect(live).toHaveCount(1, { timeout: 5000 });
    await expect(live.getByTestId('history-delete')).toBeDisabled();
    await expect(live.getByTestId('history-select')).toBeDisabled();
    await expect(live).toContainText('being measured');
  }

  const insistedAt = Date.now();
  await second.getByTestId('run-anyway').click();
  await expect(second.getByTestId('status-done')).toBeVisible({ timeout: 2 * 60_000 });
  const doneAt = Date.now();
  const secondTrials = await recordedTrials(second);
  expect(secondTrials).toHaveLength(3);
  expect(secondTrials.map((trial) => trial.overlapped)).toEqual([true, true, true]);

  // The first run learns of it: trials measured meanwhile are overlapped, those before and after are not.
  await expect
    .poll(
      async () => (await recordedTrials(first)).filter((t) => Date.parse(t.startedAt) > doneAt + 200).length,
      {
        timeout: 60_000,
      },
    )
    .toBeGreaterThan(0);
  const firstTrials = await recordedTrials(first);
  const startOf = (t: (typeof firstTrials)[number]) => Date.parse(t.startedAt);
  const endOf = (t: (typeof firstTrials)[number]) => startOf(t) + t.ttftMs;
  // Margins for messages between tabs and this test's own polling, on a loaded machine.
  const before = firstTrials.filter((t) => endOf(t) < insistedAt);
  const during = firstTrials.filter((t) => startOf(t) > insistedAt + 2000 && endOf(t) < doneAt - 1000);
  const after = firstTrials.filter((t) => startOf(t) > doneAt + 1000);
  expect(before.length).toBeGreaterThan(0);
  expect(during.length).toBeGreaterThan(0);
  expect(before.every((t) => !t.overlapped)).toBe(true);
  expect(during.every((t) => t.overlapped)).toBe(true);
  expect(after.every((t) => !t.overlapped)).toBe(true);

  await first.getByTestId('cancel').click();
  await expect(first.getByTestId('status-cancelled')).toBeVisible();
  // Once it has stopped, it can be deleted.
  const ended = second.locator(`[data-testid="history-run"][data-run-id="${firstTrials[0]!.runId}"]`);
  await expect(ended).not.toHaveAttribute('data-live', 'true', { timeout: 5000 });
  await expect(ended.getByTestId('history-delete')).toBeEnabled();

  // History clears many at once, after asking, and can undo it.
  await second.reload();
  const rows = second.getByTestId('history-run');
  await expect(rows).toHaveCount(2);
  await second.getByTestId('history-select-all').click();
  await second.getByTestId('history-delete-selected').click();
  await expect(second.getByTestId('history-confirm-delete')).toContainText('Delete 2 runs?');
  await second.getByTestId('history-confirm-yes').click();
  await expect(rows).toHaveCount(0);
  await expect(second.getByTestId('history-deleted')).toContainText('Deleted 2 runs.');
  await second.getByTestId('history-undo').click();
  await expect(rows).toHaveCount(2);
});
