/**
 * Building a built-in model in the page, as the app does it: the built app's own model-builder worker, sent
 * the same request the page sends, timed from postMessage to the built files' arrival in the page. Chromium's
 * memory is sampled from /proc meanwhile (Linux): the worker runs in the page's renderer process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { BuiltInQuantization, LlamaConfig } from '../src/model/config';
import type { BuildModelReply, BuildModelRequest } from '../src/worker/model-builder-protocol';

export interface PageBuildMeasurement {
  readonly totalMs: number;
  readonly outputBytes: number;
  /** Largest resident set of one Chromium process during the build (the renderer the worker runs in). */
  readonly peakProcessRssBytes: number | undefined;
}

/** The built worker's URL relative to the app (its file name carries a content hash). */
export function builderWorkerPath(root: string): string {
  const assets = join(root, 'dist', 'assets');
  const name = readdirSync(assets).find((file) => /^model-builder\.worker-[\w-]+\.js$/.test(file));
  if (name === undefined) throw new Error(`no model-builder worker in ${assets}: build the app first`);
  return `assets/${name}`;
}

/** Resident bytes of every process below `rootPid` (Chromium's browser, renderers, GPU process…). */
function descendantRss(rootPid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the command name in parentheses, which may hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // The process ended while we looked.
    }
  }
  const isDescendant = (pid: number): boolean => {
    for (let at = parents.get(pid); at !== undefined && at > 1; at = parents.get(at)) {
      if (at === rootPid) return true;
    }
    return false;
  };
  const sizes: number[] = [];
  for (const pid of parents.keys()) {
    if (!isDescendant(pid)) continue;
    try {
      const residentPages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
      sizes.push(residentPages * 4096);
    } catch {
      // Gone.
    }
  }
  return sizes;
}

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
  };
  const canSample = process.platform === 'linux';
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, ...descendantRss(process.pid));
  };
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
    if (canSample) sample();
    return { ...result, peakProcessRssBytes: canSample ? peak : undefined };
  } finally {
    if (sampler !== undefined) clearInterval(sampler);
  }
}
