/**
 * One measurement per GPU at a time across this browser's tabs: a run holds the Web Lock `ttft-bench-gpu`
 * from before its model is built until it ends. A second tab waits ("another tab is measuring on this GPU"),
 * or runs anyway when the user insists; then both tabs learn of it (BroadcastChannel, and a lock the
 * insisting run holds, so a closed tab ends its overlap too) and mark every trial measured meanwhile as
 * `overlapped`. Tabs of other browsers or origins cannot be seen from here.
 */
import { OverlapLog } from '../bench/overlap';

export const GPU_LOCK = 'ttft-bench-gpu';
/** Held by a run measuring without the GPU lock (it insisted), for as long as it does. */
const OVERLAP_LOCK_PREFIX = 'ttft-bench-gpu-overlap:';
const CHANNEL = 'ttft-bench-gpu';
/** This run's own overlap with the lock's holder, while it measures without the lock. */
const HOLDER = '(the run holding the GPU)';

type GpuMessage = { readonly kind: 'overlap-start' | 'overlap-end'; readonly runId: string };

function isGpuMessage(data: unknown): data is GpuMessage {
  if (typeof data !== 'object' || data === null) return false;
  const { kind, runId } = data as Record<string, unknown>;
  return (
    (kind === 'overlap-start' || kind === 'overlap-end') && typeof runId === 'string' && runId.length < 100
  );
}

export interface GpuClaim {
  /** Resolves once this run may measure: it holds the GPU lock, or the user insisted. */
  readonly granted: Promise<'locked' | 'insisted'>;
  /** Measure now although another tab is measuring: the trials of both runs are marked overlapped. */
  insist(): void;
  /** Whether a trial measured from `startedAtMs` to `endedAtMs` (Date.now() clock) overlapped another run. */
  overlapped(startedAtMs: number, endedAtMs: number): Promise<boolean>;
  /** The run ended: give the GPU to the next tab. */
  release(): void;
}

/** Claims the GPU for one run; `onWait` is called when another tab holds it. */
export function claimGpu(runId: string, onWait: () => void): GpuClaim {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  const log = new OverlapLog();
  const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(CHANNEL);
  channel?.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (!isGpuMessage(message) || message.runId === runId) return;
    if (message.kind === 'overlap-start') log.begin(message.runId, Date.now());
    else log.end(message.runId, Date.now());
  });

  let resolveGranted: (how: 'locked' | 'insisted') => void = () => undefined;
  const granted = new Promise<'locked' | 'insisted'>((resolve) => {
    resolveGranted = resolve;
  });
  let releaseGpuLock: () => void = () => undefined;
  const gpuLockHeld = new Promise<void>((resolve) => {
    releaseGpuLock = resolve;
  });
  let releaseOverlapLock: (() => void) | undefined;
  const stopWaiting = new AbortController();
  let locked = false;
  let insisted = false;
  let released = false;

  const endOwnOverlap = () => {
    if (releaseOverlapLock === undefined) return;
    log.end(HOLDER, Date.now());
    releaseOverlapLock();
    releaseOverlapLock = undefined;
    channel?.postMessage({ kind: 'overlap-end', runId } satisfies GpuMessage);
  };

  const holdGpu = async () => {
    locked = true;
    endOwnOverlap();
    resolveGranted('locked');
    await gpuLockHeld;
  };

  if (locks === undefined) {
    // No Locks API (very old browsers): nothing to coordinate with.
    resolveGranted('locked');
  } else {
    void locks
      .request(GPU_LOCK, { ifAvailable: true }, async (lock) => {
        if (lock === null) return false;
        await holdGpu();
        return true;
      })
      .then(async (held) => {
        // The callback's promise, as the Locks API's types see it; its value at run time.
        if ((await held) || released) return;
        onWait();
        await locks.request(GPU_LOCK, { signal: stopWaiting.signal }, holdGpu);
      })
      .catch(() => undefined);
  }

  return {
    granted,
    insist() {
      if (locked || insisted || released) return;
      insisted = true;
      log.begin(HOLDER, Date.now());
      const overlapHeld = new Promise<void>((resolve) => {
        releaseOverlapLock = resolve;
      });
      // Announced once the lock that says so is held, so no tab sees the message without the lock.
      void locks
        ?.request(`${OVERLAP_LOCK_PREFIX}${runId}`, async () => {
          channel?.postMessage({ kind: 'overlap-start', runId } satisfies GpuMessage);
          await overlapHeld;
        })
        .catch(() => undefined);
      resolveGranted('insisted');
    },
    async overlapped(startedAtMs, endedAtMs) {
      // A run whose tab closed without a word no longer holds its overlap lock: its overlap ended.
      const held = new Set(((await locks?.query())?.held ?? []).map((lock) => lock.name));
      const now = Date.now();
      for (const key of log.active()) {
        if (key !== HOLDER && !held.has(`${OVERLAP_LOCK_PREFIX}${key}`)) log.end(key, now);
      }
      return log.overlaps(startedAtMs, Math.min(endedAtMs, now));
    },
    release() {
      if (released) return;
      released = true;
      endOwnOverlap();
      releaseGpuLock();
      stopWaiting.abort();
      channel?.close();
    },
  };
}
