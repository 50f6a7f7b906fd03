import { useCallback, type RefObject } from 'react';
import type { SweepConfig } from '../config/sweep-config';
import type { ModelSource } from '../source/model-source';
import type { HubAccess } from '../hub/hub-repository';
import type { InspectedModel } from '../hub/repository';
import { repositorySource } from '../hub/repository-source';
import type { EngineClient, GpuState } from '../worker/engine-client';
import { builtInSource } from '../worker/builtin-source';
import type { EarlierRecords } from './estimate-context';
import type { HubModel } from './model-choice';
import { resumableRun, type PendingRun } from './pending-run';
import { judgeRun } from './run-verdict';
import type { RepositoryState } from './useModelRepository';
import { usePendingRun } from './usePendingRun';
import type { useRunHistory } from './useRunHistory';
import { useSweep } from './useSweep';

export interface RunControlOptions {
  readonly engineRef: RefObject<EngineClient | null>;
  readonly gpu: GpuState;
  readonly repository: RepositoryState;
  /** The repository looked up or opened, for hub and folder runs. */
  readonly inspected: InspectedModel | undefined;
  readonly lookUpHub: (model: HubModel, access: HubAccess) => Promise<void>;
  /** How requests to a hub are made: with that hub's own token only. */
  readonly accessFor: (hubUrl: string) => HubAccess;
  readonly history: ReturnType<typeof useRunHistory>;
  /** A run to start once its model is ready (an opted-in autorun: the driver's own choice, so confirmed). */
  readonly initialRun: PendingRun | undefined;
  /** Shows a configuration in the form (a run opened, resumed or shared). */
  readonly showConfig: (config: SweepConfig) => void;
  /** Earlier runs of the form's model on this adapter: the gate's estimate is the form's line. */
  readonly earlier: EarlierRecords;
}

/** `navigator.deviceMemory` (Chromium only; not in TypeScript's DOM types). */
function deviceMemoryGiB(): number | undefined {
  const value: unknown = (navigator as { deviceMemory?: unknown }).deviceMemory;
  return typeof value === 'number' ? value : undefined;
}

/**
 * Runs sweeps and everything that starts one: the Run button, a run waiting for its model (autorun,
 * "Run this on my GPU", a linked configuration, Resume), runs opened from history, and resuming an
 * interrupted run. Every one of them passes the same gate (admission, then the cost) before it starts.
 */
export function useRunControl(options: RunControlOptions) {
  const { engineRef, gpu, inspected, history, showConfig, earlier } = options;
  const loadStored = history.load;
  const sweep = useSweep(history.store, history.refresh);
  const { status, results, latestRunId, timing, start, cancel, show } = sweep;
  const running = status.kind === 'running';

  const startNow = useCallback(
    ({ config, resume }: PendingRun) => {
      const client = engineRef.current;
      if (client === null || gpu.kind !== 'ready') return;
      const makeSource = async (): Promise<ModelSource> => {
        if (config.model.kind === 'builtin') {
          const { weightSeed, lmHead, graph, qkv, accuracyLevel, graphCapture } = config;
          return builtInSource({
            preset: config.model.preset,
            weightSeed,
            lmHead,
            graph,
            qkv,
            accuracyLevel,
            graphCapture,
          });
        }
        if (inspected === undefined) throw new Error('The model repository is not loaded; look it up again.');
        return repositorySource(inspected, config.lmHead);
      };
      void start({ config, engine: client, adapter: gpu.adapter, makeSource, resume });
    },
    [engineRef, gpu, inspected, start],
  );

  const judge = useCallback(
    (run: PendingRun) =>
      judgeRun(
        run.config,
        {
          adapter: gpu.kind === 'ready' ? gpu.adapter : undefined,
          inspected: options.repository.kind === 'ready' ? inspected : undefined,
          deviceMemoryGiB: deviceMemoryGiB(),
          earlier,
          ...(run.resume === undefined ? {} : { done: run.resume.trials }),
        },
        run.confirmed === true,
      ),
    [gpu, inspected, options.repository.kind, earlier],
  );

  const gate = usePendingRun({
    initial: options.initialRun,
    gpuReady: gpu.kind === 'ready',
    running,
    repository: options.repository,
    lookUpHub: options.lookUpHub,
    accessFor: options.accessFor,
    judge,
    start: startNow,
  });
  const { request } = gate;

  /** Shows the run's configuration and starts it once its model is ready and the gate lets it. */
  const runHere = useCallback(
    (run: PendingRun) => {
      showConfig(run.config);
      request(run);
    },
    [showConfig, request],
  );

  const openStored = useCallback(
    (runId: string) =>
      void loadStored(runId).then((loaded) => {
        if (loaded === undefined) return;
        show({ runId, config: loaded.run.config, trials: loaded.trials, loads: loaded.loads });
        showConfig(loaded.run.config);
      }),
    [loadStored, show, showConfig],
  );

  const resumeStored = useCallback(
    (runId: string) =>
      void loadStored(runId).then((loaded) => {
        if (loaded === undefined) return;
        runHere({
          config: loaded.run.config,
          resume: { runId, trials: loaded.trials, loads: loaded.loads },
        });
      }),
    [loadStored, runHere],
  );

  const run = useCallback((config: SweepConfig) => request({ config }), [request]);

  // After a cancel, failure or lost device: continue this run, measuring only what it is missing.
  const interrupted = resumableRun(status, results, latestRunId, gpu.kind === 'ready');
  const resumeCurrent = interrupted === undefined ? undefined : () => runHere(interrupted);

  return {
    status,
    results,
    timing,
    running,
    cancel,
    run,
    runHere,
    openStored,
    resumeStored,
    resumeCurrent,
    /** A run the gate refused or holds for a yes; confirm and dismiss answer it. */
    held: gate.held,
    confirmHeld: gate.confirm,
    dismissHeld: gate.dismiss,
    /** Another tab measures on this GPU: this run waits unless the user insists. */
    waitingForGpu: sweep.waitingForGpu,
    insist: sweep.insist,
  };
}
