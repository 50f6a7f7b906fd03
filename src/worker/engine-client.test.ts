import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SWIFTSHADER_ADAPTER } from '../bench/adapter-fixture';
import { DEFAULT_SWEEP_CONFIG } from '../config/sweep-config';
import type { ModelSource, VariantFiles } from '../source/model-source';
import type { SweepCallbacks } from '../engine/types';
import type { RunEnvironment } from '../results/trial';
import type { EngineEvent, EngineRequest } from './engine-protocol';
import {
  CANCEL_GRACE_MS,
  DeviceLostError,
  EngineClient,
  type EngineState,
  type EngineWorker,
} from './engine-client';

class FakeWorker implements EngineWorker {
  readonly posted: { message: EngineRequest; transfer: Transferable[] }[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<EngineEvent>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;

  postMessage(message: EngineRequest, transfer: Transferable[] = []): void {
    this.posted.push({ message, transfer });
  }

  terminate(): void {
    this.terminated = true;
  }

  emit(event: EngineEvent): void {
    this.onmessage?.(new MessageEvent('message', { data: event }));
  }

  kinds(): string[] {
    return this.posted.map((post) => post.message.kind);
  }
}

const ADAPTER = SWIFTSHADER_ADAPTER;

const ENVIRONMENT: RunEnvironment = {
  adapter: 'google / swiftshader',
  adapterVendor: 'google',
  adapterArchitecture: 'swiftshader',
  adapterDevice: '',
  adapterDescription: '',
  adapterIsFallback: true,
  subgroupMinSize: undefined,
  subgroupMaxSize: undefined,
  webglRenderer: undefined,
  crossOriginIsolated: true,
  adapterFeatures: '',
  maxBufferSizeBytes: 1 << 30,
  maxStorageBufferBindingSizeBytes: 1 << 27,
  browser: 'test',
  os: 'test',
  onnxruntimeWebVersion: 'test',
  appVersion: 'test',
};

const MODEL_BYTES = new Uint8Array([8, 1, 2, 3]);

function source(loadVariant: ModelSource['loadVariant'] = () => new Promise(() => undefined)): ModelSource {
  return {
    loadVariant,
    description: {
      model: { kind: 'builtin', preset: 'tiny' },
      revision: '',
      tokenizer: { kind: 'served', id: 'llama3', baseUrl: 'http://localhost/tokenizers/' },
      decoder: undefined,
    },
  };
}

function callbacks(): SweepCallbacks & { progress: number; trials: number } {
  const seen = {
    progress: 0,
    trials: 0,
    onProgress: () => void seen.progress++,
    onTrial: () => void seen.trials++,
    onLoad: () => undefined,
  };
  return seen;
}

function setUp() {
  const workers: FakeWorker[] = [];
  const states: EngineState[] = [];
  const client = new EngineClient((state) => states.push(state), {
    createWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
  });
  const latest = () => workers.at(-1)!;
  return { client, workers, states, latest };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

function startRun(
  client: EngineClient,
  signal: AbortSignal,
  seen = callbacks(),
  from = source(),
  config = DEFAULT_SWEEP_CONFIG,
) {
  return client.run({
    config,
    environment: ENVIRONMENT,
    source: from,
    callbacks: seen,
    signal,
    runId: 'run-1',
    resumeFrom: [],
  });
}

describe('EngineClient', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is probing until the worker reports its device, then ready with one device', () => {
    const { client, latest } = setUp();
    expect(latest().posted.map((post) => post.message)).toEqual([
      { kind: 'init', bufferCeilingBytes: undefined },
    ]);
    expect(client.state.gpu.kind).toBe('probing');
    expect(client.idle).toBe(false);
    latest().emit({ kind: 'gpu-ready', adapter: ADAPTER });
    expect(client.state.gpu).toEqual({ kind: 'ready', adapter: ADAPTER });
    expect(client.state.devicesAcquired).toBe(1);
    expect(client.idle).toBe(true);
  });

  it('starts the sweep in the worker with the provider as data, forwards its events, resolves on finish', async () => {
    const { client, latest } = setUp();
    latest().emit({ kind: 'gpu-ready', adapter: ADAPTER });
    const seen = callbacks();
    const run = startRun(client, new AbortController().signal, seen);
    await flush();
    const start = latest().posted[1]!.message;
    expect(start.kind).toBe('start');
    if (start.kind !== 'start') return;
    expect(start.provider.tokenizer).toEqual({
      kind: 'served',
      id: 'llama3',
      baseUrl: 'http://localhost/tokenizers/',
    });
    expect(start.runId).toBe('run-1');
    latest().emit({
      kind: 'progress',
      progress: { step: { kind: 'preparing', detail: 'x' }, completedTrials: 0, totalTrials: 2 },
      buffers: undefined,
    });
    expect(seen.progress).toBe(1);
    expect(client.idle).toBe(false);
    latest().emit({ kind: 'finished', outcome: 'done', buffers: undefined });
    await expect(run).resolves.toBe('done');
    expect(client.idle).toBe(true);
  });

  it('keeps its worker for runs on the same onnxruntime build and starts a fresh one for another build', async () => {
    const { client, workers, latest } = setUp();
    latest().emit({ kind: 'gpu-ready', adapter: ADAPTER });
    const asyncify = {
      ...DEFAULT_SWEEP_CONFIG,
      runtime: { ...DEFAULT_SWEEP_CONFIG.runtime, ortBuild: 'asyncify' as const },
    };
    const jspi = { ...asyncify, runtime: { ...asyncify.runtime, ortBuild: 'jspi' as const } };
    for (const config of [asyncify, asyncify]) {
      const run = startRun(client, new AbortController().signal, callbacks(), source(), config);
      await flush();
      latest().emit({ kind: 'finished', outcome: 'done', buffers: undefined });
      await expect(run).resolves.toBe('done');
    }
    expect(workers).toHaveLength(1);
    const run = startRun(client, new AbortController().signal, callbacks(), source(), jspi);
    await flush();
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    // The new worker gets the run only once its device is ready.
    expect(workers[1]!.posted.map((post) => post.message.kind)).toEqual(['init']);
    workers[1]!.emit({ kind: 'gpu-ready', adapter: ADAPTER });
    await flush();
    expect(workers[1]!.posted.map((post) => post.message.kind)).toEqual(['init', 'start']);
    workers[1]!.emit({ kind: 'finished', outcome: 'done', buffers: undefined });
    await expect(run).resolves.toBe('done');
  });

  it('serves a variant from the page provider, transferring its bytes, with download progress', async () => {
    const { client, latest } = setUp();
    latest().emit({ kind: 'gpu-ready', adapter: ADAPTER });
    const files: VariantFiles = {
      files: { modelBytes: MODEL_BYTES, externalData: [] },
      filesFrom: 'network',
    };
    const from = source((quantization, _signal, onProgress) => {
      expect(quantization).toBe('q4');
      onProgress({ loadedBytes: 2, totalBytes: 4, bytesPerSecond: 1 });
      return Promise.resolve(files);
    });
    void startRun(client, new AbortController().signal, callbacks(), from);
    await flush();
    latest().emit({ kind: 'load-variant', requestId: 7, quantization: 'q4' });
    await flush();
    expect(latest().kinds()).toEqual(['init', 'start', 'fetch-progress', 'variant-files']);
    const reply = latest().posted[3]!;
    expect(reply.message).toMatchObject({ kind: 'variant-files', requestId: 7, result: { ok: true } });
    expect(reply.transfer).toEqual([MODEL_BYTES.buffer]);
  });

  it('a cancelled run that stops within the grace keeps its worker', async () => {
    const { client, workers, latest } = setUp();
    latest().emit({ kind: 'gpu-ready', adapter: ADAPTER });
    const abort = new AbortController();
    const run = startRun(client, abort.signal);
    await flush();
    abort.abort();
    expect(latest().kinds()).toEqual(['init', 'start', 'cancel']);
    latest().emit({ kind: 'finished', outcome: 'cancelled', buffers: undefined });
    await expect(run).resolves.toBe('cancelled');
    vi.advanceTimersByTime(CANCEL_GRACE_MS * 2);
    expect(workers).toHaveLength(1);
    expect(workers[0]!.terminated).toBe(false);
  });

  it('a cancelled run that cannot stop is terminated after the grace; the next run waits for the new device', async () => {
    const { client, workers, latest } = setUp();
    latest().emit({ kind: 'gpu-ready', adapter: ADAPTER });
    const abort = new AbortController();
    const first = startRun(client, abort.signal);
    await flush();
    abort.abort();
    // The next run is asked for while the first is still inside session creation.
    const seen = callbacks();
    const second = startRun(client, new AbortController().signal, seen);
    vi.advanceTimersByTime(CANCEL_GRACE_MS - 1);
    expect(workers[0]!.terminated).toBe(false);
    vi.advanceTimersByTime(1);
    await expect(first).resolves.toBe('cancelled');
    expect(workers[0]!.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(client.state.gpu.kind).toBe('probing');
    await flush();
    expect(workers[1]!.kinds()).toEqual(['init']);
    // Events from the terminated worker are ignored.
    workers[0]!.emit({ kind: 'trial', trial: {} as never });
    expect(seen.trials).toBe(0);
    workers[1]!.emit({ kind: 'gpu-ready', adapter: ADAPTER });
    await flush();
    expect(workers[1]!.kinds()).toEqual(['init', 'start']);
    expect(client.state.devicesAcquired).toBe(2);
    workers[1]!.emit({ kind: 'finished', outcome: 'done', buffers: undefined });
    await expect(second).resolves.toBe('done');
  });

  it('a lost device fails the run with DeviceLostError and brings a new worker; the third loss gives up', async () => {
    const { client, workers, latest } = setUp();
    latest().emit({ kind: 'gpu-ready', adapter: ADAPTER });
    const run = startRun(client, new AbortController().signal);
    await flush();
    latest().emit({ kind: 'device-lost', reason: 'destroyed', message: 'test' });
    await expect(run).rejects.toBeInstanceOf(DeviceLostError);
    await expect(run).rejects.toThrow('The GPU device was lost during the run (destroyed: test)');
    expect(client.state.deviceLoss).toBe('The GPU device was lost (destroyed: test).');
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);

    for (let loss = 2; loss <= 3; loss++) {
      latest().emit({ kind: 'gpu-ready', adapter: ADAPTER });
      latest().emit({ kind: 'device-lost', reason: 'unknown', message: '' });
    }
    expect(workers).toHaveLength(3);
    expect(workers[2]!.terminated).toBe(true);
    expect(client.state.gpu.kind).toBe('unavailable');
    await expect(startRun(client, new AbortController().signal)).rejects.toThrow('lost 3 times');
  });

  it('a crashed worker fails the run with its message and is replaced', async () => {
    const { client, workers, latest } = setUp();
    latest().emit({ kind: 'gpu-ready', adapter: ADAPTER });
    const run = startRun(client, new AbortController().signal);
    await flush();
    // Node has no ErrorEvent: the two members the client reads.
    const crash = { message: 'RuntimeError: memory access out of bounds', preventDefault: () => undefined };
    workers[0]!.onerror?.(crash as unknown as ErrorEvent);
    await expect(run).rejects.toThrow('The engine worker stopped: RuntimeError: memory access out of bounds');
    expect(workers[0]!.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(client.state.gpu.kind).toBe('probing');
  });

  it('a failed sweep rejects with the worker message and leaves the engine ready', async () => {
    const { client, latest } = setUp();
    latest().emit({ kind: 'gpu-ready', adapter: ADAPTER });
    const run = startRun(client, new AbortController().signal);
    await flush();
    latest().emit({
      kind: 'failed',
      message: 'Out of GPU memory creating the fp32 session',
      buffers: undefined,
    });
    await expect(run).rejects.toThrow('Out of GPU memory creating the fp32 session');
    expect(client.idle).toBe(true);
    expect(client.state.gpu.kind).toBe('ready');
  });
});
