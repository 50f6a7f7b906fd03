/**
 * Headless benchmark: builds the app if needed, serves it on 127.0.0.1, drives Chromium through the same
 * page a person uses (via its #autorun hook), streams progress, prints a summary and writes the page's CSV.
 *
 *   npm run bench -- --model tiny --quant fp32,q4 --lengths 16,64 --reps 2 --warmup 1 --out results.csv
 *   npm run bench -- --prompt "some text" --quant fp32
 *   npm run bench -- --model onnx-community/Llama-3.2-1B-Instruct-ONNX --quant q4,q4f16 [--revision main]
 *                    [--hub https://huggingface.co] (token from --token or HF_TOKEN; never written to results)
 *   npm run bench -- --model ./path/to/folder --quant fp32,q4   (a folder in the hub layout)
 *   npm run bench -- --link 'https://…/#share=1.…' [--reps 10]  (a share link's configuration; flags override it)
 *   npm run bench -- --lengths 512 --depth 0,1024,4096   (TTFT of a 512-token turn on top of 0, 1024, 4096 tokens)
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDepths, parsePromptLengths } from '../src/config/lengths';
import { parseSweepConfig } from '../src/config/sweep-config-schema';
import { summarizeCells } from '../src/bench/summary';
import { DEFAULT_SWEEP_CONFIG, type SweepConfig } from '../src/config/sweep-config';
import { DEFAULT_HUB_URL, describeModel, isPresetId, type ModelRef } from '../src/config/model-ref';
import { describeStep } from '../src/bench/progress';
import { trialsToCsv } from '../src/results/csv';
import { runToJson } from '../src/results/run-json';
import { decodeShareFragment } from '../src/report/share-link';
import { encodeAutorun } from '../src/ui/automation';
import { optInToAutorun, waitForSweep } from './lib/page-sweep';
import { ensureBuilt } from './ensure-built';
import { CHROMIUM_CLI_OPTIONS, CHROMIUM_CLI_USAGE, startHeadlessAppOrExit } from './headless-app';
import { formatSummaryTable, stabilityWarnings } from '../src/report/summary-table';
import { formatVariantChecks } from '../src/report/variant-checks';
import { formatKernelProfiles } from '../src/report/kernel-profiles';
import { errorMessage } from '../src/error-message';
import { parseAccuracyLevel } from '../src/model/accuracy-level';
import { formatBytes } from '../src/format-bytes';

const USAGE = `usage: npm run bench -- [--link SHARE_URL] [--model tiny|org/name|./folder] [--revision main] [--hub URL] [--token T]
                       [--quant fp32,q4] [--lengths 16,64,128] [--reps 5] [--warmup 2]
                       [--sync barrier,readback,none] [--order interleaved|sequential]
                       [--decode 32] [--decode-loop synced|pipelined] [--first-token-argmax cpu|gpu]
                       [--token-readback with-barrier|after-barrier] [--lm-head last|all] [--graph fused|plain (built-in)] [--qkv packed|separate (built-in, fused)] [--accuracy-level 0|4 (built-in)]
                       [--graph-capture (built-in, fused)] [--kernel-profile]
                       [--seed N (built-in weights)]
                       [--ort-build asyncify|jspi] [--validation basic|wgpuOnly] [--buffer-cache bucket|simple]
                       [--depth 0,1024,4096] [--cpu-match on|off]
                       [--prompt "text"] [--out results.csv] [--json results.json] [--no-build]
                       ${CHROMIUM_CLI_USAGE}`;

function fail(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

// Sweep flags have no parser defaults: a flag given on the command line overrides a --link's configuration.
const { values } = parseArgs({
  options: {
    link: { type: 'string' },
    model: { type: 'string' },
    revision: { type: 'string' },
    hub: { type: 'string' },
    token: { type: 'string' },
    quant: { type: 'string' },
    lengths: { type: 'string' },
    reps: { type: 'string' },
    warmup: { type: 'string' },
    sync: { type: 'string' },
    order: { type: 'string' },
    decode: { type: 'string' },
    'decode-loop': { type: 'string' },
    'first-token-argmax': { type: 'string' },
    'token-readback': { type: 'string' },
    prompt: { type: 'string' },
    out: { type: 'string', default: 'results.csv' },
    json: { type: 'string' },
    seed: { type: 'string' },
    'lm-head': { type: 'string' },
    graph: { type: 'string' },
    qkv: { type: 'string' },
    'accuracy-level': { type: 'string' },
    'graph-capture': { type: 'boolean' },
    'kernel-profile': { type: 'boolean' },
    'ort-build': { type: 'string' },
    validation: { type: 'string' },
    'buffer-cache': { type: 'string' },
    depth: { type: 'string' },
    'cpu-match': { type: 'string' },
    ...CHROMIUM_CLI_OPTIONS,
    'no-build': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

/** The configuration a share link carries (results in it are someone else's and are not used). */
function configOfLink(link: string): SweepConfig {
  let hash: string;
  try {
    hash = new URL(link).hash;
  } catch {
    fail(`--link ${link} is not a URL`);
  }
  const request = decodeShareFragment(hash);
  if (request.kind === 'none')
    fail('--link has no #share=… fragment; copy the link with "Copy link" in the app');
  if (request.kind === 'invalid') fail(`--link: ${request.message}`);
  return request.run.config;
}

const base: SweepConfig =
  values.link === undefined
    ? { ...DEFAULT_SWEEP_CONFIG, promptLengths: [16, 64, 128] }
    : configOfLink(values.link);

/** A preset name, an existing folder (hub layout, read by the page from disk), or a hub model id. */
function modelOf(text: string): { model: ModelRef; folder?: string } {
  if (isPresetId(text)) return { model: { kind: 'builtin', preset: text } };
  const looksLikePath = text.startsWith('.') || text.startsWith('/') || text.includes('\\');
  if (looksLikePath || (existsSync(text) && statSync(text).isDirectory())) {
    const folder = resolve(text);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) fail(`${text} is not a folder`);
    return { model: { kind: 'local', folderName: basename(folder) }, folder };
  }
  const linked = base.model.kind === 'hub' ? base.model : undefined;
  return {
    model: {
      kind: 'hub',
      id: text,
      revision: values.revision ?? linked?.revision ?? 'main',
      hubUrl: values.hub ?? linked?.hubUrl ?? DEFAULT_HUB_URL,
    },
  };
}
function baseModelText(model: ModelRef): string {
  if (model.kind === 'builtin') return model.preset;
  if (model.kind === 'hub') return model.id;
  fail(
    `the link measures a local folder (${model.folderName}); pass it with --model ./path/to/${model.folderName}`,
  );
}
const { model, folder } = modelOf(values.model ?? baseModelText(base.model));
const hubToken = values.token ?? process.env['HF_TOKEN'];

let promptLengths = base.promptLengths;
if (values.lengths !== undefined) {
  const lengths = parsePromptLengths(values.lengths);
  if (!lengths.ok) fail(lengths.message);
  promptLengths = lengths.lengths;
}
const customPrompt = values.prompt ?? (values.lengths === undefined ? base.customPrompt : undefined);
let depths = base.depths;
if (values.depth !== undefined) {
  const parsedDepths = parseDepths(values.depth);
  if (!parsedDepths.ok) fail(`--depth: ${parsedDepths.message}`);
  depths = parsedDepths.lengths;
}
const cpuMatchFlag = values['cpu-match'];
if (cpuMatchFlag !== undefined && cpuMatchFlag !== 'on' && cpuMatchFlag !== 'off') {
  fail(`--cpu-match is on or off, not ${cpuMatchFlag}`);
}
const accuracyLevelFlag = values['accuracy-level'];
let accuracyLevel = base.accuracyLevel;
if (accuracyLevelFlag !== undefined) {
  const parsedLevel = parseAccuracyLevel(accuracyLevelFlag);
  if (!parsedLevel.ok) fail(`--accuracy-level: ${parsedLevel.message}`);
  accuracyLevel = parsedLevel.level;
}
const list = (text: string | undefined, fallback: readonly string[]) =>
  text === undefined ? fallback : text.split(',').map((item) => item.trim());
const number = (text: string | undefined, fallback: number) => (text === undefined ? fallback : Number(text));

const parsed = parseSweepConfig({
  model,
  quantizations: list(values.quant, base.quantizations),
  promptLengths: customPrompt === undefined ? promptLengths : [],
  ...(customPrompt === undefined ? {} : { customPrompt }),
  warmupRuns: number(values.warmup, base.warmupRuns),
  repetitions: number(values.reps, base.repetitions),
  syncModes: list(values.sync, base.syncModes),
  order: values.order ?? base.order,
  decodeTokens: number(values.decode, base.decodeTokens),
  decodeLoop: values['decode-loop'] ?? base.decodeLoop,
  firstTokenArgmax: values['first-token-argmax'] ?? base.firstTokenArgmax,
  tokenReadback: values['token-readback'] ?? base.tokenReadback,
  weightSeed: number(values.seed, base.weightSeed),
  lmHead: values['lm-head'] ?? base.lmHead,
  depths,
  cpuMatch: cpuMatchFlag === undefined ? base.cpuMatch : cpuMatchFlag === 'on',
  graph: values.graph ?? base.graph,
  qkv: values.qkv ?? base.qkv,
  accuracyLevel,
  graphCapture: values['graph-capture'] === true || base.graphCapture,
  kernelProfile: values['kernel-profile'] === true || base.kernelProfile,
  runtime: {
    ortBuild: values['ort-build'] ?? base.runtime.ortBuild,
    validationMode: values.validation ?? base.runtime.validationMode,
    bufferCache: values['buffer-cache'] ?? base.runtime.bufferCache,
  },
});
if (!parsed.ok) fail(parsed.message);
const config = parsed.config;

if (!values['no-build']) await ensureBuilt();
const app = await startHeadlessAppOrExit('bench', values);
const { baseUrl, browser } = app;
let exitCode = 0;
try {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  if (hubToken !== undefined) {
    // Handed to the page in memory only: never in the URL, the CSV or a share link.
    await page.addInitScript((token) => {
      window.ttftBenchHubToken = token;
    }, hubToken);
  }
  await optInToAutorun(page);
  await page.goto(`${baseUrl}#${encodeAutorun(config)}`);
  // A local folder is read by the page itself through its folder picker, exactly as a person's would be.
  if (folder !== undefined) await page.getByTestId('folder-input').setInputFiles(folder);
  let lastLine = '';
  const state = await waitForSweep(page, ({ status }) => {
    if (status.kind !== 'running') return;
    const line = `[${status.progress.completedTrials}/${status.progress.totalTrials}] ${describeStep(status.progress.step)}`;
    if (line !== lastLine) console.log(line);
    lastLine = line;
  });
  if (state.status.kind !== 'done') {
    exitCode = 1;
    console.error(
      `bench: sweep ${state.status.kind}${state.status.kind === 'failed' ? `: ${state.status.message}` : ''}`,
    );
  }
  const adapter = state.trials[0]?.adapter ?? 'unknown adapter';
  const first = state.trials[0];
  console.log(
    `\nadapter: ${adapter}\nbrowser: ${first?.browser ?? 'unknown'}\nos: ${first?.os ?? 'unknown'}`,
  );
  console.log(
    `onnxruntime-web ${first?.onnxruntimeWebVersion ?? '?'}, ttft-bench ${first?.appVersion ?? '?'}`,
  );
  console.log(
    `model: ${describeModel(config.model)}${first?.modelRevision ? ` (commit ${first.modelRevision})` : ''}`,
  );
  const { runtime } = config;
  console.log(
    `onnxruntime: ${runtime.ortBuild} build, validation ${runtime.validationMode}, buffer cache ${runtime.bufferCache}\n`,
  );
  for (const load of state.loads) {
    const variant = state.trials.find((trial) => trial.quantization === load.quantization);
    const nodes = load.nodesPerLayer === undefined ? '' : `, ${load.nodesPerLayer} nodes per layer`;
    const level = variant?.accuracyLevel === undefined ? '' : `, accuracy level ${variant.accuracyLevel}`;
    console.log(
      `${load.quantization}: ${variant?.graph ?? '?'} graph${nodes}${level}, model ${formatBytes(load.modelBytes)} (${load.filesFrom}), ` +
        `build/fetch ${load.prepareMs.toFixed(0)} ms, session ${load.sessionCreateMs.toFixed(0)} ms` +
        (load.checkMs === undefined ? '' : `, check ${load.checkMs.toFixed(0)} ms`),
    );
  }
  console.log('');
  for (const line of formatVariantChecks(state.loads, state.trials)) console.log(line);
  const kernelLines = formatKernelProfiles(state.loads);
  if (kernelLines.length > 0) console.log(['', ...kernelLines].join('\n'));
  const cells = summarizeCells(state.trials);
  console.log(`\n${formatSummaryTable(cells)}`);
  for (const warning of stabilityWarnings(cells)) console.log(`warning: ${warning}`);
  writeFileSync(values.out, trialsToCsv(state.trials));
  console.log(`\nwrote ${state.trials.length} trials to ${values.out}`);
  if (values.json !== undefined) {
    // The page's run-file format: importable into the app to compare with another machine.
    writeFileSync(values.json, runToJson({ config, loads: state.loads, trials: state.trials }));
    console.log(`wrote ${values.json}`);
  }
} catch (error) {
  exitCode = 1;
  console.error(`bench: ${errorMessage(error)}`);
} finally {
  await app.close();
}
process.exit(exitCode);
