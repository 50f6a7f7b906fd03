/**
 * The race: this app's engine, the floor (the least code that gets a first token from onnxruntime-web on
 * WebGPU) and transformers.js on WebGPU, on the same model files (one hub repository at one commit), the
 * same prompts and the same browser, runs interleaved. Prints median TTFT of each and the engine's ratios.
 *
 *   npm run bench:race -- [--quant q4] [--lengths 64,256,512] [--warmup 1] [--reps 3] [--gpu] [--chrome-arg FLAG]...
 *                         [--lm-head all|last] [--model ID --hub URL [--revision REV]] [--json race.json]
 *                         [--preset tiny|smollm2-135m|… [--graph plain|fused]]
 *
 * Without --model it writes a built-in model (--preset, default the tiny one with Llama-3's 128,256-token
 * vocabulary; --graph, default plain) as a hub repository and serves it on 127.0.0.1 in the hub's URL layout.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parsePromptLengths } from '../src/config/lengths';
import { errorMessage } from '../src/error-message';
import { BUILT_IN_QUANTIZATIONS, PRESET_IDS, type BuiltInQuantization } from '../src/model/config';
import { GRAPH_FORMS } from '../src/model/graph-form';
import { CONTENDERS } from '../src/race/race-config';
import { summarizeRace } from '../src/race/race-summary';
import { FIXTURE_SEED, writeBuiltInRepository } from './lib/hub-fixtures';
import { startLocalHub, type LocalHub } from './lib/local-hub';
import { runPageRace } from './lib/page-race';
import { ensureBuilt } from './ensure-built';
import { raceEnginesLine, raceTableLines, raceTargetLines } from './race-report';
import { CHROMIUM_CLI_OPTIONS, startHeadlessAppOrExit } from './headless-app';

const { values } = parseArgs({
  options: {
    quant: { type: 'string', default: 'q4' },
    lengths: { type: 'string', default: '64,256,512' },
    warmup: { type: 'string', default: '1' },
    reps: { type: 'string', default: '3' },
    contenders: { type: 'string', default: CONTENDERS.join(',') },
    model: { type: 'string' },
    hub: { type: 'string' },
    revision: { type: 'string', default: 'main' },
    json: { type: 'string' },
    'lm-head': { type: 'string', default: 'all' },
    preset: { type: 'string', default: 'tiny' },
    graph: { type: 'string', default: 'plain' },
    ...CHROMIUM_CLI_OPTIONS,
  },
  strict: true,
});
const lengths = parsePromptLengths(values.lengths);
if (!lengths.ok) throw new Error(lengths.message);
const quantizations = values.quant.split(',');

const buildable = quantizations.filter((q): q is BuiltInQuantization =>
  (BUILT_IN_QUANTIZATIONS as readonly string[]).includes(q),
);
if (values.model === undefined && buildable.length !== quantizations.length)
  throw new Error(`the built-in model has ${BUILT_IN_QUANTIZATIONS.join(', ')}`);
const preset = PRESET_IDS.find((id) => id === values.preset);
if (preset === undefined) throw new Error(`--preset is one of ${PRESET_IDS.join(', ')}`);
const graph = GRAPH_FORMS.find((form) => form === values.graph);
if (graph === undefined) throw new Error(`--graph is one of ${GRAPH_FORMS.join(', ')}`);

// The browser first: with --gpu and no GPU it stops here, before writing a model.
await ensureBuilt();
const app = await startHeadlessAppOrExit('bench:race', values);

const LOCAL_REPO = preset === 'tiny' ? 'ttft-race/tiny-llama-ONNX' : `ttft-race/${preset}-ONNX`;
let hub: LocalHub | undefined;
let hubRoot: string | undefined;
let hubUrl = values.hub ?? '';
let modelId = values.model ?? LOCAL_REPO;
if (values.model === undefined) {
  hubRoot = mkdtempSync(join(tmpdir(), 'ttft-race-'));
  console.log(
    `bench:race: writing the built-in ${preset} model (${buildable.join(', ')}, graph ${graph}) as a hub repository…`,
  );
  writeBuiltInRepository(hubRoot, LOCAL_REPO, {
    preset,
    quantizations: buildable,
    seed: FIXTURE_SEED,
    form: graph,
    lmHead: 'all',
    // As large exports ship it, and as the tests' repositories have it.
    forceExternalData: ['fp32'],
  });
  hub = await startLocalHub(hubRoot);
  hubUrl = hub.url;
  modelId = LOCAL_REPO;
} else if (values.hub === undefined) {
  hubUrl = 'https://huggingface.co';
}

const config = {
  hubUrl,
  modelId,
  revision: values.revision,
  quantizations,
  promptLengths: lengths.lengths,
  warmupRuns: Number(values.warmup),
  repetitions: Number(values.reps),
  contenders: values.contenders.split(','),
  engineLmHead: values['lm-head'],
};

let exitCode = 0;
try {
  const page = await app.browser.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  const started = performance.now();
  const response = await runPageRace(page, app.baseUrl, config, (line) => console.log(`  ${line}`));
  if (!response.ok) throw new Error(response.message);
  const { environment } = response;
  console.log(`\nbrowser: ${environment.userAgent}`);
  console.log(`adapter: ${environment.adapter}`);
  console.log(raceEnginesLine(environment));
  console.log(`model: ${modelId} at ${response.commit} from ${hubUrl}`);
  console.log(
    `engine LM head: ${response.config.engineLmHead === 'last' ? 'last position only (graph rewritten at load)' : 'every position (as exported)'}`,
  );
  console.log(
    `warm-ups ${config.warmupRuns}, timed ${config.repetitions} per contender and cell; ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
  );
  for (const load of response.loads) {
    const graph =
      load.lmHead === undefined
        ? ''
        : ` (LM head: ${load.lmHead === 'last' ? 'last position only' : 'every position'})`;
    console.log(`load ${load.quantization} ${load.contender}: ${load.loadMs.toFixed(0)} ms${graph}`);
  }
  console.log('');
  const cells = summarizeRace(response.trials, response.config.contenders);
  for (const line of raceTableLines(cells)) console.log(line);
  console.log('');
  for (const line of raceTargetLines(cells)) console.log(line);
  if (cells.some((cell) => !cell.sameFirstToken)) {
    console.error('bench:race: the contenders disagree on the first token');
    exitCode = 1;
  }
  if (values.json !== undefined) {
    writeFileSync(values.json, `${JSON.stringify({ ...response, cells }, null, 2)}\n`);
    console.log(`\nwrote ${values.json}`);
  }
} catch (error) {
  exitCode = 1;
  console.error(`bench:race: ${errorMessage(error)}`);
} finally {
  await app.close();
  await hub?.close();
  if (hubRoot !== undefined) rmSync(hubRoot, { recursive: true, force: true });
}
process.exit(exitCode);
