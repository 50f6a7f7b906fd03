import { expect, test, type Page } from '@playwright/test';

/** Moves focus with Tab only until the element with this test id has it. */
async function tabTo(page: Page, testId: string): Promise<void> {
  for (let presses = 0; presses < 120; presses++) {
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId))
      return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${testId}`);
}

async function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

test('on a phone-sized window, with the keyboard only: configure, run, read results, download a chart', async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toBeVisible();
  expect(await overflowsSideways(page)).toBe(false);

  await tabTo(page, 'lengths');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('8');
  await tabTo(page, 'warmups');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('0');
  await tabTo(page, 'reps');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('1');
  // The CPU check, a checkbox like any other (off: it only costs time here).
  await tabTo(page, 'cpu-match');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('cpu-match')).not.toBeChecked();
  await tabTo(page, 'run');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 3 * 60_000 });

  // Results, tables and charts fit the width (wide tables scroll inside their own box).
  await expect(page.getByTestId('results-table')).toBeVisible();
  expect(await overflowsSideways(page)).toBe(false);
  // Every chart can be saved, the breakdown too.
  await tabTo(page, 'log-length-axis');
  const breakdownPng = page.getByTestId('breakdown-chart').getByTestId('download-chart-png');
  await breakdownPng.focus();
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect(download.suggestedFilename()).toBe('ttft-breakdown.png');
  await expect(page.getByTestId('breakdown-chart-data')).toContainText('prefill (session.run)');
});
