/**
 * requestAdapter, retried: Chromium sometimes fails to start its WebGPU context right after launch
 * (`ContextResult::kTransientFailure … Failed to create WebGPU Context Provider`), and requestAdapter then
 * returns null or throws although a request a moment later succeeds. Seen in 2 of 3 fresh headless starts on
 * an H200.
 */

/** The part of `navigator.gpu` this needs; tests pass a stub. */
export interface AdapterRequester<Adapter> {
  requestAdapter(options?: GPURequestAdapterOptions): Promise<Adapter | null>;
}

export interface AdapterRetryPolicy {
  /** Waits before the 2nd, 3rd, … attempt: attempts = delays + 1. */
  readonly delaysMs: readonly number[];
  readonly sleep?: (ms: number) => Promise<void>;
}

/** 4 attempts over 1.75 s. */
export const ADAPTER_RETRY_DELAYS_MS: readonly number[] = [250, 500, 1000];

export type AdapterRequestOutcome<Adapter> =
  | { readonly kind: 'adapter'; readonly adapter: Adapter; readonly attempts: number }
  /** `lastError`: what the last attempt threw; undefined when it returned null. */
  | { readonly kind: 'none'; readonly attempts: number; readonly lastError: string | undefined };

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function requestAdapterWithRetry<Adapter>(
  gpu: AdapterRequester<Adapter>,
  options: GPURequestAdapterOptions,
  { delaysMs, sleep = realSleep }: AdapterRetryPolicy = { delaysMs: ADAPTER_RETRY_DELAYS_MS },
): Promise<AdapterRequestOutcome<Adapter>> {
  let lastError: string | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      const adapter = await gpu.requestAdapter(options);
      if (adapter !== null) return { kind: 'adapter', adapter, attempts: attempt };
      lastError = undefined;
    } catch (error) {
      lastError = String(error);
    }
    const delayMs = delaysMs[attempt - 1];
    if (delayMs === undefined) return { kind: 'none', attempts: attempt, lastError };
    await sleep(delayMs);
  }
}
