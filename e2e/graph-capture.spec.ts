import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import Papa from 'papaparse';
import { argmaxFloat32 } from '../src/bench/argmax';
import { buildPromptOfLength } from '../src/bench/prompt';
import { DEFAULT_SWEEP_CONFIG } from '../src/config/sweep-config';
import { buildLlamaOnnx } from '../src/model/build';
import { PRESETS } from '../src/model/config';
import { referenceLastLogits } from '../src/model/reference';
import { parseTrialsCsv, TRIAL_CSV_COLUMNS } from '../src/results/csv';
import type { TrialRecord } from '../src/results/trial';
import { encodeAutorun } from '../src/ui/automation';
import { loadNodeTokenizer } from './node-tokenizer';
import { recordedTrials } from './page-state';

// Two lengths: graph capture records one session per prompt length, so the second length must get its own.
const LENGTHS = [8, 16];
const WARMUPS = 1;
const REPS = 1;
const SEED = DEFAULT_SWEEP_CONFIG.weightSeed;

/**
 * tiny, fp32 only, on the fused graph, at LENGTHS, prefill only; the capture box as asked. (Decoding on the captured
 * decode session doubles each sweep's time here, past this spec's minute.)
 */
async function fillTinyFusedSweep(page: Page, graphCapture: boolean): Promise<void> {
  await page.getByTestId('preset').selectOption('tiny');
  await page.getByTestId('graph-form').selectOption('fused');
  await page.locator('input[name="quantization"][value="fp32"]').setChecked(true);
  await page.locator('input[name="quantization"][value="q4"]').setChecked(false);
  await page.getByTestId('lengths').fill(LENGTHS.join(', '));
  await page.getByTestId('warmups').fill(String(WARMUPS));
  await page.getByTestId('reps').fill(String(REPS));
  // The CPU check costs seconds per variant on this software GPU; the reference forward pass below checks tokens.
  await page.getByTestId('cpu-match').setChecked(false);
  await page.getByTestId('graph-capture').setChecked(graphCapture);
}

/** Prompt length → the first token the app's reference forward pass picks (fp32). */
async function referenceFirstTokens(): Promise<Map<number, number>> {
  const tokenizer = await loadNodeTokenizer(PRESETS.tiny.tokenizer);
  return new Map(
    LENGTHS.map((length) => [
      length,
      argmaxFloat32(
        referenceLastLogits(
          PRESETS.tiny.config,
          'fp32',
          SEED,
          buildPromptOfLength(tokenizer, length).tokenIds,
        ),
      ),
    ]),
  );
}

/** What a trial picked, by prompt length and phase: the same keys for a captured and an uncaptured run. */
function tokensByCell(trials: readonly TrialRecord[]): string[] {
  return [...trials]
    .sort((a, b) => a.promptTokens - b.promptTokens || a.trialIndex - b.trialIndex)
    .map((t) => `${t.promptTokens} ${t.phase} ${t.repetition}: ${t.firstTokenId}`);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

test('the Graph capture box is offered for the fused graph only, and a link asking it of the plain graph is refused', async ({
  page,
}) => {
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toContainText('GPU:');
  const box = page.getByTestId('graph-capture');

  await page.getByTestId('graph-form').selectOption('plain');
  await expect(box).toBeDisabled();
  await expect(box).not.toBeChecked();
  await expect(page.getByTestId('model-picker')).toContainText('Needs the fused graph form.');

  await page.getByTestId('graph-form').selectOption('fused');
  await expect(box).toBeEnabled();
  await expect(box).not.toBeChecked();
  await box.check();
  await expect(box).toBeChecked();
  // Back to the plain graph, the box shows what would run: no capture.
  await page.getByTestId('graph-form').selectOption('plain');
  await expect(box).toBeDisabled();
  await expect(box).not.toBeChecked();
  await expect(page.getByTestId('form-problem')).toHaveCount(0);

  // A captured prefill starts from an empty cache: a context depth is refused, with the reason.
  await page.getByTestId('graph-form').selectOption('fused');
  await expect(box).toBeChecked();
  await page.getByTestId('depths').fill('0, 64');
  await expect(page.getByTestId('form-problem')).toContainText(
    'Graph capture measures fresh prompts only: set the context depth to 0.',
  );
  await expect(page.getByTestId('run')).toBeDisabled();
  await page.getByTestId('depths').fill('0');
  await expect(page.getByTestId('form-problem')).toHaveCount(0);
  await expect(page.getByTestId('run')).toBeEnabled();

  // A link cannot ask for capture on a graph the option does not apply to: the schema refuses it at the boundary.
  await page.goto(`./#${encodeAutorun({ ...DEFAULT_SWEEP_CONFIG, graph: 'plain', graphCapture: true })}`);
  await page.reload();
  await expect(page.getByTestId('autorun-invalid')).toContainText(
    'Graph capture needs the fused graph form (GroupQueryAttention).',
  );
  await expect(page.getByTestId('progress')).toHaveCount(0);
});

test('a graph-captured sweep of tiny fp32 records graph_capture = true, positive TTFTs and the tokens an uncaptured sweep picks', async ({
  page,
}) => {
  // Two sweeps, each building its model and compiling its sessions on a software GPU that may be shared.
  test.setTimeout(8 * 60_000);
  const expected = await referenceFirstTokens();
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toContainText('GPU:');

  // With graph capture: one captured session per prompt length, on a static KV cache; its first run records.
  await fillTinyFusedSweep(page, true);
  const capturedStart = Date.now();
  await page.getByTestId('run').click();
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 4 * 60_000 });
  const capturedSeconds = (Date.now() - capturedStart) / 1000;
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-csv').click(),
  ]);
  const csvText = readFileSync(await download.path(), 'utf8');
  expect(csvText.split(/\r?\n/)[0]!.split(',')).toEqual([...TRIAL_CSV_COLUMNS]);
  const captured = parseTrialsCsv(csvText);
  expect(captured).toHaveLength(LENGTHS.length * (WARMUPS + REPS));
  // The CSV carries what the page recorded (its times rounded to the microsecond).
  const recorded = await recordedTrials(page);
  expect(captured.map((t) => [t.trialIndex, t.graphCapture, t.firstTokenId])).toEqual(
    recorded.map((t) => [t.trialIndex, t.graphCapture, t.firstTokenId]),
  );
  // Each length's session records on its first run (the run's cold trial, or the second length's warm-up) and
  // replays on its timed repetition.
  expect(
    [...captured].sort((a, b) => a.promptTokens - b.promptTokens).map((t) => [t.promptTokens, t.phase]),
  ).toEqual([
    [8, 'cold'],
    [8, 'warm'],
    [16, 'warmup'],
    [16, 'warm'],
  ]);
  // The column itself says true on every row (read as plain CSV, not through the app's codec).
  const rows = Papa.parse<Record<string, string>>(csvText.trim(), { header: true }).data;
  expect(rows.map((row) => row['graph_capture'])).toEqual(captured.map(() => 'true'));

  for (const trial of captured) {
    const what = `captured ${trial.phase} at ${trial.promptTokens} tokens`;
    expect(trial, what).toMatchObject({
      graphCapture: true,
      graph: 'fused',
      model: 'tiny',
      quantization: 'fp32',
      depthTokens: 0,
      decodeTokens: 0,
    });
    expect(Number.isFinite(trial.ttftMs), what).toBe(true);
    expect(trial.ttftMs, what).toBeGreaterThan(0);
    expect(trial.ttftMs, what).toBeGreaterThanOrEqual(trial.prefillMs);
    // A captured trial keeps the same clock: its seven parts add up to its TTFT (each rounded to 0.5 µs).
    const parts =
      trial.tokenizeMs +
      trial.uploadMs +
      trial.prefillMs +
      trial.gpuWaitMs +
      trial.readbackMs +
      trial.samplingMs;
    expect(Math.abs(parts - trial.ttftMs), what).toBeLessThan(0.0036);
    if (trial.gpuSpanMs !== undefined) expect(trial.gpuSpanMs, what).toBeLessThanOrEqual(trial.ttftMs);
    // Recorded or replayed, the captured prefill picks what the reference forward pass picks.
    expect(trial.firstTokenId, what).toBe(expected.get(trial.promptTokens));
  }
  // What ran was the static-KV graph the builder writes for capture, byte for byte, with q/k/v packed (the form's
  // default): onnxruntime splits them, applies rotary and writes the cache in one kernel on this layout.
  const staticSha = sha256(
    buildLlamaOnnx(PRESETS.tiny.config, 'fp32', {
      seed: SEED,
      form: 'fused',
      kvCache: 'static',
      qkv: 'packed',
    }).modelBytes,
  );
  expect(captured.every((t) => t.qkv === 'packed')).toBe(true);
  expect([...new Set(captured.map((t) => t.modelSha256))]).toEqual([staticSha]);

  // The same sweep without capture: onnxruntime's kernels on a growing cache pick the very same tokens.
  await page.getByTestId('graph-capture').setChecked(false);
  const uncapturedStart = Date.now();
  await page.getByTestId('run').click();
  // The first run's "done" is still on screen until the second starts: wait for the second run's own end.
  const firstRunId = captured[0]!.runId;
  await expect
    .poll(
      () =>
        page.evaluate((firstRun) => {
          const state = window.ttftBench;
          return {
            status: state?.status.kind,
            newRun: state?.trials.every((t) => t.runId !== firstRun),
            trials: state?.trials.length,
          };
        }, firstRunId),
      { timeout: 4 * 60_000, intervals: [1000] },
    )
    .toEqual({ status: 'done', newRun: true, trials: captured.length });
  await expect(page.getByTestId('status-done')).toBeVisible();
  const uncapturedSeconds = (Date.now() - uncapturedStart) / 1000;
  const uncaptured = await recordedTrials(page);
  expect(uncaptured).toHaveLength(captured.length);
  expect(uncaptured.every((t) => t.graphCapture === false)).toBe(true);
  const growingSha = sha256(
    buildLlamaOnnx(PRESETS.tiny.config, 'fp32', { seed: SEED, form: 'fused', qkv: 'packed' }).modelBytes,
  );
  expect([...new Set(uncaptured.map((t) => t.modelSha256))]).toEqual([growingSha]);
  expect(tokensByCell(captured)).toEqual(tokensByCell(uncaptured));
  console.log(
    `graph capture: captured sweep ${capturedSeconds.toFixed(0)} s, TTFT ${captured.map((t) => t.ttftMs.toFixed(1)).join(', ')} ms; ` +
      `uncaptured sweep ${uncapturedSeconds.toFixed(0)} s, TTFT ${uncaptured.map((t) => t.ttftMs.toFixed(1)).join(', ')} ms`,
  );
});
