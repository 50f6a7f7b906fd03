import { useCallback, useRef, useState } from 'react';
import type { SweepStatus } from '../bench/progress';
import type { SweepConfig } from '../bench/sweep-config';
import type { AdapterSummary } from '../engine/gpu-device';
import { runSweep, type ModelBuilder } from '../engine/sweep-runner';
import { PRESETS } from '../model/config';
import type { TrialRecord, VariantLoadRecord } from '../results/trial';
import { loadTokenizer } from '../tokenizer/load';
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
export function useSweep(buildModel: ModelBuilder) {
  const [status, setStatus] = useState<SweepStatus>({ kind: 'idle' });
  const [results, setResults] = useState<SweepResults>(EMPTY_RESULTS);
  const abortRef = useRef<AbortController | null>(null);

  const start = useCallback(
    async (config: SweepConfig, device: GPUDevice, adapter: AdapterSummary) => {
      if (abortRef.current !== null) return;
      const abort = new AbortController();
      abortRef.current = abort;
      setResults({ config, trials: [], loads: [] });
      setStatus({
        kind: 'running',
        progress: {
          step: { kind: 'preparing', detail: 'Loading tokenizer' },
          completedTrials: 0,
          totalTrials: 0,
        },
      });
      try {
        const base = import.meta.env.BASE_URL;
        const tokenizer = await loadTokenizer(PRESETS[config.modelPreset].tokenizer, `${base}tokenizers/`);
        const outcome = await runSweep(
          config,
          {
            device,
            environment: await captureEnvironment(adapter),
            tokenizer,
            buildModel,
          },
          {
            onProgress: (progress) => setStatus({ kind: 'running', progress }),
            onTrial: (trial) =>
              setResults((previous) => ({ ...previous, trials: [...previous.trials, trial] })),
            onLoad: (load) => setResults((previous) => ({ ...previous, loads: [...previous.loads, load] })),
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
    [buildModel],
  );

  const cancel = useCallback(() => abortRef.current?.abort(), []);

  return { status, results, start, cancel };
}
