import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { argmaxFloat32 } from '../src/bench/argmax';
import { buildPromptOfLength } from '../src/bench/prompt';
import { referenceLastLogits } from '../src/model/reference';
import { PRESETS } from '../src/model/config';
import { CONTENDERS } from '../src/race/race-config';
import type { PublishResponse } from '../src/race/main';
import { writeBuiltInRepository } from '../scripts/lib/hub-fixtures';
import { runPageRace } from '../scripts/lib/page-race';
import { watchCspViolations } from './csp';
import { loadNodeTokenizer } from './node-tokenizer';

// The GPU kit's own hub (scripts/gpu/drive.py), which needs python3 with aiohttp, as on the GPU machine.
const KIT_PYTHON = spawnSync('python3', ['-c', 'import aiohttp'], { stdio: 'ignore' }).status === 0;
test.skip(!KIT_PYTHON, "the GPU kit's hub (scripts/gpu/drive.py) needs python3 with aiohttp");

const REPO = 'ttft-race/tiny-published-ONNX';
const SEED = 3;
const LENGTH = 8;
let root: string;
let hub: ChildProcess | undefined;
let hubUrl: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

test.beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ttft-kit-hub-'));
  const port = await freePort();
  hubUrl = `http://127.0.0.1:${port}`;
  hub = spawn('python3', ['scripts/gpu/drive.py', '--hub', root, '--hub-port', String(port), 'serve'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let attempt = 0; ; attempt++) {
    const answer = await fetch(`${hubUrl}/api/models/org/none`).catch(() => undefined);
    if (answer?.status === 404) break;
    if (attempt > 100) throw new Error("drive.py's hub did not start");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
});

test.afterAll(() => {
  hub?.kill('SIGTERM');
  rmSync(root, { recursive: true, force: true });
});

test("a built-in model published from the race page to the GPU kit's hub is, byte for byte, what Node writes, and races there", async ({
  page,
  baseURL,
}) => {
  const expectNoCspViolations = await watchCspViolations(page, { expectEngineWorker: false });
  await page.goto(new URL('race.html', baseURL).href);
  await page.waitForFunction(() => window.ttftRace !== undefined);
  const config = { hubUrl, modelId: REPO, preset: 'tiny', quantizations: ['q4'], weightSeed: SEED };
  const published: PublishResponse = await page.evaluate(async (input) => {
    if (window.ttftRace === undefined) throw new Error('the race page did not start');
    return window.ttftRace.publish(input);
  }, config);
  if (!published.ok) throw new Error(published.message);

  // The same description written by Node: the same files with the same bytes.
  const nodeRoot = mkdtempSync(join(tmpdir(), 'ttft-node-hub-'));
  try {
    writeBuiltInRepository(nodeRoot, REPO, {
      preset: 'tiny',
      quantizations: ['q4'],
      seed: SEED,
      form: 'plain',
      lmHead: 'all',
    });
    const sha256 = (path: string) =>
      createHash('sha256')
        .update(readFileSync(join(nodeRoot, REPO, path)))
        .digest('hex');
    expect(published.files.map((file) => [file.path, file.sha256])).toEqual(
      [
        'config.json',
        'generation_config.json',
        'onnx/model_q4.onnx',
        'tokenizer.json',
        'tokenizer_config.json',
      ].map((path) => [path, sha256(path)]),
    );
  } finally {
    rmSync(nodeRoot, { recursive: true, force: true });
  }
  expect(published.variants.map((variant) => variant.quantization)).toEqual(['q4']);
  expect(published.variants[0]!.buildMs).toBeGreaterThan(0);

  // A configuration the page refuses, with a message: not a loopback hub.
  const refused = await page.evaluate(async () =>
    window.ttftRace?.publish({
      hubUrl: 'https://huggingface.co',
      modelId: 'a/b',
      preset: 'tiny',
      quantizations: ['q4'],
    }),
  );
  expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/loopback/) });

  // Raced from the kit's hub at the commit the publish answered: all three pick the reference's token.
  const raced = await runPageRace(page, baseURL ?? '', {
    hubUrl,
    modelId: REPO,
    quantizations: ['q4'],
    promptLengths: [LENGTH],
    warmupRuns: 0,
    repetitions: 1,
  });
  if (!raced.ok) throw new Error(raced.message);
  expect(raced.commit).toBe(published.commit);
  const tokenizer = await loadNodeTokenizer('llama3');
  const prompt = buildPromptOfLength(tokenizer, LENGTH);
  const reference = argmaxFloat32(referenceLastLogits(PRESETS.tiny.config, 'q4', SEED, prompt.tokenIds));
  expect(raced.trials.map((trial) => [trial.contender, trial.firstTokenId]).sort()).toEqual(
    [...CONTENDERS].sort().map((contender) => [contender, reference]),
  );
  await expectNoCspViolations();
});
