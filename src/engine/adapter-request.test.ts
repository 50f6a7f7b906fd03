import { describe, expect, it } from 'vitest';
import { ADAPTER_RETRY_DELAYS_MS, requestAdapterWithRetry, type AdapterRequester } from './adapter-request';

/** A navigator.gpu stand-in that answers each request from a script: an adapter, null, or a throw. */
function scriptedGpu(answers: readonly ('adapter' | 'null' | 'throw')[]) {
  const requests: GPURequestAdapterOptions[] = [];
  const gpu: AdapterRequester<{ readonly name: string }> = {
    requestAdapter(options) {
      const answer = answers[requests.length] ?? 'null';
      requests.push(options ?? {});
      if (answer === 'throw') return Promise.reject(new Error('Failed to create WebGPU Context Provider'));
      return Promise.resolve(answer === 'adapter' ? { name: `adapter ${requests.length}` } : null);
    },
  };
  return { gpu, requests };
}

function recordingSleep() {
  const waitsMs: number[] = [];
  return { waitsMs, sleep: (ms: number) => (waitsMs.push(ms), Promise.resolve()) };
}

const OPTIONS: GPURequestAdapterOptions = { powerPreference: 'high-performance' };

describe('requestAdapterWithRetry', () => {
  it('takes the first adapter without waiting', async () => {
    const { gpu, requests } = scriptedGpu(['adapter']);
    const { waitsMs, sleep } = recordingSleep();
    const outcome = await requestAdapterWithRetry(gpu, OPTIONS, { delaysMs: [250, 500], sleep });
    expect(outcome).toEqual({ kind: 'adapter', adapter: { name: 'adapter 1' }, attempts: 1 });
    expect(requests).toEqual([OPTIONS]);
    expect(waitsMs).toEqual([]);
  });

  it('gets past a transient failure: a throw, then null, then an adapter', async () => {
    const { gpu, requests } = scriptedGpu(['throw', 'null', 'adapter']);
    const { waitsMs, sleep } = recordingSleep();
    const outcome = await requestAdapterWithRetry(gpu, OPTIONS, { delaysMs: [250, 500, 1000], sleep });
    expect(outcome).toEqual({ kind: 'adapter', adapter: { name: 'adapter 3' }, attempts: 3 });
    expect(requests).toHaveLength(3);
    expect(waitsMs).toEqual([250, 500]);
  });

  it('gives up after the last delay, with what the last attempt threw', async () => {
    const { gpu, requests } = scriptedGpu(['null', 'null', 'null', 'throw', 'adapter']);
    const { waitsMs, sleep } = recordingSleep();
    const outcome = await requestAdapterWithRetry(gpu, OPTIONS, { delaysMs: [250, 500, 1000], sleep });
    expect(outcome).toEqual({
      kind: 'none',
      attempts: 4,
      lastError: 'Error: Failed to create WebGPU Context Provider',
    });
    expect(requests).toHaveLength(4);
    expect(waitsMs).toEqual([250, 500, 1000]);
  });

  it('reports no error when the last attempt returned null', async () => {
    const { gpu } = scriptedGpu(['throw', 'null']);
    const { sleep } = recordingSleep();
    const outcome = await requestAdapterWithRetry(gpu, OPTIONS, { delaysMs: [10], sleep });
    expect(outcome).toEqual({ kind: 'none', attempts: 2, lastError: undefined });
  });

  it('by default tries 4 times within about 2 s', async () => {
    expect(ADAPTER_RETRY_DELAYS_MS).toHaveLength(3);
    const totalMs = ADAPTER_RETRY_DELAYS_MS.reduce((sum, ms) => sum + ms, 0);
    expect(totalMs).toBeGreaterThanOrEqual(1000);
    expect(totalMs).toBeLessThanOrEqual(2000);
    const { gpu, requests } = scriptedGpu([]);
    const started = performance.now();
    const outcome = await requestAdapterWithRetry(gpu, OPTIONS);
    expect(outcome.kind).toBe('none');
    expect(requests).toHaveLength(4);
    expect(performance.now() - started).toBeGreaterThanOrEqual(totalMs - 20);
  });
});
