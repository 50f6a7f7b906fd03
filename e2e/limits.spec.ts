import { expect, test } from '@playwright/test';
import { recordedTrials } from './page-state';

test('a prompt too long for the GPU: a clear message with the size that failed, trials kept, the next run works', async ({
  page,
}) => {
  // A GPU whose buffers top out at 200 MiB, simulated in the engine worker (src/engine/buffer-ceiling.ts): a
  // buffer requested above that is asked of the real device just over its real limit, so WebGPU itself reports
  // the failure, asynchronously, as it would. The tiny model's largest weight is 31 MiB; the logits of a
  // 512-token prompt are 512 × 128256 × 4 B = 250.5 MiB.
  await page.addInitScript(() => {
    window.ttftBenchTestBufferCeilingBytes = 200 * 2 ** 20;
  });
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toBeVisible();
  await page.locator('input[name="quantization"][value="fp32"]').setChecked(false);
  await page.locator('input[name="quantization"][value="q4"]').setChecked(true);
  // Logits for every position, as exported models compute them (the last-position LM head would not need it).
  await page.getByTestId('last-position-logits').setChecked(false);
  await page.getByTestId('lengths').fill('16, 512');
  await page.getByTestId('cpu-match').setChecked(false);
  await page.getByTestId('warmups').fill('1');
  await page.getByTestId('reps').fill('1');
  await page.getByTestId('run').click();

  const failed = page.getByTestId('status-failed');
  await expect(failed).toBeVisible({ timeout: 4 * 60_000 });
  await expect(failed).toContainText(
    'The GPU could not hold a buffer while running the q4 trial at 512 tokens',
  );
  await expect(failed).toContainText("exceeds this device's max buffer size limit");
  // The 16-token cell was measured before and is kept; nothing from the failed cell was recorded.
  const trials = await recordedTrials(page);
  expect(trials.map((trial) => trial.promptTokens)).toEqual([16, 16]);
  await expect(page.getByTestId('results-table').locator('tbody tr')).toHaveCount(1);

  // The device is still usable: a run within the limits completes.
  await page.getByTestId('lengths').fill('16');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 3 * 60_000 });
});
