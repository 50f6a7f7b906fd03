/**
 * Time to a first result: how long building the built-in models takes, per step, in Node and in the page.
 *
 *   npm run bench:build -- [--presets tiny,smollm2-135m,llama-3.2-1b] [--quants q4,fp32] [--seed 1]
 *                          [--browser] [--baseline <checkout>] [--gpu]
 *
 * Node: each build runs in a child process of its own, so its peak RSS is its own; steps are generate, quantize
 * (converting float32 masters to the stored format, which only the old path has) and serialize (protobuf and
 * copies). --browser: the same builds in headless Chromium through the built app's model-builder worker,
 * timed in the page, with the largest Chromium process's peak RSS. --baseline <dir>: every case again with
 * another checkout's src/model (e.g. `git archive <commit> | tar -x -C <dir>`, node_modules linked, and
 * `npm run build` there for --browser), in the same run, side by side. One build per cell: they take seconds.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  BUILT_IN_QUANTIZATIONS,
  PRESET_IDS,
  PRESETS,
  type BuiltInQuantization,
  type PresetId,
} from '../src/model/config';
import { measureNodeBuild, type BuildMeasurement, type NodeBuildCase } from './bench-build-node';
import { builderWorkerPath, measurePageBuild } from './bench-build-page';
import { ensureBuilt } from './ensure-built';
import { startHeadlessApp, startPreview } from './headless-app';

const { values } = parseArgs({
  options: {
    presets: { type: 'string', default: 'tiny,smollm2-135m,llama-3.2-1b' },
    quants: { type: 'string', default: 'q4,fp32' },
    seed: { type: 'string', default: '1' },
    browser: { type: 'boolean', default: false },
    baseline: { type: 'string' },
    gpu: { type: 'boolean', default: false },
    child: { type: 'string' },
  },
  strict: true,
});

if (values.child !== undefined) {
  // A child process measuring one build: print its measurement as the last line.
  const measurement = await measureNodeBuild(JSON.parse(values.child) as NodeBuildCase);
  console.log(JSON.stringify(measurement));
  process.exit(0);
}

function listOf<T extends string>(text: string, allowed: readonly T[], what: string): T[] {
  const items = text.split(',').filter((item) => item !== '');
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new Error(`unknown ${what} "${item}"; choose from ${allowed.join(', ')}`);
    }
  }
  return items as T[];
}

const presets = listOf<PresetId>(values.presets, PRESET_IDS, 'preset');
const quantizations = listOf<BuiltInQuantization>(values.quants, BUILT_IN_QUANTIZATIONS, 'quantization');
const seed = Number(values.seed);
const here = resolve(fileURLToPath(new URL('..', import.meta.url)));
const roots: { readonly label: string; readonly root: string }[] = [
  { label: 'this', root: here },
  ...(values.baseline === undefined ? [] : [{ label: 'baseline', root: resolve(values.baseline) }]),
];

const mb = (bytes: number) => bytes / 1e6;
const seconds = (ms: number) => (ms / 1000).toFixed(2);
/** "1.23 s (456 MB/s)", or "-" for a step that did no work. */
const step = (ms: number, bytes: number) =>
  ms <= 0 ? '-' : `${seconds(ms)} (${Math.round(mb(bytes) / (ms / 1000))} MB/s)`;

function runChild(buildCase: NodeBuildCase): BuildMeasurement | string {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--child', JSON.stringify(buildCase)],
    { encoding: 'utf8', maxBuffer: 16 * 2 ** 20 },
  );
  if (child.status !== 0) {
    const reason = child.stderr.split('\n').find((line) => /Error/.test(line)) ?? `exit ${child.status}`;
    return reason.trim();
  }
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as BuildMeasurement;
}

/** One build of the table: what was built where, and what was measured (a failed build: why, as its total). */
interface Row {
  readonly where: 'node' | 'chromium';
  readonly code: string;
  readonly preset: PresetId;
  readonly quantization: BuiltInQuantization;
  readonly weightsMb?: string;
  readonly total: string;
  readonly cpu?: string;
  readonly generate?: string;
  readonly quantize?: string;
  readonly serialize?: string;
  readonly peakRssMb?: string;
}

const COLUMNS: readonly (readonly [keyof Row, string])[] = [
  ['where', 'where'],
  ['code', 'code'],
  ['preset', 'preset'],
  ['quantization', 'quant'],
  ['weightsMb', 'weights MB'],
  ['total', 'total s'],
  ['cpu', 'CPU s'],
  ['generate', 'generate s'],
  ['quantize', 'quantize s'],
  ['serialize', 'serialize s'],
  ['peakRssMb', 'peak RSS MB'],
];
const print = (row: Row) => console.log(`| ${COLUMNS.map(([key]) => row[key] ?? '').join(' | ')} |`);
console.log(`| ${COLUMNS.map(([, title]) => title).join(' | ')} |`);
console.log(`|${COLUMNS.map(() => '---').join('|')}|`);

for (const preset of presets) {
  for (const quantization of quantizations) {
    for (const { label, root } of roots) {
      const built = { where: 'node', code: label, preset, quantization } as const;
      const m = runChild({ root, preset, quantization, seed });
      if (typeof m === 'string') {
        print({ ...built, total: `failed: ${m}` });
        continue;
      }
      print({
        ...built,
        weightsMb: mb(m.weightBytes).toFixed(0),
        total: seconds(m.totalMs),
        cpu: seconds(m.cpuMs),
        generate: step(m.generateMs, m.weightBytes),
        quantize: step(m.quantizeMs, m.weightBytes),
        serialize: step(m.serializeMs, m.outputBytes),
        peakRssMb: mb(m.peakRssBytes).toFixed(0),
      });
    }
  }
}

if (values.browser) {
  await ensureBuilt();
  const app = await startHeadlessApp({ gpu: values.gpu });
  const servers: { readonly label: string; readonly baseUrl: string; readonly root: string }[] = [
    { label: 'this', baseUrl: app.baseUrl, root: here },
  ];
  const closers: (() => Promise<void>)[] = [() => app.close()];
  try {
    if (values.baseline !== undefined) {
      const root = resolve(values.baseline);
      const server = await startPreview(root);
      closers.push(() => server.close());
      servers.push({ label: 'baseline', baseUrl: server.baseUrl, root });
    }
    for (const preset of presets) {
      for (const quantization of quantizations) {
        for (const server of servers) {
          // A fresh page per build: nothing of the previous build stays in the renderer.
          const page = await app.browser.newPage();
          const built = { where: 'chromium', code: server.label, preset, quantization } as const;
          try {
            await page.goto(server.baseUrl);
            const measured = await measurePageBuild(page, {
              workerPath: builderWorkerPath(server.root),
              config: PRESETS[preset].config,
              quantization,
              seed,
            });
            const { totalMs, cpuMs, peakProcessRssBytes } = measured;
            print({
              ...built,
              total: seconds(totalMs),
              cpu: cpuMs === undefined ? undefined : seconds(cpuMs),
              peakRssMb: peakProcessRssBytes === undefined ? undefined : mb(peakProcessRssBytes).toFixed(0),
            });
          } catch (error) {
            const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
            print({ ...built, total: `failed: ${reason}` });
          } finally {
            await page.close();
          }
        }
      }
    }
  } finally {
    for (const close of closers.reverse()) await close();
  }
}
console.log(
  `\nseed ${seed}; Node ${process.version}; one build per cell. "CPU s": the build's process CPU time (Node), ` +
    'all Chromium processes\' CPU time during the build (Chromium). Chromium "total s" runs from postMessage to ' +
    'the files in the page (worker start included); "peak RSS" is the largest Chromium process\'s.',
);
