/**
 * The page's side of the engine worker. It keeps one worker (and so one GPUDevice) alive between runs, serves
 * its requests for model files from the page's model source, and replaces it when the device is lost or when a
 * cancelled run does not stop within a moment (onnxruntime may be inside a multi-second synchronous step):
 * terminating the worker ends that work at once and frees its GPU memory with the device.
 */
import type { OrtBuild, SweepConfig } from '../config/sweep-config';
import type { GpuBufferAccounting } from '../engine/gpu-buffer-accounting';
import type { AdapterSummary } from '../engine/gpu-device';
import type { ModelSource } from '../source/model-source';
import type { SweepCallbacks, SweepOutcome } from '../engine/types';
import { errorMessage } from '../error-message';
import { explainKnownFailure } from '../engine/session-errors';
import type { Quantization } from '../model/config';
import type { RunEnvironment, TrialRecord } from '../results/trial';
import type { DevicePeaks } from '../roofline/prefill-flops';
import { transferablesOf, type EngineEvent, type EngineRequest } from './engine-protocol';

export type GpuState =
  | { readonly kind: 'probing' }
  | { readonly kind: 'ready'; readonly adapter: AdapterSummary }
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface EngineState {
  readonly gpu: GpuState;
  /** What happened to the previous device, when one was lost. */
  readonly deviceLoss: string | undefined;
  /** GPU buffers the engine's device holds, as of its last report. */
  readonly buffers: GpuBufferAccounting | undefined;
  /** Devices created so far in this page (a new one after each loss or forced stop). */
  readonly devicesAcquired: number;
}

/** The run ended because the GPU device was lost; its message says so and how to continue. */
export class DeviceLostError extends Error {}

/** After this many losses in one page the GPU is not trusted any more: the user should reload or check it. */
const MAX_DEVICE_LOSSES = 3;

/** How long a cancelled run may take to stop by itself before its worker is terminated. */
export const CANCEL_GRACE_MS = 300;

type Settlement =
  { readonly ok: true; readonly outcome: SweepOutcome } | { readonly ok: false; readonly error: Error };

interface ActiveRun {
  readonly source: ModelSource;
  readonly callbacks: SweepCallbacks;
  readonly settle: (settlement: Settlement) => void;
  /** Page-side file loads the worker asked for, by request id. */
  readonly loads: Map<number, AbortController>;
}

function lossDetail(reason: string, message: string): string {
  return `${reason}${message === '' ? '' : `: ${message}`}`;
}

/** The part of a Worker the client uses (a fake one in unit tests). */
export interface EngineWorker {
  postMessage(message: EngineRequest, transfer: Transferable[]): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<EngineEvent>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

function createEngineWorker(): EngineWorker {
  return new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
}

/** A run for the engine worker; the page serves its model files from `source`. */
export interface EngineRunRequest {
  readonly config: SweepConfig;
  readonly environment: RunEnvironment;
  readonly source: ModelSource;
  readonly callbacks: SweepCallbacks;
  readonly signal: AbortSignal;
  readonly runId: string;
  /** Trials the run already has (Resume): the worker measures only what is missing. */
  readonly resumeFrom: readonly TrialRecord[];
}

export interface EngineClientOptions {
  /** A fake worker in unit tests. */
  readonly createWorker?: () => EngineWorker;
  /** Tests of out-of-memory handling: buffers above this fail as on a GPU without the memory. */
  readonly bufferCeilingBytes?: number | undefined;
}

export class EngineClient {
  private worker: EngineWorker | undefined;
  private active: ActiveRun | undefined;
  private losses = 0;
  private disposed = false;
  private nextRequestId = 1;
  /** Answers to measure-peaks and gpu-buffers requests; undefined when the worker was stopped first. */
  private readonly replies = new Map<number, (event: EngineEvent | undefined) => void>();
  private idleWaiters: (() => void)[] = [];
  /** The onnxruntime-web build the current worker has loaded (by its first run), if any. */
  private workerOrtBuild: OrtBuild | undefined;
  private current: EngineState = {
    gpu: { kind: 'probing' },
    deviceLoss: undefined,
    buffers: undefined,
    devicesAcquired: 0,
  };

  private readonly createWorker: () => EngineWorker;
  private readonly bufferCeilingBytes: number | undefined;

  constructor(
    private readonly onState: (state: EngineState) => void,
    options: EngineClientOptions = {},
  ) {
    this.createWorker = options.createWorker ?? createEngineWorker;
    this.bufferCeilingBytes = options.bufferCeilingBytes;
    this.spawn();
  }

  get state(): EngineState {
    return this.current;
  }

  /** No run is winding down and the device is settled (ready or unavailable). */
  get idle(): boolean {
    return this.active === undefined && this.current.gpu.kind !== 'probing';
  }

  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Runs a sweep in the worker. Resolves 'cancelled' once the worker has stopped (by itself within
   * CANCEL_GRACE_MS of the abort, or terminated); rejects with DeviceLostError on a lost device.
   */
  async run(request: EngineRunRequest): Promise<SweepOutcome> {
    const { config, environment, source, callbacks, signal } = request;
    while (!this.idle) await this.whenIdle();
    if (signal.aborted) return 'cancelled';
    // One onnxruntime build per worker: another build needs a fresh worker (and device).
    const build = config.runtime.ortBuild;
    if (this.workerOrtBuild !== undefined && this.workerOrtBuild !== build) {
      this.replaceWorker();
      while (!this.idle) await this.whenIdle();
      if (signal.aborted) return 'cancelled';
    }
    this.workerOrtBuild = build;
    if (this.worker === undefined || this.current.gpu.kind !== 'ready') {
      throw new Error(
        this.current.gpu.kind === 'unavailable' ? this.current.gpu.reason : 'The GPU device is not ready.',
      );
    }
    return new Promise<SweepOutcome>((resolve, reject) => {
      const run: ActiveRun = {
        source,
        callbacks,
        loads: new Map(),
        settle: (settlement) => {
          if (this.active !== run) return;
          this.active = undefined;
          signal.removeEventListener('abort', onAbort);
          for (const load of run.loads.values()) load.abort();
          if (settlement.ok) resolve(settlement.outcome);
          else reject(settlement.error);
          this.wakeIdleWaiters();
        },
      };
      const onAbort = () => {
        for (const load of run.loads.values()) load.abort();
        this.post({ kind: 'cancel' });
        setTimeout(() => {
          if (this.active !== run) return;
          // Still busy (onnxruntime is creating a session, or a GPU submission hangs): stop it by force.
          // The new worker first, so that a run waiting for this one finds the engine probing, not idle.
          this.replaceWorker();
          run.settle({ ok: true, outcome: 'cancelled' });
        }, CANCEL_GRACE_MS);
      };
      this.active = run;
      signal.addEventListener('abort', onAbort, { once: true });
      this.post({
        kind: 'start',
        config,
        environment,
        provider: source.description,
        runId: request.runId,
        resumeFrom: request.resumeFrom,
      });
    });
  }

  /** This GPU's peaks, measured in the worker on the engine's device. */
  async measurePeaks(): Promise<DevicePeaks> {
    const reply = await this.request({ kind: 'measure-peaks', requestId: this.nextRequestId++ });
    if (reply === undefined) throw new Error('the engine was restarted');
    if (reply.kind !== 'peaks') throw new Error('the engine answered with the wrong message');
    if (!reply.result.ok) throw new Error(reply.result.message);
    return reply.result.peaks;
  }

  /** The engine device's GPU buffer accounting now. */
  async gpuBuffers(): Promise<GpuBufferAccounting | undefined> {
    const reply = await this.request({ kind: 'gpu-buffers', requestId: this.nextRequestId++ });
    return reply?.kind === 'gpu-buffers' ? reply.buffers : undefined;
  }

  /** Destroys the engine's device, as a driver reset would. */
  loseDevice(): void {
    this.post({ kind: 'lose-device' });
  }

  dispose(): void {
    this.disposed = true;
    this.active?.settle({ ok: true, outcome: 'cancelled' });
    this.stopWorker();
  }

  private spawn(): void {
    const worker = this.createWorker();
    this.worker = worker;
    this.workerOrtBuild = undefined;
    worker.onmessage = (event: MessageEvent<EngineEvent>) => {
      if (this.worker === worker) this.handle(event.data);
    };
    worker.onerror = (event) => {
      if (this.worker !== worker) return;
      event.preventDefault();
      const run = this.active;
      this.replaceWorker();
      run?.settle({ ok: false, error: new Error(`The engine worker stopped: ${event.message}`) });
    };
    this.post({ kind: 'init', bufferCeilingBytes: this.bufferCeilingBytes });
    this.update({ gpu: { kind: 'probing' } });
  }

  /** Terminates the worker, and with it the device and everything on it; pending requests fail. */
  private stopWorker(): void {
    this.worker?.terminate();
    this.worker = undefined;
    for (const reply of this.replies.values()) reply(undefined);
    this.replies.clear();
  }

  /** A fresh worker (and device) in place of the current one. */
  private replaceWorker(): void {
    this.stopWorker();
    if (!this.disposed) this.spawn();
  }

  private request(message: EngineRequest & { requestId: number }): Promise<EngineEvent | undefined> {
    if (this.worker === undefined) return Promise.reject(new Error('the engine is not running'));
    return new Promise((resolve) => {
      this.replies.set(message.requestId, resolve);
      this.post(message);
    });
  }

  private post(message: EngineRequest, transfer: Transferable[] = []): void {
    this.worker?.postMessage(message, transfer);
  }

  private update(change: Partial<EngineState>): void {
    this.current = { ...this.current, ...change };
    this.onState(this.current);
    this.wakeIdleWaiters();
  }

  private wakeIdleWaiters(): void {
    if (!this.idle) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  private handle(event: EngineEvent): void {
    const run = this.active;
    switch (event.kind) {
      case 'gpu-ready':
        this.update({
          gpu: { kind: 'ready', adapter: event.adapter },
          devicesAcquired: this.current.devicesAcquired + 1,
        });
        return;
      case 'gpu-unavailable':
        this.update({ gpu: { kind: 'unavailable', reason: event.reason } });
        return;
      case 'device-lost': {
        this.losses++;
        const detail = lossDetail(event.reason, event.message);
        const what = `The GPU device was lost (${detail}).`;
        if (this.losses >= MAX_DEVICE_LOSSES) {
          this.stopWorker();
          this.update({
            deviceLoss: what,
            gpu: {
              kind: 'unavailable',
              reason: `${what} It was lost ${this.losses} times; reload the page, and check the GPU driver (chrome://gpu).`,
            },
          });
        } else {
          this.update({ deviceLoss: what });
          this.replaceWorker();
        }
        run?.settle({
          ok: false,
          error: new DeviceLostError(
            `The GPU device was lost during the run (${detail}). ` +
              (this.current.gpu.kind === 'unavailable'
                ? 'It was lost too often to try again: reload the page, then press Resume.'
                : 'A new device is being created; press Resume to measure only what is missing.'),
          ),
        });
        return;
      }
      case 'progress':
        this.update({ buffers: event.buffers });
        run?.callbacks.onProgress(event.progress);
        return;
      case 'trial':
        run?.callbacks.onTrial(event.trial);
        return;
      case 'load':
        run?.callbacks.onLoad(event.load);
        return;
      case 'finished':
        this.update({ buffers: event.buffers });
        run?.settle({ ok: true, outcome: event.outcome });
        return;
      case 'failed':
        this.update({ buffers: event.buffers });
        run?.settle({ ok: false, error: new Error(event.message) });
        return;
      case 'load-variant':
        if (run !== undefined) void this.serveFiles(run, event.requestId, event.quantization);
        return;
      case 'cancel-load':
        run?.loads.get(event.requestId)?.abort();
        return;
      case 'peaks':
      case 'gpu-buffers': {
        const reply = this.replies.get(event.requestId);
        this.replies.delete(event.requestId);
        reply?.(event);
        return;
      }
    }
  }

  private async serveFiles(run: ActiveRun, requestId: number, quantization: Quantization): Promise<void> {
    const load = new AbortController();
    run.loads.set(requestId, load);
    try {
      const files = await run.source.loadVariant(quantization, load.signal, (progress) =>
        this.post({ kind: 'fetch-progress', requestId, progress }),
      );
      if (this.active === run) {
        this.post({ kind: 'variant-files', requestId, result: { ok: true, files } }, transferablesOf(files));
      }
    } catch (error) {
      if (this.active === run) {
        const raw = errorMessage(error);
        const message = explainKnownFailure(`the ${quantization} model`, raw) ?? raw;
        this.post({ kind: 'variant-files', requestId, result: { ok: false, message } });
      }
    } finally {
      run.loads.delete(requestId);
    }
  }
}
