import { useEffect, useMemo, useState } from 'react';
import type { SweepConfig } from '../config/sweep-config';
import type { InspectedModel } from '../hub/repository';
import { estimateRemainingMs, estimateRun, type RunEstimate } from '../report/run-estimate';
import type { RunStore, RunSummary } from '../results/run-store';
import type { SweepResults, RunTiming } from './useSweep';
import {
  earlierRunIds,
  estimateContextFor,
  NO_EARLIER_RECORDS,
  type EarlierRecords,
} from './estimate-context';

/**
 * Trials and loads of the earlier runs that can teach the estimate about `config` on this adapter (its label);
 * none until they are read from the store.
 */
export function useEarlierRecords(
  store: RunStore | undefined,
  runs: readonly RunSummary[],
  config: SweepConfig | undefined,
  adapter: string | undefined,
  excludeRunId: string | undefined,
): EarlierRecords {
  const ids =
    config === undefined || adapter === undefined ? [] : earlierRunIds(runs, config, adapter, excludeRunId);
  const key = ids.join(' ');
  const [records, setRecords] = useState<{ key: string; records: EarlierRecords }>({
    key: '',
    records: NO_EARLIER_RECORDS,
  });
  useEffect(() => {
    if (store === undefined || key === '') return;
    let live = true;
    void Promise.all(key.split(' ').map((runId) => store.load(runId))).then(
      (loaded) => {
        if (!live) return;
        const present = loaded.flatMap((run) => (run === undefined ? [] : [run]));
        setRecords({
          key,
          records: {
            trials: present.flatMap((run) => run.trials),
            loads: present.flatMap((run) => run.loads),
          },
        });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [store, key]);
  return records.key === key ? records.records : NO_EARLIER_RECORDS;
}

export interface RunEstimateOptions {
  readonly store: RunStore | undefined;
  readonly runs: readonly RunSummary[];
  /** The adapter's label as runs record it, and whether it is a CPU implementation; undefined until known. */
  readonly adapter: string | undefined;
  readonly software: boolean;
  readonly inspected: InspectedModel | undefined;
}

/**
 * Before Run: the planned trials and estimated duration of the form's configuration, from `earlier`
 * (useEarlierRecords for that configuration; the run gate judges with the same records).
 */
export function useRunCost(
  config: SweepConfig | undefined,
  options: RunEstimateOptions,
  earlier: EarlierRecords,
): RunEstimate | undefined {
  const { software, inspected, adapter } = options;
  return useMemo(() => {
    if (config === undefined || adapter === undefined) return undefined;
    return estimateRun(config, estimateContextFor(config, { software, inspected, earlier }));
  }, [config, adapter, software, inspected, earlier]);
}

/**
 * While a run is under way: the time left, estimated again after every trial and load. Undefined when no
 * run is live.
 */
export function useTimeLeft(
  running: boolean,
  results: SweepResults,
  timing: RunTiming | undefined,
  options: RunEstimateOptions,
): number | undefined {
  const config = running ? timing?.config : undefined;
  const live = running && timing !== undefined;
  const earlier = useEarlierRecords(options.store, options.runs, config, options.adapter, timing?.runId);
  const { software, inspected } = options;
  const { trials, loads } = results;
  return useMemo(() => {
    if (!live || config === undefined || timing === undefined) return undefined;
    const context = estimateContextFor(config, { software, inspected, earlier });
    return estimateRemainingMs(
      {
        config,
        resumedTrials: timing.resumedTrials,
        resumedLoads: timing.resumedLoads,
        trials: results.runId === timing.runId ? trials : timing.resumedTrials,
        loads: results.runId === timing.runId ? loads : timing.resumedLoads,
      },
      context,
    );
  }, [live, config, timing, software, inspected, earlier, trials, loads, results.runId]);
}
