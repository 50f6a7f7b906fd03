import { useCallback, useRef, useState } from 'react';
import { modelLabel } from '../config/model-ref';
import type { SweepStatus } from '../bench/progress';
import type { SweepConfig } from '../config/sweep-config';
import type { AdapterSummary } from '../engine/gpu-device';
import type { ModelSource } from '../source/model-source';
import { DeviceLostError, type EngineClient } from '../worker/engine-client';
import type { RunState, RunStore } from '../results/run-store';
import type { TrialRecord, VariantLoadRecord } from '../results/trial';
import { captureEnvironment } from '../engine/environment';
import { errorMessage } from '../error-message';
import { claimGpu, type GpuClaim } from './gpu-claim';

export interface SweepResults {
  /** The stored run these results belong to (undefined before the first trial of a new run). */
  readonly runId: string | undefined;
  readonly config: SweepConfig | undefined;
  readonly trials: readonly TrialRecord[];
  readonly loads: readonly VariantLoadRecord[];
}

/** An interrupted run to continue: its id and what it already measured. */
export interface ResumeFrom {
  readonly runId: string;
  readonly trials: readonly TrialRecord[];
  readonly loads: readonly VariantLoadRecord[];
}

/** A run to start: what to measure, on which engine and adapter, and where its model's files come from. */
export interface StartRequest {
  readonly config: SweepConfig;
  readonly engine: EngineClient;
  readonly adapter: AdapterSummary;
  /** Made when the run starts (a built-in model's source builds nothing until the engine asks for files). */
  readonly makeSource: () => Promise<ModelSource>;
  /** An interrupted run to continue instead of a new one. */
  readonly resume?: ResumeFrom;
}

const EMPTY_RESULTS: SweepResults = { runId: undefined, config: undefined, trials: [], loads: [] };

/** When the latest run started (and ended), and what it resumed from: for its clock and time-left estimate. */
export interface RunTiming {
  readonly runId: string;
  readonly config: SweepConfig;
  /** Date.now() at the click, and when it ended (undefined while it runs). */
  readonly startedAtMs: number;
  readonly endedAtMs: number | undefined;
  readonly resumedTrials: readonly TrialRecord[];
  readonly resumedLoads: readonly VariantLoadRecord[];
}

/** Held while a run is live, so another tab (or this one after a reload) can tell live runs from interrupted. */
export const RUN_LOCK_PREFIX = 'ttft-bench-run:';

/** Resolves when the signal aborts: a cancel ends the run for the user at once, whatever step it is in. */
function whenAborted(signal: AbortSignal): Promise<'cancelled'> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve('cancelled');
    signal.addEventListener('abort', () => resolve('cancelled'), { once: true });
  });
}

/**
 * Runs sweeps and keeps their state; finished trials survive failures, cancellation, device loss and reloads
 * (each one is written to the run store the moment it finishes).
 */
export function useSweep(store: RunStore | undefined, onStored: () => void) {
  const [status, setStatus] = useState<SweepStatus>({ kind: 'idle' });
  const [results, setResults] = useState<SweepResults>(EMPTY_RESULTS);
  // The run started last: Resume is offered for it, not for older results still on screen.
  const [latestRunId, setLatestRunId] = useState<string | undefined>(undefined);
  const [timing, setTiming] = useState<RunTiming | undefined>(undefined);
  const abortRef = useRef<AbortController | null>(null);
  // Another tab holds the GPU: this run waits, unless the user insists (then both runs are marked overlapped).
  const [waitingForGpu, setWaitingForGpu] = useState(false);
  const claimRef = useRef<GpuClaim | null>(null);
  // Every trial of the latest run, including one that lands after a cancel, for an exact Resume.
  const lastRun = useRef<{ readonly runId: string; readonly trials: TrialRecord[] } | null>(null);

  const start = useCallback(
    async ({ config, engine, adapter, makeSource, resume }: StartRequest) => {
      if (abortRef.current !== null) return;
      const abort = new AbortController();
      abortRef.current = abort;
      const startedAtMs = Date.now();
      // A cancelled run may still be stopping (its worker is given a moment, then replaced): two runs never
      // share the device.
      if (!engine.idle) {
        setStatus({
          kind: 'running',
          progress: {
            step: { kind: 'preparing', detail: 'Waiting for the cancelled run to release the GPU' },
            completedTrials: 0,
            totalTrials: 0,
          },
        });
        await engine.whenIdle();
      }
      const runId = resume?.runId ?? crypto.randomUUID();
      // A trial that was in flight when its run was cancelled finished after the Resume click: include it.
      const late = lastRun.current?.runId === runId ? lastRun.current.trials : [];
      const resumeTrials =
        resume === undefined
          ? []
          : [
              ...resume.trials,
              ...late.filter((t) => !resume.trials.some((r) => r.trialIndex === t.trialIndex)),
            ];
      lastRun.current = { runId, trials: [...resumeTrials] };
      setLatestRunId(runId);
      setTiming({
        runId,
        config,
        startedAtMs,
        endedAtMs: undefined,
        resumedTrials: resumeTrials,
        resumedLoads: resume?.loads ?? [],
      });
      // Writes go through one queue so they land in order; a failing database never stops the measuring.
      let writes = Promise.resolve();
      // `listed`: History shows the change once it is written (the live run as "running", its trial count).
      // Resolves once the write has landed or failed.
      const persist = (write: (s: RunStore) => Promise<unknown>, listed = false): Promise<void> => {
        if (store === undefined) return Promise.resolve();
        writes = writes
          .then(async () => {
            await write(store);
          })
          .then(() => {
            if (listed) onStored();
          })
          .catch((error: unknown) => {
            console.warn('ttft-bench: could not save to IndexedDB', error);
          });
        return writes;
      };
      // A new run's results replace the previous ones only once it records something: a run that fails while
      // loading (bad file, missing kernel) must not wipe results that were already measured.
      let recordedAny = resume !== undefined;
      if (resume !== undefined) {
        setResults({ runId, config, trials: resumeTrials, loads: resume.loads });
      }
      const record = (update: (current: SweepResults) => SweepResults) => {
        const fresh = !recordedAny;
        recordedAny = true;
        setResults((previous) => update(fresh ? { runId, config, trials: [], loads: [] } : previous));
      };
      let releaseLock = () => {};
      const lockHeld = new Promise<void>((resolve) => {
        releaseLock = resolve;
      });
      void navigator.locks?.request(`${RUN_LOCK_PREFIX}${runId}`, () => lockHeld).catch(() => undefined);
      const claim = claimGpu(runId, () => {
        setWaitingForGpu(true);
        setStatus({
          kind: 'running',
          progress: {
            step: { kind: 'preparing', detail: 'Waiting: another tab is measuring on this GPU' },
            completedTrials: 0,
            totalTrials: 0,
          },
        });
      });
      claimRef.current = claim;
      // Trials are marked (overlapped or not) in arrival order, then saved and shown.
      let marking = Promise.resolve();
      let recordedTrials = resumeTrials.length;
      let finalState: RunState = 'failed';
      let finalMessage = '';
      try {
        const aborted = whenAborted(abort.signal);
        // Before anything is built: building is heavy work on the machine another tab is measuring on.
        const gpu = await Promise.race([claim.granted, aborted]);
        setWaitingForGpu(false);
        if (gpu === 'cancelled') {
          finalState = 'cancelled';
          setStatus({ kind: 'cancelled' });
          return;
        }
        setStatus({
          kind: 'running',
          progress: {
            step: { kind: 'preparing', detail: 'Loading tokenizer' },
            completedTrials: 0,
            totalTrials: 0,
          },
        });
        const environment = await captureEnvironment(adapter);
        if (resume === undefined) {
          persist(
            (s) =>
              s.beginRun({
                runId,
                config,
                model: modelLabel(config.model),
                adapter: environment.adapter,
                browser: environment.browser,
              }),
            true,
          );
        } else {
          persist((s) => s.setState(runId, 'running'), true);
        }
        // History lists the run (as being measured) from its start, not only once it ends.
        void writes.then(onStored);
        const source = await Promise.race([makeSource(), aborted]);
        if (source === 'cancelled') {
          finalState = 'cancelled';
          setStatus({ kind: 'cancelled' });
          return;
        }
        const sweep = engine.run({
          config,
          environment,
          source,
          callbacks: {
            onProgress: (progress) => {
              if (!abort.signal.aborted) setStatus({ kind: 'running', progress });
            },
            onTrial: (measured) => {
              marking = marking.then(async () => {
                // The trial's own span: its TTFT, then its decode steps (GPU work either way).
                const startMs = Date.parse(measured.startedAt);
                const endMs =
                  startMs + measured.ttftMs + measured.decodeTokens * measured.decodeMsPerTokenMedian;
                const overlapped = await claim.overlapped(startMs, endMs).catch(() => false);
                const trial = overlapped ? { ...measured, overlapped } : measured;
                recordedTrials++;
                if (lastRun.current?.runId === runId) lastRun.current.trials.push(trial);
                // Shown once saved: a trial on screen survives a reload (a failed write is shown anyway).
                await persist((s) => s.addTrial(trial), true);
                record((current) => ({ ...current, trials: [...current.trials, trial] }));
              });
            },
            onLoad: (load) => {
              persist((s) => s.addLoad(load));
              record((current) => ({ ...current, loads: [...current.loads, load] }));
            },
          },
          signal: abort.signal,
          runId,
          resumeFrom: resumeTrials,
        });
        // A cancelled run's late settling (or failure) is expected and ignored.
        sweep.catch(() => undefined);
        const outcome = await Promise.race([sweep, aborted]);
        // Every trial the sweep reported is recorded before the run says it is done.
        if (outcome === 'done') await marking;
        finalState = outcome;
        setStatus({ kind: outcome });
      } catch (error) {
        finalMessage = errorMessage(error);
        finalState = error instanceof DeviceLostError ? 'interrupted' : 'failed';
        setStatus({ kind: 'failed', message: finalMessage });
      } finally {
        claim.release();
        claimRef.current = null;
        setWaitingForGpu(false);
        const endedAtMs = Date.now();
        setTiming((current) => (current?.runId === runId ? { ...current, endedAtMs } : current));
        void marking.then(() => {
          // A cancelled run that measured nothing is not kept (it would only clutter History with a Resume).
          if (finalState === 'cancelled' && recordedTrials === 0 && resume === undefined) {
            persist((s) => s.delete(runId));
          } else {
            persist((s) => s.setState(runId, finalState, finalMessage));
          }
          void writes.then(() => {
            releaseLock();
            onStored();
          });
        });
        abortRef.current = null;
      }
    },
    [store, onStored],
  );

  const cancel = useCallback(() => abortRef.current?.abort(), []);
  /** Run now although another tab is measuring on this GPU; both runs' trials are marked overlapped. */
  const insist = useCallback(() => claimRef.current?.insist(), []);

  /** Shows a stored run (from history) in place of the current results. */
  const show = useCallback((shown: SweepResults) => {
    if (abortRef.current !== null) return;
    setResults(shown);
    setStatus({ kind: 'idle' });
  }, []);

  return { status, results, latestRunId, timing, start, cancel, show, waitingForGpu, insist };
}
