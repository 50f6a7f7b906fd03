/// <reference lib="webworker" />
/**
 * The engine worker: owns the GPUDevice, onnxruntime-web and the sweep runner, so that onnxruntime's long
 * synchronous steps (session creation blocks its thread for seconds) never block the page, and a cancel can
 * always end the work by terminating this worker. Files come from the page on request.
 */
import { errorMessage } from '../error-message';
import { gpuBufferAccounting } from '../engine/gpu-buffer-accounting';
import { acquireGpuDevice } from '../engine/gpu-device';
import { providerFromSource } from '../engine/model-provider';
import { runSweep } from '../engine/sweep-runner';
import {
  type FetchProgress,
  type ModelSource,
  type ProviderDescription,
  type VariantFiles,
} from '../source/model-source';
import { measurePeaks } from '../roofline/measure-peaks';
import { simulateBufferCeiling } from '../engine/buffer-ceiling';
import type { EngineEvent, EngineRequest } from './engine-protocol';
import { installGpuWorkCounter } from '../engine/gpu-work-counter';

const scope = self as unknown as DedicatedWorkerGlobalScope;

let device: GPUDevice | undefined;
let running: AbortController | undefined;
let nextRequestId = 1;

interface PendingFiles {
  readonly resolve: (files: VariantFiles) => void;
  readonly reject: (error: Error) => void;
  readonly onProgress: (progress: FetchProgress) => void;
}
const pendingFiles = new Map<number, PendingFiles>();

function send(event: EngineEvent, transfer: Transferable[] = []): void {
  scope.postMessage(event, transfer);
}

function buffers() {
  return device === undefined ? undefined : gpuBufferAccounting(device);
}

/** The page's model source seen from here: its description, and its files on request. */
function remoteSource(description: ProviderDescription): ModelSource {
  return {
    description,
    loadVariant(quantization, signal, onProgress) {
      return new Promise((resolve, reject) => {
        const requestId = nextRequestId++;
        const onAbort = () => {
          pendingFiles.delete(requestId);
          send({ kind: 'cancel-load', requestId });
          reject(new DOMException('The sweep was cancelled', 'AbortError'));
        };
        if (signal.aborted) {
          onAbort();
          return;
        }
        signal.addEventListener('abort', onAbort, { once: true });
        const settle = () => {
          pendingFiles.delete(requestId);
          signal.removeEventListener('abort', onAbort);
        };
        pendingFiles.set(requestId, {
          resolve: (files) => {
            settle();
            resolve(files);
          },
          reject: (error) => {
            settle();
            reject(error);
          },
          onProgress,
        });
        send({ kind: 'load-variant', requestId, quantization });
      });
    },
  };
}

/** The loss info if the device is lost (or is lost within a moment: onnxruntime may report it first). */
function lossOf(lostDevice: GPUDevice): Promise<GPUDeviceLostInfo | undefined> {
  return Promise.race([lostDevice.lost, new Promise<undefined>((resolve) => setTimeout(resolve, 200))]);
}

async function start(request: EngineRequest & { kind: 'start' }): Promise<void> {
  const sweepDevice = device;
  if (sweepDevice === undefined || running !== undefined) {
    send({ kind: 'failed', message: 'The GPU device is not ready for a new run.', buffers: buffers() });
    return;
  }
  const abort = new AbortController();
  running = abort;
  try {
    const provider = await providerFromSource(remoteSource(request.provider));
    const outcome = await runSweep({
      config: request.config,
      device: sweepDevice,
      environment: request.environment,
      provider,
      callbacks: {
        onProgress: (progress) => send({ kind: 'progress', progress, buffers: buffers() }),
        onTrial: (trial) => send({ kind: 'trial', trial }),
        onLoad: (load) => send({ kind: 'load', load }),
      },
      signal: abort.signal,
      runId: request.runId,
      resumeFrom: request.resumeFrom,
    });
    send({ kind: 'finished', outcome, buffers: buffers() });
  } catch (error) {
    // A lost device is reported by its own event; the page replaces this worker.
    if ((await lossOf(sweepDevice)) !== undefined) return;
    send({ kind: 'failed', message: errorMessage(error), buffers: buffers() });
  } finally {
    running = undefined;
  }
}

async function acquire(): Promise<void> {
  // Counting dispatches per session.run needs the WebGPU prototypes wrapped before onnxruntime issues any.
  installGpuWorkCounter();
  const acquired = await acquireGpuDevice();
  if (acquired.kind === 'unavailable') {
    send({ kind: 'gpu-unavailable', reason: acquired.reason });
    return;
  }
  device = acquired.device;
  void acquired.device.lost.then((info) => {
    send({ kind: 'device-lost', reason: info.reason, message: info.message });
  });
  send({ kind: 'gpu-ready', adapter: acquired.adapter });
}

async function answerPeaks(requestId: number): Promise<void> {
  try {
    if (device === undefined) throw new Error('the GPU device is not ready');
    send({ kind: 'peaks', requestId, result: { ok: true, peaks: await measurePeaks(device) } });
  } catch (error) {
    send({ kind: 'peaks', requestId, result: { ok: false, message: errorMessage(error) } });
  }
}

scope.onmessage = (event: MessageEvent<EngineRequest>) => {
  const request = event.data;
  switch (request.kind) {
    case 'init':
      if (request.bufferCeilingBytes !== undefined) simulateBufferCeiling(request.bufferCeilingBytes);
      void acquire();
      return;
    case 'start':
      void start(request);
      return;
    case 'cancel':
      running?.abort();
      return;
    case 'variant-files': {
      const pending = pendingFiles.get(request.requestId);
      if (pending === undefined) return;
      if (request.result.ok) pending.resolve(request.result.files);
      else pending.reject(new Error(request.result.message));
      return;
    }
    case 'fetch-progress':
      pendingFiles.get(request.requestId)?.onProgress(request.progress);
      return;
    case 'measure-peaks':
      void answerPeaks(request.requestId);
      return;
    case 'gpu-buffers':
      send({ kind: 'gpu-buffers', requestId: request.requestId, buffers: buffers() });
      return;
    case 'lose-device':
      device?.destroy();
      return;
  }
};
