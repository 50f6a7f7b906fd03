/**
 * Links, frames and hubs that try to make the page hurt its visitor: runs that cannot fit are refused before
 * anything is built, a link alone starts nothing, a token stays with its hub, a stalled hub ends in a message,
 * and no site can frame the page.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_SWEEP_CONFIG, type SweepConfig } from '../src/config/sweep-config';
import { encodeShareFragment } from '../src/report/share-link';
import { encodeAutorun } from '../src/ui/automation';
import { writeModelRepository } from '../scripts/lib/hub-fixtures';
import { startLocalHub, type LocalHub } from '../scripts/lib/local-hub';
import { recordedTrials } from './page-state';

const REPO = 'ttft-test/tiny-q4-ONNX';
let root: string;
let hub: LocalHub;

test.describe.configure({ timeout: 60_000 });

test.beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ttft-hostile-'));
  writeModelRepository(root, REPO, ['q4']);
  hub = await startLocalHub(root);
});

test.afterAll(async () => {
  await hub.close();
  rmSync(root, { recursive: true, force: true });
});

const EIGHT_B: SweepConfig = {
  ...DEFAULT_SWEEP_CONFIG,
  model: { kind: 'builtin', preset: 'llama-3.1-8b' },
  promptLengths: [16],
  warmupRuns: 0,
  repetitions: 1,
};

/** Every model-builder worker the page starts (one per build). */
function watchBuilds(page: Page): string[] {
  const builds: string[] = [];
  page.on('worker', (worker) => {
    if (worker.url().includes('model-builder')) builds.push(worker.url());
  });
  return builds;
}

/** The page's JavaScript heap, from the DevTools protocol. */
async function jsHeapBytes(page: Page): Promise<number> {
  const session = await page.context().newCDPSession(page);
  await session.send('Performance.enable');
  const { metrics } = await session.send('Performance.getMetrics');
  await session.detach();
  return metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
}

test('an 8B fp32 share link is refused within 2 s with the reason; nothing is built', async ({ page }) => {
  const builds = watchBuilds(page);
  await page.goto(
    `./#${encodeShareFragment({ version: 1, config: { ...EIGHT_B, quantizations: ['fp32'] } })}`,
  );
  await expect(page.getByTestId('run-shared')).toBeEnabled();
  const clicked = Date.now();
  await page.getByTestId('run-shared').click();
  const refused = page.getByTestId('run-refused');
  await expect(refused).toBeVisible({ timeout: 2000 });
  console.log(`8B fp32 share link refused ${Date.now() - clicked} ms after the click (as seen by the test)`);
  expect(Date.now() - clicked).toBeLessThan(2000);
  await expect(refused).toContainText(
    "fp32: Cannot fit: its embedding table (128256 × 4096, 1.96 GiB) is larger than this adapter's maxBufferSize",
  );
  await expect(refused).toContainText('model.onnx_data would be 29.98 GiB in one piece');
  await expect(page.getByTestId('run-refused-instead')).toContainText('Or pick a smaller model');
  // Nothing started: no progress, no trials, no builder, and the page's memory stayed small.
  await page.waitForTimeout(1000);
  await expect(page.getByTestId('progress')).toHaveCount(0);
  expect(await recordedTrials(page)).toEqual([]);
  expect(builds).toEqual([]);
  expect(await jsHeapBytes(page)).toBeLessThan(64 * 2 ** 20);
});

test('an 8B q4 autorun link (with the driver’s opt-in) is refused within 2 s; the driver reads why', async ({
  page,
}) => {
  const builds = watchBuilds(page);
  await page.addInitScript(() => {
    window.ttftBenchAutorunOptIn = true;
    // When the app first rendered, and when it refused (page clock): the refusal's delay is the app's own,
    // not the time a loaded machine takes to fetch and compile the bundle.
    const seen: Record<string, number> = {};
    Object.assign(window, { seenAt: seen });
    new MutationObserver(() => {
      for (const id of ['lengths', 'run-refused']) {
        if (seen[id] === undefined && document.querySelector(`[data-testid="${id}"]`) !== null)
          seen[id] = performance.now();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`./#${encodeAutorun({ ...EIGHT_B, quantizations: ['q4'] })}`);
  await expect(page.getByTestId('run-refused')).toBeVisible({ timeout: 10_000 });
  const seenAt = await page.evaluate(() => (window as unknown as { seenAt: Record<string, number> }).seenAt);
  const refusedAfterMs = seenAt['run-refused']! - seenAt['lengths']!;
  console.log(`8B q4 autorun refused ${refusedAfterMs.toFixed(0)} ms after the form rendered`);
  expect(refusedAfterMs).toBeLessThan(2000);
  await expect(page.getByTestId('run-refused')).toContainText('q4: Its model.onnx_data would be 6.39 GiB');
  const status = await page.evaluate(() => window.ttftBench?.status);
  expect(status).toMatchObject({ kind: 'failed' });
  expect(status?.kind === 'failed' && status.message).toMatch(
    /^This run cannot work here, so nothing was built/,
  );
  await page.waitForTimeout(1000);
  expect(builds).toEqual([]);
  expect(await jsHeapBytes(page)).toBeLessThan(64 * 2 ** 20);
});

test('an autorun link without the driver’s opt-in shows its configuration and starts nothing', async ({
  page,
}) => {
  const builds = watchBuilds(page);
  const config: SweepConfig = {
    ...DEFAULT_SWEEP_CONFIG,
    quantizations: ['q4'],
    promptLengths: [8, 24],
    repetitions: 3,
  };
  await page.goto(`./#${encodeAutorun(config)}`);
  await expect(page.getByTestId('adapter')).toContainText('GPU:');
  const linked = page.getByTestId('autorun-linked');
  await expect(linked).toContainText('It does not start by itself');
  await expect(page.getByTestId('autorun-linked-config')).toHaveText(
    'built-in tiny: q4 at 8, 24 tokens, 2 warm-ups, 3 repetitions, sync barrier.',
  );
  await expect(page.getByTestId('lengths')).toHaveValue('8, 24');
  await page.waitForTimeout(2000);
  await expect(page.getByTestId('progress')).toHaveCount(0);
  expect(await page.evaluate(() => window.ttftBench?.status.kind)).toBe('idle');
  expect(builds).toEqual([]);
  await expect(page.getByTestId('run-linked')).toBeEnabled();

  // A damaged autorun link says so on the page.
  await page.goto('./#autorun=eyJub3QiOiJhIGNvbmZpZyJ9');
  await page.reload();
  await expect(page.getByTestId('autorun-invalid')).toContainText(
    'This autorun link cannot be used: invalid sweep configuration',
  );
  await expect(page.getByTestId('run')).toBeVisible();
});

test('a remembered token is not sent to a hub a link names; the page says so', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('model-source-hub').check();
  // Entered for the default hub (huggingface.co) and remembered.
  await expect(page.getByTestId('hub-url')).toHaveValue('https://huggingface.co');
  await page.getByTestId('hub-token').fill('hf_remembered_secret');
  await page.getByTestId('hub-token-remember').check();

  const before = hub.requests.length;
  const config: SweepConfig = {
    ...DEFAULT_SWEEP_CONFIG,
    model: { kind: 'hub', id: REPO, revision: 'main', hubUrl: hub.url },
    quantizations: ['q4'],
    promptLengths: [8],
    warmupRuns: 0,
    repetitions: 1,
    // Where the token goes is the point here, not the variant check.
    cpuMatch: false,
  };
  await page.goto(`./#${encodeShareFragment({ version: 1, config })}`);
  await page.reload();
  await expect(page.getByTestId('token-hub-note')).toHaveText(
    `This link names the hub ${hub.url}, which is not the one your access token is for (https://huggingface.co); ` +
      `the token is not sent to ${hub.url}.`,
  );
  await expect(page.getByTestId('run-shared')).toBeEnabled();
  await page.getByTestId('run-shared').click();
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 3 * 60_000 });
  const sent = hub.requests.slice(before);
  expect(sent.some((request) => request.path.startsWith('/api/models/'))).toBe(true);
  expect(sent.some((request) => request.path.includes('/resolve/'))).toBe(true);
  expect(sent.filter((request) => request.authorization !== undefined)).toEqual([]);

  // The log does see tokens: one entered for this hub goes with its requests, and only there.
  await page.getByTestId('hub-token').fill('local_token');
  const next = hub.requests.length;
  await page.getByTestId('hub-look-up').click();
  await expect(page.getByTestId('repository-ready')).toBeVisible();
  expect(hub.requests.slice(next).map((request) => request.authorization)).toContain('Bearer local_token');
  expect(hub.requests.map((request) => request.authorization)).not.toContain('Bearer hf_remembered_secret');
});

test('a listing that stalls after its headers ends in a message within its timeout, or on Cancel', async ({
  page,
}) => {
  hub.setFault(REPO, { kind: 'stall-listing' });
  try {
    await page.addInitScript(() => {
      window.ttftBenchStallTimeoutMs = 2000;
    });
    await page.goto('./');
    await page.getByTestId('model-source-hub').check();
    await page.getByTestId('hub-url').fill(hub.url);
    await page.getByTestId('hub-id').fill(REPO);
    const asked = Date.now();
    await page.getByTestId('hub-look-up').click();
    await expect(page.getByTestId('repository-inspecting')).toBeVisible();
    await expect(page.getByTestId('repository-error')).toContainText(
      `${hub.url} stopped answering while listing model "${REPO}"`,
      { timeout: 6000 },
    );
    const elapsed = Date.now() - asked;
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    expect(elapsed).toBeLessThan(6000);

    // Cancel ends a look-up at once, well before its timeout.
    await page.getByTestId('hub-look-up').click();
    await expect(page.getByTestId('repository-cancel')).toBeVisible();
    const cancelled = Date.now();
    await page.getByTestId('repository-cancel').click();
    await expect(page.getByTestId('repository-error')).toHaveText('The look-up was cancelled.');
    expect(Date.now() - cancelled).toBeLessThan(1500);
    await expect(page.getByTestId('repository-inspecting')).toHaveCount(0);
  } finally {
    hub.setFault(REPO, undefined);
  }
});

test('no other site can frame the page', async ({ page, baseURL }) => {
  const response = await page.goto('./');
  const headers = response!.headers();
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  // Another origin (the local hub's) serving a page that frames this one: the browser leaves the frame empty.
  await page.route(`${hub.url}/framing.html`, (route) =>
    route.fulfill({ contentType: 'text/html', body: `<iframe id="app" src="${baseURL}"></iframe>` }),
  );
  const appFrame = () => page.frames().find((candidate) => candidate !== page.mainFrame());
  await page.goto(`${hub.url}/framing.html`);
  await page.waitForTimeout(1500);
  expect(await appFrame()!.getByText('ttft-bench').count()).toBe(0);

  // A static host that cannot send those headers: the page itself sees the frame and does nothing.
  await page.route(baseURL!, async (route) => {
    const original = await route.fetch();
    const headers = Object.fromEntries(
      Object.entries(original.headers()).filter(
        ([name]) => name !== 'x-frame-options' && name !== 'content-security-policy',
      ),
    );
    await route.fulfill({ response: original, headers });
  });
  await page.goto(`${hub.url}/framing.html`);
  const framed = appFrame()!.getByTestId('framed');
  await expect(framed).toContainText(
    "This page is shown inside another site's frame, so it does nothing here.",
  );
  expect(await appFrame()!.getByTestId('adapter').count()).toBe(0);
});
