/**
 * A newcomer's first minute (issue 17): the page says what a run will cost, how far it is, what the numbers
 * mean, draws readable charts at desktop and phone widths, and logs no errors from load to done.
 */
import { expect, test, type ConsoleMessage, type Locator, type Page } from '@playwright/test';
import { recordedTrials } from './page-state';

const LENGTHS = [8, 16];
const LEVELS = ['fp32', 'q4'];
const WARMUPS = 1;
const REPS = 2;
const TRIALS = LEVELS.length * LENGTHS.length * (WARMUPS + REPS);

/** Every console error (the engine worker's reach the page's console event too) and uncaught exception. */
function watchConsoleErrors(page: Page): () => string[] {
  const errors: string[] = [];
  const seen = new Set<ConsoleMessage>();
  page.on('console', (message) => {
    if (message.type() !== 'error' || seen.has(message)) return;
    seen.add(message);
    errors.push(`${message.worker() === null ? 'page' : 'worker'}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return () => errors;
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

async function boxes(locator: Locator): Promise<Box[]> {
  const found: Box[] = [];
  for (const element of await locator.all()) {
    const box = await element.boundingBox();
    if (box !== null && box.width > 0) found.push(box);
  }
  return found;
}

const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** In every chart: the axis titles cover no tick label, nothing is drawn outside the plot, x ticks do not touch. */
async function expectReadableCharts(page: Page): Promise<void> {
  for (const id of ['ttft-chart', 'tokens-per-second-chart', 'breakdown-chart']) {
    const chart = page.getByTestId(id);
    const surface = await chart.locator('svg.recharts-surface').first().boundingBox();
    expect(surface, `${id} is drawn`).not.toBeNull();
    const titles = await boxes(chart.locator('.axis-title, .recharts-label'));
    const ticks = await boxes(chart.locator('.recharts-cartesian-axis-tick-value'));
    expect(titles.length, `${id} has an axis title`).toBeGreaterThanOrEqual(1);
    expect(ticks.length, `${id} has tick labels`).toBeGreaterThanOrEqual(4);
    for (const title of titles) {
      for (const tick of ticks)
        expect(
          overlap(title, tick),
          `${id}: an axis title ${JSON.stringify(title)} covers a tick label ${JSON.stringify(tick)}`,
        ).toBe(false);
    }
    for (const text of [...titles, ...ticks]) {
      expect(text.x, `${id}: text cut on the left`).toBeGreaterThanOrEqual(surface!.x - 0.5);
      expect(text.x + text.width, `${id}: text cut on the right`).toBeLessThanOrEqual(
        surface!.x + surface!.width + 0.5,
      );
      expect(text.y, `${id}: text cut at the top`).toBeGreaterThanOrEqual(surface!.y - 0.5);
    }
    const xTicks = (await boxes(chart.locator('.recharts-xAxis .recharts-cartesian-axis-tick-value'))).sort(
      (a, b) => a.x - b.x,
    );
    for (let i = 1; i < xTicks.length; i++) {
      expect(
        xTicks[i]!.x - (xTicks[i - 1]!.x + xTicks[i - 1]!.width),
        `${id}: x ticks touch`,
      ).toBeGreaterThan(2);
    }
  }
}

test('before Run the cost, during the run the time left and the live run in History, then the answer first; readable at 1280 and 390 px; no console errors', async ({
  page,
}) => {
  const consoleErrors = watchConsoleErrors(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toBeVisible();

  // The untouched form follows the adapter: on SwiftShader a short sweep, and it says why.
  await expect(page.getByTestId('defaults-reason')).toContainText('on the CPU');
  await expect(page.getByTestId('lengths')).toHaveValue('16, 64');
  await expect(page.getByTestId('run-cost')).toHaveAttribute('data-trials', '16');
  // The field is wide enough for the old default, the longest a first visit sees.
  const field = page.getByTestId('lengths');
  await field.fill('16, 64, 128, 256, 512, 1024');
  expect(await field.evaluate((input: HTMLInputElement) => input.scrollWidth <= input.clientWidth)).toBe(
    true,
  );

  for (const level of ['fp32', 'fp16', 'int8', 'q4', 'q4f16']) {
    const box = page.locator(`input[name="quantization"][value="${level}"]`);
    if (!(await box.isDisabled())) await box.setChecked(LEVELS.includes(level));
  }
  await field.fill(LENGTHS.join(', '));
  await page.getByTestId('warmups').fill(String(WARMUPS));
  await page.getByTestId('reps').fill(String(REPS));
  // The CPU check costs tens of seconds per variant on this software GPU and is tested in sweep.spec.ts.
  await page.getByTestId('cpu-match').setChecked(false);
  // The edited form stays as typed, and the cost follows it.
  await expect(page.getByTestId('defaults-reason')).toHaveCount(0);
  await expect(page.getByTestId('run-cost')).toHaveAttribute('data-trials', String(TRIALS));
  await expect(page.getByTestId('run-cost')).toContainText(`${TRIALS} trials, about`);
  await page.getByTestId('run').click();

  // While it runs: elapsed time and time left, estimated again after each trial; the run in History.
  await expect(page.getByTestId('run-elapsed')).toBeVisible();
  const estimates: { trials: number; remainingMs: number }[] = [];
  let sawLiveRunInHistory = false;
  while (!(await page.getByTestId('status-done').isVisible())) {
    const trials = (await recordedTrials(page)).length;
    const remaining = await page
      .getByTestId('run-remaining')
      .getAttribute('data-remaining-ms', { timeout: 1000 })
      .catch(() => null);
    if (trials > 0 && remaining !== null && estimates.at(-1)?.trials !== trials) {
      estimates.push({ trials, remainingMs: Number(remaining) });
    }
    if (trials > 0 && trials < TRIALS && !sawLiveRunInHistory) {
      const live = page.locator('[data-testid="history-run"][data-state="running"]');
      if ((await live.count()) === 1) {
        await expect(live.getByTestId('history-trials')).not.toHaveText('0');
        sawLiveRunInHistory = true;
      }
    }
    await page.waitForTimeout(250);
  }
  expect(sawLiveRunInHistory, 'the live run was listed in History as running after its first trial').toBe(
    true,
  );
  expect(estimates.length, 'the estimate was seen after several trials').toBeGreaterThanOrEqual(3);
  expect(estimates.at(-1)!.remainingMs).toBeLessThan(estimates[0]!.remainingMs);
  await expect(page.getByTestId('status-done')).toContainText(/Sweep finished in \d+:\d\d/);
  await expect(page.locator('[data-testid="history-run"]').first()).toHaveAttribute('data-state', 'done');

  // The answer first: the headline's medians are the table's, at a length both levels ran.
  const entries = page.getByTestId('headline-entry');
  await expect(entries).toHaveCount(LEVELS.length);
  await expect(page.getByTestId('headline-adapter')).toContainText('swiftshader');
  await expect(page.getByTestId('headline')).toContainText('TTFT (time to first token)');
  await expect(page.getByTestId('headline').getByTestId('download-csv')).toBeVisible();
  const rows = page.getByTestId('results-table').locator('tbody tr');
  for (const entry of await entries.all()) {
    const level = await entry.getAttribute('data-quantization');
    const tokens = await entry.getAttribute('data-prompt-tokens');
    const headlineMs = Number(
      (await entry.getByTestId('headline-median').textContent())!.replace(/[, ms]/g, ''),
    );
    const row = rows.filter({ has: page.locator('td:nth-child(1)', { hasText: level! }) }).filter({
      has: page.locator(`td:nth-child(2):text-is("${tokens}")`),
    });
    await expect(row).toHaveCount(1);
    expect(Number(await row.locator('td:nth-child(5)').textContent())).toBe(headlineMs);
  }
  // The table is compact until asked for every column.
  const headerCount = () => page.getByTestId('results-table').locator('thead th').count();
  const compactColumns = await headerCount();
  await page.getByTestId('all-columns').check();
  expect(await headerCount()).toBeGreaterThan(compactColumns + 10);

  // Recharts draws axis labels after its first measurement of the container: wait for them, as at 390 px.
  await expect(async () => expectReadableCharts(page)).toPass({ timeout: 10_000 });
  // README's pictures of the page after a run (TTFT_SCREENSHOT_DIR=docs), the table compact.
  const screenshots = process.env['TTFT_SCREENSHOT_DIR'];
  await page.getByTestId('all-columns').uncheck();
  if (screenshots !== undefined)
    await page.screenshot({ path: `${screenshots}/page-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(async () => expectReadableCharts(page)).toPass({ timeout: 10_000 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  if (screenshots !== undefined)
    await page.screenshot({ path: `${screenshots}/page-390.png`, fullPage: true });

  expect.soft(consoleErrors(), 'console errors from load to done').toEqual([]);
});
