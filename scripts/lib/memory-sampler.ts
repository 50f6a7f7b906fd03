/** Drives a long sweep on a page and samples its memory as trials finish (shared by the e2e test and bench:memory). */
import type { CDPSession, Page } from 'playwright-core';
import type { MemorySample } from '../../src/bench/memory-bound';
import { readUserAgentMemory, type UserAgentMemory } from '../../src/bench/user-agent-memory';
import type { SweepConfig } from '../../src/config/sweep-config';
import { startPageSweep, waitForSweep } from './page-sweep';

/**
 * The page's dedicated workers reached through its own CDP session (Playwright's API gives workers no CDP
 * session): auto-attached without flattening, spoken to with Target.sendMessageToTarget.
 */
class WorkerSessions {
  private readonly sessions = new Map<string, string>();
  private readonly waiting = new Map<number, (result: unknown) => void>();
  private nextId = 1;

  private constructor(private readonly cdp: CDPSession) {
    cdp.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => {
      if (targetInfo.type === 'worker') this.sessions.set(sessionId, targetInfo.url);
    });
    cdp.on('Target.detachedFromTarget', ({ sessionId }) => {
      if (sessionId !== undefined) this.sessions.delete(sessionId);
    });
    cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
      const reply = JSON.parse(message) as { id?: number; result?: unknown; error?: unknown };
      if (reply.id === undefined) return;
      this.waiting.get(reply.id)?.(reply.error === undefined ? reply.result : undefined);
      this.waiting.delete(reply.id);
    });
  }

  static async attach(cdp: CDPSession): Promise<WorkerSessions> {
    const workers = new WorkerSessions(cdp);
    await cdp.send('Target.setAutoAttach', {
      autoAttach: true,
      waitForDebuggerOnStart: false,
      flatten: false,
    });
    return workers;
  }

  /** The session of the (one live) worker whose script URL contains `name`. */
  sessionOf(name: string): string | undefined {
    return [...this.sessions].find(([, url]) => url.includes(name))?.[0];
  }

  send(sessionId: string, method: string): Promise<unknown> {
    const id = this.nextId++;
    const replied = new Promise<unknown>((resolve) => this.waiting.set(id, resolve));
    void this.cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) });
    return replied;
  }
}

/** Used JS heap of one isolate after a forced garbage collection. */
async function workerHeapBytes(workers: WorkerSessions, sessionId: string): Promise<number> {
  await workers.send(sessionId, 'HeapProfiler.enable');
  await workers.send(sessionId, 'HeapProfiler.collectGarbage');
  const usage = (await workers.send(sessionId, 'Runtime.getHeapUsage')) as { usedSize?: unknown } | undefined;
  if (typeof usage?.usedSize !== 'number') throw new Error('the engine worker reported no heap usage');
  return usage.usedSize;
}

/** One sample with where its heap lives, for printing; the bound judges the totals. */
export interface DetailedMemorySample extends MemorySample {
  readonly pageHeapBytes: number;
  readonly engineHeapBytes: number;
  /** The browser's own measurement split by context; undefined where the page is not cross-origin isolated. */
  readonly userAgent: UserAgentMemory | undefined;
}

/**
 * The browser's own measurement, `performance.measureUserAgentSpecificMemory()`, where it is available (a
 * cross-origin-isolated page). Chromium answers at its next garbage collection unless started with
 * --enable-blink-features=ForceEagerMeasureMemory, as the e2e suite and the benchmarks start it.
 */
async function measureUserAgentMemory(page: Page): Promise<UserAgentMemory | undefined> {
  const result = await page.evaluate(async () => {
    const measure = (performance as { measureUserAgentSpecificMemory?: () => Promise<unknown> })
      .measureUserAgentSpecificMemory;
    if (!self.crossOriginIsolated || measure === undefined) return undefined;
    return measure.call(performance);
  });
  if (result === undefined) return undefined;
  const read = readUserAgentMemory(result);
  if ('error' in read) throw new Error(`measureUserAgentSpecificMemory: ${read.error}`);
  return read;
}

/**
 * JS heap after a forced garbage collection — the page's plus the engine worker's, where onnxruntime and
 * the sweep runner live — the browser's own memory measurement where available, and the app's live GPU
 * buffer bytes.
 */
/** Long enough for a readback in flight to finish on SwiftShader, short next to the trials between samples. */
const GPU_REREAD_DELAY_MS = 200;

async function sample(
  page: Page,
  cdp: CDPSession,
  workers: WorkerSessions,
  trials: number,
): Promise<DetailedMemorySample> {
  await cdp.send('HeapProfiler.collectGarbage');
  const pageHeap = await cdp.send('Runtime.getHeapUsage');
  const engine = workers.sessionOf('engine.worker');
  if (engine === undefined) throw new Error('the page has no engine worker');
  const engineHeap = await workerHeapBytes(workers, engine);
  const userAgent = await measureUserAgentMemory(page);
  const readGpuLiveBytes = async () => {
    const live = await page.evaluate(async () => (await window.ttftBenchEngine?.gpuBuffers())?.liveBytes);
    if (live === undefined) throw new Error('the page has no GPU buffer accounting');
    return live;
  };
  // The sweep keeps running while this samples: a trial in flight holds its logits readback's staging buffer
  // for a moment (0.49 MiB for tiny). The smaller of two reads a little apart leaves out what is about to be
  // freed and keeps whatever stays, which is what growth means.
  const firstRead = await readGpuLiveBytes();
  await new Promise((resolve) => setTimeout(resolve, GPU_REREAD_DELAY_MS));
  const gpuLiveBytes = Math.min(firstRead, await readGpuLiveBytes());
  return {
    trials,
    jsHeapBytes: pageHeap.usedSize + engineHeap,
    pageHeapBytes: pageHeap.usedSize,
    engineHeapBytes: engineHeap,
    userAgent,
    userAgentBytes: userAgent?.totalBytes,
    gpuLiveBytes,
  };
}

export interface MemoryRun {
  /** Before the sweep starts (device ready, nothing loaded). */
  readonly before: DetailedMemorySample;
  /** Every `every` trials while the sweep runs. */
  readonly during: DetailedMemorySample[];
  /** After the sweep finished and released its sessions. */
  readonly after: DetailedMemorySample;
  readonly status: string;
}

export async function runMemorySweep(
  page: Page,
  baseUrl: string,
  config: SweepConfig,
  every: number,
  onSample: (sample: DetailedMemorySample) => void = () => undefined,
): Promise<MemoryRun> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  const workers = await WorkerSessions.attach(cdp);
  // Open the page idle first for the baseline, then start the sweep through its autorun hook.
  await page.goto(baseUrl);
  await page.waitForFunction(() => window.ttftBench?.gpu === 'ready', undefined, { timeout: 60_000 });
  const before = await sample(page, cdp, workers, 0);
  await startPageSweep(page, baseUrl, config);
  const during: DetailedMemorySample[] = [];
  let next = every;
  const end = await waitForSweep(page, async ({ trialCount }) => {
    if (trialCount < next) return;
    const taken = await sample(page, cdp, workers, trialCount);
    during.push(taken);
    onSample(taken);
    next = (Math.floor(trialCount / every) + 1) * every;
  });
  const after = await sample(page, cdp, workers, end.trials.length);
  return { before, during, after, status: end.status.kind };
}
