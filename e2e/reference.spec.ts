import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { summarizeCells, type CellSummary } from '../src/bench/summary';
import { parseRunJson } from '../src/results/run-json';
import { formatRatio } from '../src/report/compared-run';
import { tokensLabel } from '../src/report/summary-table';
import { recordedTrials } from './page-state';

/** The medians of a shipped reference, from its own trials through the app's statistics. */
function shippedCells(path: string): CellSummary[] {
  const parsed = parseRunJson(readFileSync(new URL(`../public/${path}`, import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.message);
  return summarizeCells(parsed.run.trials);
}

test('after a short tiny run, one click sets the H200 run of tiny beside it, on the table and the chart', async ({
  page,
}) => {
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toBeVisible();
  await page.getByTestId('preset').selectOption('tiny');
  await page.locator('input[name="quantization"][value="fp32"]').setChecked(true);
  await page.locator('input[name="quantization"][value="q4"]').setChecked(false);
  await page.getByTestId('lengths').fill('128');
  await page.getByTestId('warmups').fill('0');
  await page.getByTestId('reps').fill('1');
  // The CPU check costs seconds per variant on this software GPU and is not what this test is about.
  await page.getByTestId('cpu-match').setChecked(false);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 5 * 60_000 });
  await expect(page.getByTestId('reference-choice')).toContainText(
    'A run of the built-in tiny measured on an NVIDIA H200',
  );

  await page.getByTestId('compare-reference').click();
  const compared = page.getByTestId('compared-run');
  await expect(compared).toHaveCount(1);
  await expect(compared).toHaveAttribute('data-label', 'NVIDIA H200 · tiny');
  await expect(compared.locator('h3')).toContainText('NVIDIA H200');
  await expect(compared.getByTestId('reference-about')).toContainText(
    'built-in tiny, fp32, int8, q4, fused graph, LM head on the last position, prompts of 128–4096 tokens',
  );
  // Same model; this software adapter's run keeps the LM head on every position, packs q/k/v and reads the first
  // token back beside the barrier (the reference was measured before those two options), and the page says all three.
  await expect(compared.getByTestId('compared-caution')).toHaveText(
    "Same model, other settings: its LM head is on the last position, this run's on every position; its q/k/v projections are separate, this run's packed; its first token was read back after the barrier, this run's beside the barrier. Its ratios include that difference.",
  );

  const cells = shippedCells('reference/h200-tiny.run.json');
  expect(cells).toHaveLength(12);
  const rows = compared.getByTestId('comparison-table').locator('tbody tr');
  await expect(rows).toHaveCount(cells.length);
  expect(await rows.locator('td:nth-child(1)').allTextContents()).toEqual(
    cells.map((cell) => cell.quantization),
  );
  expect(await rows.locator('td:nth-child(2)').allTextContents()).toEqual(cells.map(tokensLabel));
  expect(await rows.locator('td:nth-child(4)').allTextContents()).toEqual(
    cells.map((cell) => cell.ttftMs.median.toFixed(1)),
  );
  // Only fp32 at 128 tokens was measured here: that row alone has this run's median beside the H200's, and
  // their ratio.
  const [own] = summarizeCells(await recordedTrials(page));
  const ratios = await rows.getByTestId('comparison-ratio').allTextContents();
  const measuredHere = cells.findIndex((cell) => cell.quantization === 'fp32' && cell.promptTokens === 128);
  expect(ratios.filter((ratio) => ratio !== '—')).toHaveLength(1);
  expect(ratios[measuredHere]).toBe(formatRatio(cells[measuredHere]!.ttftMs.median / own!.ttftMs.median));

  // Overlaid on the TTFT chart like an imported run: three hollow series of four points, in its name.
  const chart = page.getByTestId('ttft-chart');
  await expect(chart.locator('g.ttft-dot[data-run="1"]')).toHaveCount(cells.length);
  const chartData = page.getByTestId('ttft-chart-data');
  for (const quantization of ['fp32', 'int8', 'q4']) {
    await expect(chartData.locator('thead')).toContainText(`NVIDIA H200 · tiny: ${quantization}`);
  }
  await expect(chartData).toContainText(`${cells[measuredHere]!.ttftMs.median.toFixed(1)} ms`);
});

test('a reference that cannot be loaded says so and leaves the page usable', async ({ page }) => {
  await page.route('**/reference/*.run.json', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toBeVisible();
  // No run on screen: the Llama-3.2-1B reference, and the page says which model it is.
  await expect(page.getByTestId('reference-choice')).toHaveText(
    'No run on screen: the reference is the built-in llama-3.2-1b.',
  );
  await page.getByTestId('compare-reference').click();
  await expect(page.getByTestId('reference-error')).toContainText(
    'The NVIDIA H200 reference (reference/h200-llama-3.2-1b.run.json) could not be loaded: the server answered 404',
  );
  await expect(page.getByTestId('compared-run')).toHaveCount(0);
  await expect(page.getByTestId('compare-reference')).toBeEnabled();
  await expect(page.getByTestId('run')).toBeEnabled();

  // A damaged file is refused by the run schema at the boundary, with the schema's reason.
  await page.unrouteAll();
  await page.route('**/reference/*.run.json', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: '{"format":"ttft-bench-run"}' }),
  );
  await page.getByTestId('compare-reference').click();
  await expect(page.getByTestId('reference-error')).toContainText(
    'The NVIDIA H200 reference (reference/h200-llama-3.2-1b.run.json) could not be read: Not a ttft-bench run file',
  );
  await expect(page.getByTestId('compared-run')).toHaveCount(0);
});
