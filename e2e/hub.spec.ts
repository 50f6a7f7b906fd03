import { statSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { argmaxFloat32 } from '../src/bench/argmax';
import { buildPromptOfLength } from '../src/bench/prompt';
import type { BuiltInQuantization } from '../src/model/config';
import { referenceLastLogits } from '../src/model/reference';
import type { TrialRecord, VariantLoadRecord } from '../src/results/trial';
import {
  BAD_REPOS,
  FIXTURE_SEED,
  FUSED_REPO,
  FUSED_VARIANTS,
  GOOD_REPO,
  INT8_REPO,
  TINY,
  writeHubFixtures,
} from '../scripts/lib/hub-fixtures';
import { startLocalHub, type LocalHub } from '../scripts/lib/local-hub';
import { watchCspViolations } from './csp';
import { loadNodeTokenizer } from './node-tokenizer';
import { recordedLoads, recordedTrials } from './page-state';

const LENGTH = 8;
const DECODE_TOKENS = 3;
let root: string;
let hub: LocalHub;

test.describe.configure({ mode: 'serial', timeout: 5 * 60_000 });

test.beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ttft-hub-'));
  writeHubFixtures(root);
  hub = await startLocalHub(root);
});

test.afterAll(async () => {
  await hub.close();
  rmSync(root, { recursive: true, force: true });
});

async function lookUp(page: Page, id: string, hubUrl = hub.url): Promise<void> {
  await page.getByTestId('model-source-hub').check();
  await page.getByTestId('hub-url').fill(hubUrl);
  await page.getByTestId('hub-id').fill(id);
  await page.getByTestId('hub-look-up').click();
}

async function run(
  page: Page,
  quantizations: readonly BuiltInQuantization[],
  { cpuMatch = false }: { readonly cpuMatch?: boolean } = {},
): Promise<void> {
  for (const box of await page.locator('input[name="quantization"]').all()) {
    if (await box.isDisabled()) continue;
    await box.setChecked(quantizations.includes((await box.getAttribute('value')) as BuiltInQuantization));
  }
  await page.getByTestId('lengths').fill(String(LENGTH));
  await page.getByTestId('warmups').fill('0');
  await page.getByTestId('reps').fill('1');
  // The CPU check costs seconds per variant on this software GPU: on only where a test is about it.
  await page.getByTestId('cpu-match').setChecked(cpuMatch);
  await page.getByTestId('run').click();
}

async function state(page: Page): Promise<{ trials: TrialRecord[]; loads: VariantLoadRecord[] }> {
  return { trials: await recordedTrials(page), loads: await recordedLoads(page) };
}

function resolveRequests(since = 0) {
  return hub.requests.slice(since).filter((request) => request.path.includes('/resolve/'));
}

/** The first token an independent CPU forward pass of the fixture's weights picks. */
async function referenceToken(quantization: BuiltInQuantization): Promise<number> {
  const tokenizer = await loadNodeTokenizer('llama3');
  const prompt = buildPromptOfLength(tokenizer, LENGTH);
  return argmaxFloat32(referenceLastLogits(TINY, quantization, FIXTURE_SEED, prompt.tokenIds));
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

test('a hub model: variants and sizes before download, the measured files pinned to a commit, then from cache', async ({
  page,
}) => {
  const expectNoCspViolations = await watchCspViolations(page);
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toContainText('GPU:');
  await lookUp(page, GOOD_REPO);
  const commit = hub.commitOf(GOOD_REPO);
  await expect(page.getByTestId('repository-ready')).toHaveAttribute('data-commit', commit);
  await expect(page.getByTestId('repository-ready')).toContainText('llama, 2 layers, 2 KV heads × 16');

  // Sizes come from the listing, before any model file is fetched; fp32 counts its external data.
  const onnx = (file: string) => statSync(join(root, GOOD_REPO, 'onnx', file)).size;
  await expect(page.getByTestId('variant-size-fp32')).toContainText(
    mib(onnx('model.onnx') + onnx('model.onnx_data')),
  );
  await expect(page.getByTestId('variant-size-q4')).toContainText(mib(onnx('model_q4.onnx')));
  await expect(page.getByTestId('disabled-reason-fp16')).toContainText('shader-f16');
  expect(resolveRequests().filter((request) => request.path.includes('/onnx/'))).toEqual([]);

  await run(page, ['fp32', 'q4']);
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 5 * 60_000 });
  const first = await state(page);
  expect(first.trials).toHaveLength(2);
  for (const trial of first.trials) {
    expect(trial).toMatchObject({
      model: GOOD_REPO,
      modelSource: 'hub',
      modelRevision: commit,
      promptTokens: LENGTH,
      // The fixture is exported like the hub's models: logits for every position, attention in plain ops.
      lmHead: 'all',
      graph: 'plain',
    });
    // Right weights, right external data: the GPU's first token is the reference's.
    expect(trial.firstTokenId).toBe(await referenceToken(trial.quantization as BuiltInQuantization));
  }
  expect(first.loads.map((load) => load.filesFrom)).toEqual(['network', 'network']);
  const downloaded = resolveRequests().map((request) => request.path);
  expect(downloaded).toContain(`/${GOOD_REPO}/resolve/${commit}/onnx/model.onnx_data`);
  expect(downloaded.every((path) => path.includes(`/resolve/${commit}/`))).toBe(true);
  await expect(page.getByTestId('cache-usage')).toContainText(/[1-9]\d* files/);

  // A second visit finds everything in Cache Storage: no file is requested again.
  const before = hub.requests.length;
  await page.reload();
  await lookUp(page, GOOD_REPO);
  await expect(page.getByTestId('repository-ready')).toBeVisible();
  await run(page, ['fp32', 'q4']);
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 5 * 60_000 });
  const second = await state(page);
  expect(second.loads.map((load) => load.filesFrom)).toEqual(['cache', 'cache']);
  expect(second.trials.map((trial) => trial.firstTokenId)).toEqual(
    first.trials.map((trial) => trial.firstTokenId),
  );
  expect(resolveRequests(before)).toEqual([]);

  await page.getByTestId('clear-cache').click();
  await expect(page.getByTestId('cache-usage')).toContainText('0 files');
  await expectNoCspViolations();
});

test('a fused export (GroupQueryAttention, no position_ids) downloads, runs, decodes on its KV cache and records graph = fused', async ({
  page,
}) => {
  // Two fused sessions and their decode steps: minutes on a software GPU shared with other work.
  test.setTimeout(10 * 60_000);
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toContainText('GPU:');
  await lookUp(page, FUSED_REPO);
  await expect(page.getByTestId('repository-ready')).toHaveAttribute('data-commit', hub.commitOf(FUSED_REPO));
  // The form's graph choice is for built-in models only: a downloaded graph is what its file is.
  await expect(page.getByTestId('graph-form')).toHaveCount(0);
  await page.getByTestId('decode').check();
  await page.getByTestId('decode-tokens').fill(String(DECODE_TOKENS));
  await run(page, FUSED_VARIANTS);
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 5 * 60_000 });
  const { trials, loads } = await state(page);
  expect(trials.map((trial) => trial.quantization)).toEqual(FUSED_VARIANTS);
  const tokenizer = await loadNodeTokenizer('llama3');
  const prompt = buildPromptOfLength(tokenizer, LENGTH).tokenIds;
  for (const trial of trials) {
    const quantization = trial.quantization as BuiltInQuantization;
    expect(trial).toMatchObject({ model: FUSED_REPO, modelSource: 'hub', graph: 'fused', lmHead: 'all' });
    // Prefill and every decode step on the fed-back KV cache pick what the reference forward pass picks.
    const context = [...prompt];
    const expected: number[] = [];
    for (let step = 0; step <= DECODE_TOKENS; step++) {
      const next = argmaxFloat32(referenceLastLogits(TINY, quantization, FIXTURE_SEED, context));
      expected.push(next);
      context.push(next);
    }
    expect(trial.firstTokenId, quantization).toBe(expected[0]);
    expect(trial.decodedTokenIds, quantization).toBe(expected.slice(1).join(' '));
  }
  // GroupQueryAttention, two fused norms, seven projections and the SiLU gate: 13 nodes per layer.
  expect(loads.map((load) => load.nodesPerLayer)).toEqual([13, 13]);
});

test('a local folder runs the same sweep (its graph rewritten to a last-position LM head), read in the browser with no request anywhere', async ({
  page,
}) => {
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toContainText('GPU:');
  const before = hub.requests.length;
  await page.getByTestId('model-source-local').check();
  await page.getByTestId('folder-input').setInputFiles(join(root, GOOD_REPO));
  await expect(page.getByTestId('repository-ready')).toContainText('tiny-llama-ONNX');
  // The exported graph is rewritten at load time to compute the LM head for the last position only.
  await page.getByTestId('last-position-logits').check();
  await run(page, ['q4']);
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 5 * 60_000 });
  const { trials, loads } = await state(page);
  expect(trials).toHaveLength(1);
  expect(trials[0]).toMatchObject({
    model: 'tiny-llama-ONNX',
    modelSource: 'local',
    modelRevision: '',
    lmHead: 'last',
  });
  expect(trials[0]!.firstTokenId).toBe(await referenceToken('q4'));
  expect(loads[0]!.filesFrom).toBe('disk');
  expect(hub.requests.length).toBe(before);
});

test('an int8 export: onnxruntime runs its integer matmuls on the CPU, and the page says so', async ({
  page,
}) => {
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toContainText('GPU:');
  await lookUp(page, INT8_REPO);
  await expect(page.getByTestId('repository-ready')).toBeVisible();
  await run(page, ['int8'], { cpuMatch: true });
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 5 * 60_000 });
  const { trials, loads } = await state(page);
  // Where each node ran, as onnxruntime itself reported it while creating the variant's check session.
  const placement = loads[0]!.placement;
  expect(placement?.kind).toBe('measured');
  if (placement?.kind !== 'measured') return;
  const cpu = placement.providers.find((entry) => entry.provider === 'CPUExecutionProvider')!;
  const cpuOps = new Map(cpu.ops.map((op) => [op.opType, op.count]));
  // Two layers of seven projections plus the LM head: every matmul is integer, on the CPU.
  expect(cpuOps.get('MatMulInteger')).toBe(15);
  expect(cpuOps.get('DynamicQuantizeLinear')).toBeGreaterThan(0);
  expect(placement.noWebGpuKernel.map((op) => op.opType)).toContain('MatMulInteger');
  await expect(page.getByTestId('placement-int8')).toContainText('15 MatMulInteger');
  await expect(page.getByTestId('placement-warning-int8')).toContainText(
    'int8 exports quantize activations dynamically',
  );
  // The CPU match is reported for it too (int8 rounds activations, so it need not be exact).
  expect(trials[0]!.cpuMatch).toBe('measured');
  expect(trials[0]!.cpuMatchContinuationPct).not.toBeNull();
  await expect(page.getByTestId('cpu-match-int8')).toContainText('first token');
});

test('bad input gets a clear message, the page stays usable and measured results stay', async ({ page }) => {
  await page.addInitScript(() => {
    window.ttftBenchStallTimeoutMs = 3000;
  });
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toContainText('GPU:');
  await lookUp(page, GOOD_REPO);
  await expect(page.getByTestId('repository-ready')).toBeVisible();
  await run(page, ['q4']);
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 5 * 60_000 });
  const measured = (await state(page)).trials;
  expect(measured).toHaveLength(1);

  const lookUpFails = async (id: string, message: RegExp | string, hubUrl?: string) => {
    await lookUp(page, id, hubUrl);
    await expect(page.getByTestId('repository-error')).toContainText(message);
  };
  await lookUpFails('ttft-test/does-not-exist', 'was not found');
  hub.setFault(BAD_REPOS.broken, { kind: 'status', status: 500 });
  await lookUpFails(BAD_REPOS.broken, 'HTTP 500');
  await lookUpFails(GOOD_REPO, 'Could not reach http://127.0.0.1:9', 'http://127.0.0.1:9');
  // A hub the page's Content-Security-Policy does not allow: said plainly, with how to allow it.
  await lookUpFails(
    GOOD_REPO,
    'TTFT_BENCH_HUB_SOURCES="https://mirror.example"',
    'https://mirror.example/hf',
  );
  await lookUpFails(BAD_REPOS.noOnnx, 'no onnx/ folder');
  await lookUpFails(BAD_REPOS.bert, 'model_type "bert"');
  await lookUpFails(BAD_REPOS.noTokenizer, 'no tokenizer.json');

  // Gated: refused without a token, accepted with it; the token is sent, never shown or stored.
  hub.setFault(BAD_REPOS.gated, { kind: 'auth', token: 'hf_test_secret' });
  await lookUpFails(BAD_REPOS.gated, '(401)');
  await page.getByTestId('hub-token').fill('hf_test_secret');
  await lookUp(page, BAD_REPOS.gated);
  await expect(page.getByTestId('repository-ready')).toBeVisible();
  const storedTokens = () =>
    page.evaluate(() => Object.values(localStorage).filter((value) => value.includes('hf_test_secret')));
  expect(await storedTokens()).toEqual([]);
  // Remembered only on request, and forgotten when the box is cleared.
  await page.getByTestId('hub-token-remember').check();
  // Kept for the hub it was entered for, and only that one.
  expect(await storedTokens()).toEqual([JSON.stringify({ [hub.url]: 'hf_test_secret' })]);
  await page.getByTestId('hub-token-remember').uncheck();
  expect(await storedTokens()).toEqual([]);
  await page.getByTestId('hub-token').fill('');

  const runFails = async (id: string, message: RegExp | string) => {
    await lookUp(page, id);
    await expect(page.getByTestId('repository-ready')).toBeVisible();
    await run(page, ['q4']);
    await expect(page.getByTestId('status-failed')).toContainText(message, { timeout: 2 * 60_000 });
    // Nothing measured is lost, and the form still works.
    expect((await state(page)).trials).toEqual(measured);
    await expect(page.getByTestId('results-table')).toBeVisible();
  };
  await runFails(BAD_REPOS.notOnnx, 'not a valid ONNX model');
  await runFails(BAD_REPOS.unsupportedOp, 'operator com.example.ttft:FlashPrefill');
  await runFails(BAD_REPOS.mismatch, 'layers: config.json 4, ONNX model 2');

  // A download that breaks off is not cached as if whole: the next run downloads it again.
  hub.setFault(BAD_REPOS.truncated, { kind: 'truncate', path: 'onnx/model_q4.onnx', bytes: 100_000 });
  await runFails(BAD_REPOS.truncated, /broke off after \d+ of \d+ bytes/);
  hub.setFault(BAD_REPOS.truncated, undefined);
  await run(page, ['q4']);
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 2 * 60_000 });
  expect((await state(page)).loads[0]!.filesFrom).toBe('network');

  // A stalled download shows its progress (bytes of total), then gives up with a message.
  const stalledFile = 'onnx/model_q4.onnx';
  const stalledBytes = statSync(join(root, BAD_REPOS.stalled, stalledFile)).size;
  hub.setFault(BAD_REPOS.stalled, { kind: 'stall', path: stalledFile, afterBytes: 65_536 });
  await lookUp(page, BAD_REPOS.stalled);
  await expect(page.getByTestId('repository-ready')).toBeVisible();
  const kept = (await state(page)).trials;
  await run(page, ['q4']);
  const bar = page.getByTestId('download-progress');
  await expect(bar).toHaveAttribute('data-loaded-bytes', '65536');
  await expect(bar).toHaveAttribute('data-total-bytes', String(stalledBytes));
  await expect(page.getByTestId('status-failed')).toContainText('stalled');
  expect((await state(page)).trials).toEqual(kept);

  // Cancel during a download stops at once; the partial file is not cached.
  await run(page, ['q4']);
  await expect(bar).toHaveAttribute('data-loaded-bytes', '65536');
  const cancelledAt = Date.now();
  await page.getByTestId('cancel').click();
  await page.getByTestId('status-cancelled').waitFor();
  expect(Date.now() - cancelledAt).toBeLessThan(1000);
  hub.setFault(BAD_REPOS.stalled, undefined);
  await run(page, ['q4']);
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 2 * 60_000 });
  expect((await state(page)).loads.at(-1)?.filesFrom).toBe('network');
});
