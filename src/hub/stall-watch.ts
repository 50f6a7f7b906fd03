/**
 * The abort side of one hub request: it follows the caller's signal, and aborts by itself when nothing arrives for
 * `stallTimeoutMs` (re-armed whenever bytes come) or, with `deadlineMs`, when the whole request takes longer.
 * Listings and downloads share it, so a stalled hub ends in a message the same way for both.
 */
export type TimedOut = 'stalled' | 'too-slow';

export interface StallWatch {
  /** Pass to fetch. */
  readonly signal: AbortSignal;
  /** Restarts the stall timer: at the start, and whenever bytes arrive. */
  arm(): void;
  /** Why it aborted by itself; undefined while it has not (or when aborted through `abort` or the caller). */
  timedOut(): TimedOut | undefined;
  /** Aborts the request for a reason of the caller's (e.g. a body too large), not as a time-out. */
  abort(): void;
  /** Stops the timers and lets go of the caller's signal; call once the request is over. */
  dispose(): void;
}

export function watchStalls(
  signal: AbortSignal,
  options: { readonly stallTimeoutMs: number; readonly deadlineMs?: number },
): StallWatch {
  const controller = new AbortController();
  const forwardAbort = () => controller.abort();
  signal.addEventListener('abort', forwardAbort);
  let timedOut: TimedOut | undefined;
  const timeOut = (why: TimedOut) => () => {
    timedOut = why;
    controller.abort();
  };
  let stallTimer: ReturnType<typeof setTimeout> | undefined;
  const deadline =
    options.deadlineMs === undefined ? undefined : setTimeout(timeOut('too-slow'), options.deadlineMs);
  return {
    signal: controller.signal,
    arm() {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(timeOut('stalled'), options.stallTimeoutMs);
    },
    timedOut: () => timedOut,
    abort: () => controller.abort(),
    dispose() {
      clearTimeout(stallTimer);
      clearTimeout(deadline);
      signal.removeEventListener('abort', forwardAbort);
    },
  };
}
