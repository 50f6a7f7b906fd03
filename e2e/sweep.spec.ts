import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { argmaxFloat32 } from '../src/bench/argmax';
import { buildContinuationOfLength, buildPromptOfLength } from '../src/bench/prompt';
import { buildLlamaOnnx } from '../src/model/build';
import { PRESETS, type BuiltInQuantization } from '../src/model/config';
import { referenceLastLogits } from '../src/model/reference';
import { summarize } from '../src/bench/statistics';
import { prefillFlops } from '../src/roofline/prefill-flops';
import { parseTrialsCsv, TRIAL_CSV_COLUMNS, trialsToCsv } from '../src/results/csv';
import { parseRunJson } from '../src/results/run-json';
import { trial as fixtureTrial } from '../src/results/trial-fixture';
import { watchCspViolations } from './csp';
import { loadNodeTokenizer } from './node-tokenizer';
import { recordedLoads } from './page-state';

const LENGTHS = [8, 16, 32];
const QUANTIZATIONS: BuiltInQuantization[] = ['fp32', 'q4'];
const WARMUPS = 1;
const REPS = 2;
const SEED = 1;
const DECODE_TOKENS = 4;

test('a tiny sweep on WebGPU (the fused graph) charts two series, downloads every trial as CSV and picks the reference token', async ({
  page,
}) => {
  const expectNoCspViolations = await watchCspViolations(page);
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toContainText('GPU:');
  // SwiftShader has no shader-f16: fp16 levels are listed but disabled, with the reason.
  await expect(page.getByTestId('disabled-reason-fp16')).toContainText('shader-f16');

  await page.getByTestId('preset').selectOption('tiny');
  await page.getByTestId('graph-form').selectOption('fused');
  for (const quantization of ['fp32', 'fp16', 'int8', 'q4', 'q4f16']) {
    const box = page.locator(`input[name="quantization"][value="${quantization}"]`);
    if (await box.isDisabled()) continue;
    await box.setChecked(QUANTIZATIONS.includes(quantization as BuiltInQuantization));
  }
  await page.getByTestId('lengths').fill(LENGTHS.join(', '));
  await page.getByTestId('warmups').fill(String(WARMUPS));
  await page.getByTestId('reps').fill(String(REPS));
  await page.getByTestId('run').click();

  await expect(page.getByTestId('progress')).toBeVisible();
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 8 * 60_000 });

  // Two lines, three points each.
  const chart = page.getByTestId('ttft-chart');
  const lines = chart.locator('.recharts-line.ttft-line');
  await expect(lines).toHaveCount(QUANTIZATIONS.length);
  for (const quantization of QUANTIZATIONS) {
    await expect(chart.locator(`g.ttft-dot[data-series="${quantization}"][data-sync="barrier"]`)).toHaveCount(
      LENGTHS.length,
    );
  }

  await expect(page.getByTestId('breakdown-chart').locator('.recharts-bar-rectangle').first()).toBeVisible();
  // Loads and the roofline are details, folded until asked for.
  await page.getByTestId('section-loads').locator('summary').click();
  await expect(page.getByTestId('load-chart').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByTestId('markdown-summary')).toContainText('| fp32  | pp8  | barrier |');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-csv').click(),
  ]);
  const csvText = readFileSync(await download.path(), 'utf8');
  expect(csvText.split(/\r?\n/)[0]).toBe(TRIAL_CSV_COLUMNS.join(','));
  const trials = parseTrialsCsv(csvText);
  expect(trials).toHaveLength(QUANTIZATIONS.length * LENGTHS.length * (WARMUPS + REPS));

  for (const trial of trials) {
    expect(trial.ttftMs).toBeGreaterThan(0);
    expect(trial.ttftMs).toBeGreaterThanOrEqual(trial.prefillMs);
    const parts =
      trial.tokenizeMs +
      trial.uploadMs +
      trial.prefillMs +
      trial.gpuWaitMs +
      trial.readbackMs +
      trial.samplingMs;
    // Each of the seven values is written to the microsecond, so they add up within 7 × 0.5 µs.
    expect(Math.abs(parts - trial.ttftMs)).toBeLessThan(0.0036);
    // timestamp-query brackets session.run on the GPU; that work finishes inside the barrier-closed TTFT.
    expect(trial.gpuSpanMs).toBeDefined();
    expect(trial.gpuSpanMs!).toBeGreaterThan(0);
    expect(trial.gpuSpanMs!).toBeLessThanOrEqual(trial.ttftMs);
    // By default the built-in graph computes logits for every position, as exported models do.
    expect(trial).toMatchObject({ model: 'tiny', modelSource: 'builtin', modelRevision: '', lmHead: 'all' });
    // The form's default asks for the logits row beside the barrier: both come back in one round trip.
    expect(trial).toMatchObject({ firstTokenArgmax: 'cpu', tokenReadback: 'with-barrier' });
    // The graph form is read back from the op types of the graph the session ran, and its MatMulNBits'
    // accuracy level from their attributes (none where there is no MatMulNBits).
    expect(trial.graph).toBe('fused');
    expect(trial.accuracyLevel, trial.quantization).toBe(trial.quantization === 'q4' ? 0 : undefined);
    expect(trial.adapter).not.toBe('');
    expect(trial.browser).toContain('Chrom');
    // Every row carries its environment.
    expect(trial.os).not.toBe('');
    expect(trial.onnxruntimeWebVersion).toBe('1.30.0');
    expect(trial.appVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(trial.adapterFeatures).toContain('timestamp-query');
    expect(trial.maxBufferSizeBytes).toBeGreaterThan(0);
    expect(trial.weightSeed).toBe(SEED);
    // The preview server isolates the page (COOP/COEP): its timer resolves 5 µs.
    expect(trial.crossOriginIsolated).toBe(true);
    expect(trial.depthTokens).toBe(0);
    // Each variant was checked against onnxruntime's wasm (CPU) backend before its trials (on by default).
    expect(trial.cpuMatch, trial.quantization).toBe('measured');
    expect(trial.cpuMatchTop5OverlapPct).not.toBeNull();
    expect(trial.cpuMatchMaxAbsLogitDelta).not.toBeNull();
  }
  // fp32 on WebGPU picks what the CPU picks at all 8 teacher-forced positions; q4's figures are reported.
  for (const trial of trials.filter((t) => t.quantization === 'fp32')) {
    expect(trial).toMatchObject({ cpuMatchFirstToken: 'same', cpuMatchContinuationPct: 100 });
    expect(trial.cpuMatchMaxAbsLogitDelta!).toBeLessThan(0.05);
  }
  await expect(page.getByTestId('cpu-match-fp32')).toContainText('first token same; continuation 100% (8/8)');
  await expect(page.getByTestId('cpu-match-q4')).toContainText(/continuation \d+% \(\d\/8\)/);
  // Node placement, as onnxruntime reported it: the matmuls on WebGPU, only shape arithmetic on the CPU.
  for (const load of await recordedLoads(page)) {
    expect(load.placement?.kind, load.quantization).toBe('measured');
    if (load.placement?.kind !== 'measured') continue;
    const webGpu = load.placement.providers.find((p) => p.provider === 'WebGpuExecutionProvider');
    expect(webGpu?.ops.map((op) => op.opType)).toContain(
      load.quantization === 'q4' ? 'MatMulNBits' : 'MatMul',
    );
    await expect(page.getByTestId(`placement-${load.quantization}`)).toContainText('WebGPU: ');
    await expect(page.getByTestId(`placement-warning-${load.quantization}`)).toHaveCount(0);
  }
  // onnxruntime's expected placement warnings were read, not logged as console errors.
  expect(consoleErrors.filter((text) => /onnxruntime/i.test(text))).toEqual([]);
  // The worker in the browser built byte-identical models to the builder in Node.
  for (const quantization of QUANTIZATIONS) {
    const expectedSha = createHash('sha256')
      .update(
        buildLlamaOnnx(PRESETS.tiny.config, quantization, { seed: SEED, form: 'fused', qkv: 'packed' })
          .modelBytes,
      )
      .digest('hex');
    const ofLevel = trials.filter((trial) => trial.quantization === quantization);
    expect([...new Set(ofLevel.map((t) => t.modelSha256))]).toEqual([expectedSha]);
    // The form packs q/k/v by default; 4-bit weights stay three projections (onnxruntime fuses those itself).
    expect([...new Set(ofLevel.map((t) => t.qkv))]).toEqual([quantization === 'q4' ? 'separate' : 'packed']);
  }
  const coldTrials = trials.filter((trial) => trial.phase === 'cold');
  expect(coldTrials).toHaveLength(QUANTIZATIONS.length);
  // Load, cold and warm are shown apart; the cold TTFT shown is the cold trial's. A fused layer is 13 nodes, 11
  // with q/k/v packed into one projection.
  for (const coldTrial of coldTrials) {
    const row = page.getByTestId('load-table').locator('tr', { hasText: coldTrial.quantization });
    // The page rounds the unrounded time to 0.1 ms, the CSV holds it to the microsecond: at x.x5 they may differ.
    const shown = new Set([coldTrial.ttftMs - 0.0005, coldTrial.ttftMs + 0.0005].map((ms) => ms.toFixed(1)));
    await expect(row).toContainText(new RegExp([...shown].map((text) => text.replace('.', '\\.')).join('|')));
    await expect(row.getByTestId('nodes-per-layer')).toHaveText(
      coldTrial.quantization === 'q4' ? '13' : '11',
    );
  }
  expect(csvText.split(/\r?\n/)[0]!.split(',')).toContain('graph');
  // Interleaved by default: timed repetitions alternate between the levels, in the recorded order.
  const timedOrder = [...trials]
    .sort((a, b) => a.trialIndex - b.trialIndex)
    .filter((trial) => trial.phase === 'warm' && trial.promptTokens === LENGTHS[0])
    .map((trial) => trial.quantization);
  expect(timedOrder).toEqual(['fp32', 'q4', 'q4', 'fp32']);

  // The first token the GPU picked is the one an independent CPU forward pass of the same weights picks.
  const tokenizer = await loadNodeTokenizer(PRESETS.tiny.tokenizer);
  for (const length of LENGTHS) {
    const prompt = buildPromptOfLength(tokenizer, length);
    for (const quantization of QUANTIZATIONS) {
      const expected = argmaxFloat32(
        referenceLastLogits(PRESETS.tiny.config, quantization, SEED, prompt.tokenIds),
      );
      const cell = trials.filter(
        (trial) => trial.quantization === quantization && trial.promptTokens === length,
      );
      expect(cell).toHaveLength(WARMUPS + REPS);
      for (const trial of cell)
        expect(trial.firstTokenId, `${quantization} at ${length} tokens`).toBe(expected);
    }
  }
  // The roofline: the best this browser reaches on this GPU is measured (after a warm-up, in two series; each
  // multiply kernel checks its own result against the CPU first), named for what it is, and every barrier
  // cell is placed under it by its FLOPs over its median GPU span.
  await page.getByTestId('section-roofline').locator('summary').click();
  await page.getByTestId('roofline-measure').click();
  const peaks = page.getByTestId('roofline-peaks');
  await expect(peaks).toContainText(
    /Measured peak \(the best this browser reaches with our kernels on this GPU, not the GPU's limit\): matrix multiply f32 [\d.]+ [MG]FLOP\/s \((vec4|tiled|blocked|subgroup) kernel, 512³\); f16 not available \(no shader-f16\); memory [\d.]+ [MG]B\/s/,
    { timeout: 3 * 60_000 },
  );
  await expect(page.getByTestId('roofline-agreement')).toContainText(
    /warm-up of [\d.]+ s of GPU work .* f32: (the last two series agree within 5%|unstable: 4 series never agreed)/,
  );
  // SwiftShader has no matrix units; its subgroups are narrower than the app asks for.
  const kernels = await page.getByTestId('roofline-kernels').locator('li').allTextContents();
  for (const kernel of ['vec4', 'tiled', 'blocked']) {
    expect(kernels).toContainEqual(expect.stringMatching(new RegExp(`^${kernel} f32: [\\d.]+ [MG]FLOP/s$`)));
  }
  // SwiftShader's subgroups are 4 lanes wide: the app's device leaves them out (onnxruntime's flash attention
  // miscomputes below 8), and the roofline says so instead of measuring a kernel onnxruntime does not get.
  expect(kernels).toContain(
    "subgroup f32: left out — not requested: this adapter's subgroups can be 4 lanes wide, and onnxruntime's flash attention needs 8",
  );
  expect(kernels).toContain(
    'subgroup-matrix f32: left out — the adapter does not offer chromium-experimental-subgroup-matrix',
  );
  const rows = page.getByTestId('roofline-row');
  await expect(rows).toHaveCount(QUANTIZATIONS.length * LENGTHS.length);
  const fp32Row = rows.filter({ hasText: `fp32 pp${LENGTHS[0]}` });
  const spans = trials
    .filter((t) => t.quantization === 'fp32' && t.promptTokens === LENGTHS[0] && t.phase === 'warm')
    .map((t) => t.gpuSpanMs!);
  const flops = prefillFlops(PRESETS.tiny.config, { promptTokens: LENGTHS[0]!, lmHead: 'all' }).total;
  const expectedGflops = flops / (summarize(spans).median / 1000) / 1e9;
  const shownGflops = Number.parseFloat((await fp32Row.locator('td').nth(3).textContent()) ?? '');
  expect(Math.abs(shownGflops - expectedGflops) / expectedGflops).toBeLessThan(0.01);
  // The run cannot beat the measured peak: every cell is a percentage of at most 100 (a cell above it would
  // say "above measured peak" instead, and a notice would explain it).
  for (const text of await page.getByTestId('roofline-fraction').allTextContents()) {
    expect(Number.parseFloat(text)).toBeGreaterThan(0);
    expect(Number.parseFloat(text)).toBeLessThanOrEqual(100);
  }
  await expect(page.getByTestId('roofline-above-peak')).toHaveCount(0);
  // A data-sheet peak is validated, then set beside the measured one: at 1 GFLOP/s (0.001 TFLOP/s) the fp32
  // row's share of it is its achieved GFLOP/s.
  await page.getByTestId('data-sheet-tflops').fill('67 TFLOPS');
  await expect(page.getByRole('alert').filter({ hasText: 'enter a number, like 67 or 4800' })).toBeVisible();
  await page.getByTestId('data-sheet-tflops').fill('0.001');
  const sheetShare = fp32Row.getByTestId('roofline-data-sheet-fraction');
  await expect(sheetShare).toHaveText(/%|above/);
  const sheetText = (await sheetShare.textContent()) ?? '';
  if (shownGflops <= 1) expect(Number.parseFloat(sheetText) / 100).toBeCloseTo(shownGflops, 2);
  else expect(sheetText).toBe('above data-sheet peak');
  await expect(page.getByTestId('roofline-data-sheet')).toContainText(
    /the measured f32 multiply peak is ([\d.]+% of it|above it)/,
  );
  // The whole sweep (wasm, worker, WebGPU, charts) ran under the page's Content-Security-Policy.
  await expectNoCspViolations();
});

test('a shared link opened in a fresh browser context shows the same medians, and bad links do no harm', async ({
  page,
  browser,
}) => {
  const expectNoCspViolations = await watchCspViolations(page);
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toBeVisible();
  await page.locator('input[name="quantization"][value="fp32"]').setChecked(false);
  await page.locator('input[name="quantization"][value="q4"]').setChecked(true);
  await page.getByTestId('lengths').fill('8, 16');
  await page.getByTestId('warmups').fill('1');
  await page.getByTestId('reps').fill('2');
  // The CPU check is the first test's subject; here it would only cost time.
  await page.getByTestId('cpu-match').setChecked(false);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 5 * 60_000 });
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toContain('#share=1.');
  await expect(page.getByTestId('share-note')).toContainText('localhost');
  const medians = await page
    .getByTestId('results-table')
    .locator('tbody tr td:nth-child(5)')
    .allTextContents();
  expect(medians).toHaveLength(2);

  // The whole run as JSON: the same trials the CSV has, with the configuration.
  const [jsonDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-json').click(),
  ]);
  const runFile = parseRunJson(readFileSync(await jsonDownload.path(), 'utf8'));
  expect(runFile.ok).toBe(true);
  if (runFile.ok) {
    expect(runFile.run.config?.promptLengths).toEqual([8, 16]);
    expect(runFile.run.trials).toHaveLength(2 * 3);
    expect(runFile.run.loads.map((load) => load.quantization)).toEqual(['q4']);
  }
  // The summary as a markdown table, on the clipboard.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('copy-markdown').click();
  await expect(page.getByTestId('copy-markdown-status')).toContainText('Copied');
  const markdown = await page.evaluate(() => navigator.clipboard.readText());
  expect(markdown).toContain('| q4    | pp16 | barrier |');
  // The chart as PNG and SVG files.
  const [png] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('ttft-chart').getByTestId('download-chart-png').click(),
  ]);
  const pngBytes = readFileSync(await png.path());
  expect([...pngBytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(pngBytes.length).toBeGreaterThan(5000);
  const [svg] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('tokens-per-second-chart').getByTestId('download-chart-svg').click(),
  ]);
  expect(svg.suggestedFilename()).toBe('prefill-tokens-per-second.svg');
  const svgText = readFileSync(await svg.path(), 'utf8');
  expect(svgText).toMatch(/^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  // The plot itself (a q4 line in its colour) and its legend drawn into the file.
  expect(svgText).toContain('stroke="#D55E00"');
  expect(svgText).toContain('>q4 median</text>');

  // A CSV from another machine overlays this run, with per-cell ratios; a bad file changes nothing.
  const otherMachine = [8, 16].flatMap((length) =>
    [1, 2, 3].map((repetition) =>
      fixtureTrial({
        quantization: 'q4',
        promptTokens: length,
        repetition,
        ttftMs: 1000 * length,
        adapter: 'other / gpu',
      }),
    ),
  );
  await page.getByTestId('import-file').setInputFiles({
    name: 'other-gpu.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(trialsToCsv(otherMachine)),
  });
  const compared = page.getByTestId('compared-run');
  await expect(compared).toHaveCount(1);
  await expect(compared).toContainText('other / gpu');
  await expect(compared.getByTestId('comparison-table').locator('tbody tr')).toHaveCount(2);
  for (const chartId of ['ttft-chart', 'tokens-per-second-chart']) {
    await expect(page.getByTestId(chartId).locator('g.ttft-dot[data-run="0"]')).toHaveCount(2);
    await expect(page.getByTestId(chartId).locator('g.ttft-dot[data-run="1"]')).toHaveCount(2);
  }
  // The chart's text alternative carries both runs' medians: the imported 8 tokens took 8000 ms.
  await expect(page.getByTestId('ttft-chart-data')).toContainText('other-gpu.csv: q4');
  await expect(page.getByTestId('ttft-chart-data')).toContainText('8000.0 ms');
  await expect(page.getByTestId('tokens-per-second-chart-data')).toContainText('1.0 tok/s');
  const ownMedian8 = Number.parseFloat(medians[0]!);
  const ratio8 = Number.parseFloat(await compared.getByTestId('comparison-ratio').first().innerText());
  // The ratio is shown to two decimals (±0.005); the median it divides by, to 0.1 ms.
  expect(Math.abs(ratio8 - 8000 / ownMedian8)).toBeLessThan(0.006);
  await page.getByTestId('import-file').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format":"ttft-bench-run","version":1,"loads":[],"trials":[{"ttft_ms":"=cmd"}]}'),
  });
  await expect(page.getByTestId('import-error')).toContainText('broken.json: trial 1, column');
  await expect(compared).toHaveCount(1);
  await expect(page.getByTestId('results-table').locator('tbody tr')).toHaveCount(2);
  await expectNoCspViolations();

  const elsewhere = await browser.newContext();
  const other = await elsewhere.newPage();
  await other.goto(link);
  await expect(other.getByTestId('shared-run')).toContainText('Shared results (read-only)');
  await expect(other.getByTestId('shared-environment')).toContainText('swiftshader');
  const sharedMedians = await other
    .getByTestId('shared-cells')
    .locator('tbody tr td:nth-child(5)')
    .allTextContents();
  expect(sharedMedians).toEqual(medians);
  await expect(other.getByTestId('lengths')).toHaveValue('8, 16');
  await expect(other.getByTestId('run-shared')).toBeEnabled();
  // "Run this on my GPU" measures the same configuration here and overlays the shared run.
  await other.getByTestId('run-shared').click();
  await expect(other.getByTestId('status-done')).toBeVisible({ timeout: 5 * 60_000 });
  const sharedComparison = other.getByTestId('compared-run');
  await expect(sharedComparison).toHaveAttribute('data-label', 'shared run');
  await expect(sharedComparison.getByTestId('comparison-ratio')).toHaveCount(2);
  for (const ratio of await sharedComparison.getByTestId('comparison-ratio').allTextContents()) {
    expect(ratio).toMatch(/^\d+\.\d\d×$/);
  }
  await expect(other.getByTestId('ttft-chart').last().locator('g.ttft-dot[data-run="1"]')).toHaveCount(2);

  await other.goto(`${new URL(link).origin}${new URL(link).pathname}#share=1.@@not-a-link`);
  await other.reload();
  await expect(other.getByTestId('share-invalid')).toContainText('damaged');
  await expect(other.getByTestId('run')).toBeEnabled();
  await elsewhere.close();
});

test('without WebGPU the page explains how to get it and stays usable', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
  });
  await page.goto('./');
  await expect(page.getByTestId('no-webgpu')).toContainText('enable-unsafe-webgpu');
  await expect(page.getByTestId('run')).toBeDisabled();
  await page.getByTestId('lengths').fill('16, banana');
  await expect(page.getByTestId('form-problem')).toContainText('"banana" is not a whole number');
});

test('a custom prompt is measured at its own token count on the plain graph, its first token picked on the GPU, then decoded on the GPU KV cache with the argmax there', async ({
  page,
}) => {
  const text = 'Summarize the history of lighthouses in three sentences, for a curious ten-year-old.';
  const tokenizer = await loadNodeTokenizer(PRESETS.tiny.tokenizer);
  const expectedTokens = tokenizer.encode(text).length;

  await page.goto('./');
  await expect(page.getByTestId('adapter')).toBeVisible();
  await page.locator('input[name="quantization"][value="fp32"]').setChecked(false);
  await page.locator('input[name="quantization"][value="q4"]').setChecked(true);
  // The plain graph (standard ONNX ops) picks the same tokens as the reference, like the fused one.
  await page.getByTestId('graph-form').selectOption('plain');
  // MatMulNBits with accuracy_level 4 (int8 activations). SwiftShader gets no subgroups here, so onnxruntime
  // keeps its float kernels: what this checks is that the level reaches the file and the CSV.
  await page.getByTestId('accuracy-level').selectOption('4');
  await page.getByTestId('use-custom-prompt').check();
  await page.getByTestId('custom-prompt').fill(text);
  await page.getByTestId('warmups').fill('1');
  await page.getByTestId('reps').fill('1');
  await page.getByTestId('decode').check();
  await page.getByTestId('decode-tokens').fill(String(DECODE_TOKENS));
  // Pipelined: each step's argmax on the GPU feeds the next step's input_ids there (the plain graph also reads
  // their shape on the CPU, so onnxruntime copies them back mid-run: the tokens must not change).
  await page.getByTestId('decode-loop').selectOption('pipelined');
  // The first token picked on the GPU too: only its id is read back, and it must be the reference's.
  await page.getByTestId('first-token-argmax').selectOption('gpu');
  await page.getByTestId('cpu-match').setChecked(false);
  // The graph with the LM head for the last position only: same first token, same continuation.
  await page.getByTestId('last-position-logits').check();
  await page.getByTestId('run').click();
  // Decode steps compile new shapes on SwiftShader (tens of seconds each on a loaded machine).
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 8 * 60_000 });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-csv').click(),
  ]);
  const trials = parseTrialsCsv(readFileSync(await download.path(), 'utf8'));
  expect(trials.map((trial) => [trial.promptSource, trial.promptTokens, trial.phase])).toEqual([
    ['custom', expectedTokens, 'cold'],
    ['custom', expectedTokens, 'warm'],
  ]);
  const expected = argmaxFloat32(
    referenceLastLogits(PRESETS.tiny.config, 'q4', SEED, tokenizer.encode(text)),
  );
  expect(trials.every((trial) => trial.firstTokenId === expected)).toBe(true);
  // The worker built the level-4 graph the builder writes in Node, byte for byte.
  const levelFour = buildLlamaOnnx(PRESETS.tiny.config, 'q4', {
    seed: SEED,
    form: 'plain',
    lastPositionLogits: true,
    accuracyLevel: 4,
  });
  const levelFourSha = createHash('sha256').update(levelFour.modelBytes).digest('hex');
  expect([...new Set(trials.map((trial) => trial.modelSha256))]).toEqual([levelFourSha]);

  // Decoding on the GPU-resident KV cache continues exactly as the reference does, token by token.
  const context = [...tokenizer.encode(text), expected];
  const continuation: number[] = [];
  for (let step = 0; step < DECODE_TOKENS; step++) {
    const next = argmaxFloat32(referenceLastLogits(PRESETS.tiny.config, 'q4', SEED, context));
    continuation.push(next);
    context.push(next);
  }
  for (const trial of trials) {
    expect(trial.lmHead).toBe('last');
    expect(trial.graph).toBe('plain');
    expect(trial.accuracyLevel).toBe(4);
    expect(trial.decodeTokens).toBe(DECODE_TOKENS);
    expect(trial.decodeLoop).toBe('pipelined');
    expect(trial.firstTokenArgmax).toBe('gpu');
    expect(trial.tokenReadback).toBe('with-barrier');
    // The six parts still add up to TTFT (each rounded to 0.5 µs).
    const parts =
      trial.tokenizeMs +
      trial.uploadMs +
      trial.prefillMs +
      trial.gpuWaitMs +
      trial.readbackMs +
      trial.samplingMs;
    expect(Math.abs(parts - trial.ttftMs)).toBeLessThan(0.0036);
    expect(trial.decodedTokenIds).toBe(continuation.join(' '));
    // No step's end is seen on the CPU: every step is the loop's mean, and tokens/s its throughput.
    expect(trial.decodeMsPerTokenMedian).toBeGreaterThan(0);
    expect(trial.decodeMsPerTokenP90).toBe(trial.decodeMsPerTokenMedian);
    expect(trial.decodeTokensPerSecond).toBeCloseTo(1000 / trial.decodeMsPerTokenMedian, 1);
  }
  await expect(page.getByTestId('results-table')).toContainText(String(expectedTokens));
});

test('without a barrier, TTFT under-reports: sync modes side by side on the same cells', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toBeVisible();
  await page.locator('input[name="quantization"][value="fp32"]').setChecked(true);
  await page.locator('input[name="quantization"][value="q4"]').setChecked(false);
  for (const mode of ['barrier', 'readback', 'none'])
    await page.locator(`input[name="sync-mode"][value="${mode}"]`).check();
  await page.getByTestId('lengths').fill('32');
  await page.getByTestId('warmups').fill('1');
  await page.getByTestId('reps').fill('3');
  await page.getByTestId('cpu-match').setChecked(false);
  // The older close: the row asked for only once the barrier has resolved (a second round trip).
  await page.getByTestId('token-readback').selectOption('after-barrier');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 5 * 60_000 });
  for (const mode of ['barrier', 'readback', 'none']) {
    await expect(page.getByTestId('ttft-chart').locator(`g.ttft-dot[data-sync="${mode}"]`)).toHaveCount(1);
  }

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-csv').click(),
  ]);
  const trials = parseTrialsCsv(readFileSync(await download.path(), 'utf8')).filter(
    (trial) => trial.phase === 'warm',
  );
  const median = (mode: string) => {
    const values = trials
      .filter((trial) => trial.syncMode === mode)
      .map((trial) => trial.ttftMs)
      .sort((a, b) => a - b);
    expect(values).toHaveLength(3);
    return values[1]!;
  };
  // Stopping the clock when session.run returns misses the GPU work still in flight.
  expect(median('none')).toBeLessThan(median('barrier'));
  for (const trial of trials.filter((t) => t.syncMode === 'none')) {
    expect(trial.gpuWaitMs + trial.readbackMs + trial.samplingMs).toBe(0);
  }
  // Every mode still reports the same greedy token.
  expect(new Set(trials.map((trial) => trial.firstTokenId)).size).toBe(1);
  expect(new Set(trials.map((trial) => trial.tokenReadback))).toEqual(new Set(['after-barrier']));
  for (const trial of trials.filter((t) => t.syncMode === 'barrier')) {
    // After the barrier, the readback is a round trip of its own.
    expect(trial.readbackMs).toBeGreaterThan(0);
  }
});

test('cancel stops a sweep promptly, keeps finished trials, and the next run works', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toBeVisible();
  await page.locator('input[name="quantization"][value="fp32"]').setChecked(false);
  await page.locator('input[name="quantization"][value="q4"]').setChecked(true);
  await page.getByTestId('lengths').fill('8');
  await page.getByTestId('warmups').fill('1');
  await page.getByTestId('reps').fill('50');
  await page.getByTestId('cpu-match').setChecked(false);
  await page.getByTestId('run').click();
  // Wait until some timed trials have finished, then cancel mid-sweep.
  await expect(page.getByTestId('results-table')).toBeVisible({ timeout: 3 * 60_000 });
  await page.getByTestId('cancel').click();
  const cancelledAt = Date.now();
  await expect(page.getByTestId('status-cancelled')).toBeVisible({ timeout: 30_000 });
  // One trial on this software GPU takes well under 5 s; cancel waits for at most the one in flight.
  expect(Date.now() - cancelledAt).toBeLessThan(5_000);
  const kept = await page.getByTestId('results-table').locator('tbody tr td:nth-child(4)').textContent();
  expect(Number(kept)).toBeGreaterThan(0);
  expect(Number(kept)).toBeLessThan(50);

  // The app is ready again: a short run completes.
  await page.getByTestId('reps').fill('1');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 3 * 60_000 });
});

test('TTFT on top of 256 tokens of context: trials at d256 pick the reference token over prefix plus prompt', async ({
  page,
}) => {
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toBeVisible();
  await page.locator('input[name="quantization"][value="fp32"]').setChecked(false);
  await page.locator('input[name="quantization"][value="q4"]').setChecked(true);
  await page.getByTestId('lengths').fill('8');
  await page.getByTestId('depths').fill('0, 256');
  await page.getByTestId('warmups').fill('1');
  await page.getByTestId('reps').fill('2');
  await page.getByTestId('cpu-match').setChecked(false);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 5 * 60_000 });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-csv').click(),
  ]);
  const trials = parseTrialsCsv(readFileSync(await download.path(), 'utf8'));
  expect(trials.map((trial) => [trial.depthTokens, trial.phase, trial.promptTokens])).toEqual([
    [0, 'cold', 8],
    [0, 'warm', 8],
    [0, 'warm', 8],
    [256, 'warmup', 8],
    [256, 'warm', 8],
    [256, 'warm', 8],
  ]);
  // The prefix is a fresh prompt of exactly 256 tokens (the tokenizer's own special tokens included); the
  // prompt on top of it is exactly 8 tokens without a second BOS. The GPU's first token is the reference's for
  // the whole sequence, so the KV cache held the prefix and positions continued from it.
  const tokenizer = await loadNodeTokenizer(PRESETS.tiny.tokenizer);
  const prefix = buildPromptOfLength(tokenizer, 256).tokenIds;
  const fresh = buildPromptOfLength(tokenizer, 8).tokenIds;
  const continuation = buildContinuationOfLength(tokenizer, 8).tokenIds;
  const reference = (ids: readonly number[]) =>
    argmaxFloat32(referenceLastLogits(PRESETS.tiny.config, 'q4', SEED, ids));
  const atDepth = reference([...prefix, ...continuation]);
  expect(atDepth).not.toBe(reference(continuation));
  for (const trial of trials) {
    expect(trial.firstTokenId, `d${trial.depthTokens}`).toBe(
      trial.depthTokens === 0 ? reference(fresh) : atDepth,
    );
    expect(trial.cpuMatch).toBe('off');
  }
  await expect(page.getByTestId('markdown-summary')).toContainText('| q4    | pp8 @ d256 | barrier |');
  // Several depths: the chart can put depth on its x axis, a line per prompt length.
  const chart = page.getByTestId('ttft-chart');
  await expect(chart.locator('g.ttft-dot[data-fixed="256"]')).toHaveCount(1);
  await chart.getByTestId('chart-axis').selectOption('depth');
  await expect(chart.locator('g.ttft-dot[data-fixed="8"]')).toHaveCount(2);
  await expect(page.getByTestId('ttft-chart-data').locator('tbody th')).toHaveText(['0', '256']);
});
