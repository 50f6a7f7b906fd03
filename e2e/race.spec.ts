import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { argmaxFloat32 } from '../src/bench/argmax';
import { buildPromptOfLength } from '../src/bench/prompt';
import { referenceLastLogits } from '../src/model/reference';
import { CONTENDERS } from '../src/race/race-config';
import { FIXTURE_SEED, TINY, writeModelRepository } from '../scripts/lib/hub-fixtures';
import { startLocalHub, type LocalHub } from '../scripts/lib/local-hub';
import { watchCspViolations } from './csp';
import { loadNodeTokenizer } from './node-tokenizer';
import { runPageRace } from '../scripts/lib/page-race';

const REPO = 'ttft-race/tiny-llama-ONNX';
const LENGTH = 8;
let root: string;
let hub: LocalHub;

test.beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ttft-race-'));
  writeModelRepository(root, REPO, ['q4']);
  hub = await startLocalHub(root);
});

test.afterAll(async () => {
  await hub.close();
  rmSync(root, { recursive: true, force: true });
});

test('the race: engine (graph rewritten to a last-position LM head), floor and transformers.js load the same files and pick the reference first token', async ({
  page,
  baseURL,
}) => {
  // The race page runs its engine on the page's thread.
  const expectNoCspViolations = await watchCspViolations(page, { expectEngineWorker: false });
  const foreign: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(baseURL ?? '-') && !url.startsWith(hub.url) && !url.startsWith('blob:'))
      foreign.push(url);
  });
  const response = await runPageRace(page, baseURL ?? '', {
    hubUrl: hub.url,
    modelId: REPO,
    quantizations: ['q4'],
    promptLengths: [LENGTH],
    warmupRuns: 0,
    repetitions: 1,
    // The engine runs the downloaded graph rewritten to compute logits for the last position only; the floor
    // and transformers.js run it as exported. All must pick the reference's token.
    engineLmHead: 'last',
  });
  if (!response.ok) throw new Error(response.message);

  const tokenizer = await loadNodeTokenizer('llama3');
  const prompt = buildPromptOfLength(tokenizer, LENGTH);
  const reference = argmaxFloat32(referenceLastLogits(TINY, 'q4', FIXTURE_SEED, prompt.tokenIds));
  expect(response.trials.map((trial) => trial.contender).sort()).toEqual([...CONTENDERS].sort());
  for (const trial of response.trials) {
    expect(trial.firstTokenId, trial.contender).toBe(reference);
    expect(trial.promptTokens).toBe(LENGTH);
    expect(trial.ttftMs).toBeGreaterThan(0);
    expect(trial.ttftMs).toBeLessThan(120_000);
  }
  expect(response.loads.map((load) => [load.contender, load.lmHead])).toEqual([
    ['engine', 'last'],
    ['floor', undefined],
    ['transformers.js', undefined],
  ]);

  // All three read the very same file at the same commit from the hub (none from a CDN or another revision).
  const commit = hub.commitOf(REPO);
  expect(response.commit).toBe(commit);
  const modelFetches = hub.requests.filter((request) => request.path.endsWith('/onnx/model_q4.onnx'));
  expect(modelFetches.map((request) => [request.path, request.status])).toEqual(
    CONTENDERS.map(() => [`/${REPO}/resolve/${commit}/onnx/model_q4.onnx`, 200]),
  );
  expect(foreign).toEqual([]);
  expect(response.environment.transformersJs).toMatch(/^\d+\.\d+\.\d+/);
  expect(response.environment.transformersJsOnnxruntimeWeb).not.toBe(
    response.environment.engineOnnxruntimeWeb,
  );

  // A bad configuration is refused with a message; the page stays usable.
  const refused = await page.evaluate(async () => window.ttftRace?.run({ modelId: '../x' }));
  expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/^Invalid race configuration/) });
  await expectNoCspViolations();
});
