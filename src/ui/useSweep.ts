import { useCallback, useRef, useState } from 'react';
import type { SweepStatus } from '../bench/progress';
import type { SweepConfig } from '../bench/sweep-config';
import type { AdapterSummary } from '../engine/gpu-device';
import { runSweep, type ModelProvider } from '../engine/sweep-runner';
import type { TrialRecord, VariantLoadRecord } from '../results/trial';
import { captureEnvironment } from '../engine/environment';

export interface SweepResults {
  readonly config: SweepConfig | undefined;
  readonly trials: readonly TrialRecord[];
  readonly loads: readonly VariantLoadRecord[];
}

const EMPTY_RESULTS: SweepResults = { config: undefined, trials: [], loads: [] };

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs sweeps and keeps their state; finished trials survive failures and cancellation. */
export function useSweep() {
  const [status, setStatus] = useState<SweepStatus>({ kind: 'idle' });
  const [results, setResults] = useState<SweepResults>(EMPTY_RESULTS);
  const abortRef = useRef<AbortController | null>(null);

  const start = useCallback(
    async (
      config: SweepConfig,
      device: GPUDevice,
      adapter: AdapterSummary,
      makeProvider: () => Promise<ModelProvider>,
    ) => {
      if (abortRef.current !== null) return;
      const abort = new AbortController();
      abortRef.current = abort;
      // The previous run's results stay until this run records something: a run that fails while loading
      // (bad file, missing kernel) must not wipe results that were already measured.
      let recordedAny = false;
      const record = (update: (current: SweepResults) => SweepResults) => {
        const fresh = !recordedAny;
        recordedAny = true;
        setResults((previous) => update(fresh ? { config, trials: [], loads: [] } : previous));
      };
      setStatus({
        kind: 'running',
        progress: {
          step: { kind: 'preparing', detail: 'Loading tokenizer' },
          completedTrials: 0,
          totalTrials: 0,
        },
      });
      try {
        const provider = await makeProvider();
        const outcome = await runSweep(
          config,
          { device, environment: await captureEnvironment(adapter), provider },
          {
            onProgress: (progress) => setStatus({ kind: 'running', progress }),
            onTrial: (trial) => record((current) => ({ ...current, trials: [...current.trials, trial] })),
            onLoad: (load) => record((current) => ({ ...current, loads: [...current.loads, load] })),
          },
          abort.signal,
        );
        setStatus({ kind: outcome });
      } catch (error) {
        setStatus({ kind: 'failed', message: errorMessage(error) });
      } finally {
        abortRef.current = null;
      }
    },
    [],
  );

  const cancel = useCallback(() => abortRef.current?.abort(), []);

  return { status, results, start, cancel };
}
