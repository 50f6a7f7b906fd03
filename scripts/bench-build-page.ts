/**
 * Building a built-in model in the page, as the app does it: the built app's own model-builder worker, sent
 * the same request the page sends, timed from postMessage to the built files' arrival in the page. Chromium's
 * memory and CPU time are read from /proc meanwhile (Linux): the worker runs in the page's renderer process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEFAULT_GRAPH_FORM, DEFAULT_QKV_PROJECTION } from '../src/config/sweep-config';
import { DEFAULT_ACCURACY_LEVEL } from '../src/model/accuracy-level';
import type { BuiltInQuantization, LlamaConfig } from '../src/model/config';
import type { BuildModelReply, BuildModelRequest } from '../src/worker/model-builder-protocol';

export interface PageBuildMeasurement {
  readonly totalMs: number;
  readonly outputBytes: number;
  /** Largest resident set of one Chromium process during the build (the renderer the worker runs in). */
  readonly peakProcessRssBytes: number | undefined;
  /** CPU time all Chromium processes spent during the build: on a shared machine less noisy than wall time. */
  readonly cpuMs: number | undefined;
}

/** The built worker's URL relative to the app (its file name carries a content hash). */
export function builderWorkerPath(root: string): string {
  const assets = join(root, 'dist', 'assets');
  const name = readdirSync(assets).find((file) => /^model-builder\.worker-[\w-]+\.js$/.test(file));
  if (name === undefined) throw new Error(`no model-builder worker in ${assets}: build the app first`);
  return `assets/${name}`;
}

/** Every process below `rootPid` (Chromium's browser, renderers, GPU process…), from /proc. */
function descendants(rootPid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat !== undefined) parents.set(Number(entry), Number(stat[1]));
  }
  const isDescendant = (pid: number): boolean => {
    for (let at = parents.get(pid); at !== undefined && at > 1; at = parents.get(at)) {
      if (at === rootPid) return true;
    }
    return false;
  };
  return [...parents.keys()].filter(isDescendant);
}

/** /proc/<pid>/stat's fields from field 3 (state) on: the command name before them may hold spaces. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // The process ended while we looked.
  }
}

function residentBytes(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_BYTES;
  } catch {
    return 0;
  }
}

/** User + system CPU seconds of a process so far (fields 14 and 15, in clock ticks). */
function cpuSeconds(pid: number): number {
  const stat = procStat(pid);
  return stat === undefined ? 0 : (Number(stat[11]) + Number(stat[12])) / CLOCK_TICKS_PER_SECOND;
}

const PAGE_BYTES = 4096;
/** USER_HZ, which /proc reports CPU times in: 100 on Linux builds for every common architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

export async function measurePageBuild(
  page: Page,
  options: {
    readonly workerPath: string;
    readonly config: LlamaConfig;
    readonly quantization: BuiltInQuantization;
    readonly seed: number;
  },
): Promise<PageBuildMeasurement> {
  const request: BuildModelRequest = {
    kind: 'build',
    requestId: 1,
    config: options.config,
    quantization: options.quantization,
    seed: options.seed,
    lastPositionLogits: false,
    form: DEFAULT_GRAPH_FORM,
    accuracyLevel: DEFAULT_ACCURACY_LEVEL,
    kvCache: 'growing',
    qkv: DEFAULT_QKV_PROJECTION,
  };
  const canSample = process.platform === 'linux';
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, ...descendants(process.pid).map(residentBytes));
  };
  const cpuNow = () => descendants(process.pid).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const cpuBefore = canSample ? cpuNow() : 0;
  const sampler = canSample ? setInterval(sample, 250) : undefined;
  try {
    const result = await page.evaluate(
      async ({ workerPath, request }) => {
        const worker = new Worker(workerPath, { type: 'module' });
        const started = performance.now();
        try {
          return await new Promise<{ totalMs: number; outputBytes: number }>((resolve, reject) => {
            worker.onerror = (event) => reject(new Error(`the builder worker failed: ${event.message}`));
            worker.onmessage = (event: MessageEvent<BuildModelReply>) => {
              const message = event.data;
              if (message.kind === 'progress') return;
              if (message.kind === 'failed') {
                reject(new Error(`the build failed: ${message.message}`));
                return;
              }
              const external = message.externalData.reduce((sum, file) => sum + file.data.byteLength, 0);
              resolve({
                totalMs: performance.now() - started,
                outputBytes: message.modelBytes.byteLength + external,
              });
            };
            worker.postMessage(request);
          });
        } finally {
          worker.terminate();
        }
      },
      { workerPath: options.workerPath, request },
    );
    if (!canSample) return { ...result, peakProcessRssBytes: undefined, cpuMs: undefined };
    sample();
    return { ...result, peakProcessRssBytes: peak, cpuMs: (cpuNow() - cpuBefore) * 1000 };
  } finally {
    if (sampler !== undefined) clearInterval(sampler);
  }
}
