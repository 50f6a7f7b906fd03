import { useEffect } from 'react';
import type { SweepStatus } from '../bench/progress';
import type { GpuState } from '../worker/engine-client';
import { publishAutomationState, type AutorunRequest } from './automation';
import type { RepositoryState } from './useModelRepository';
import type { SweepResults } from './useSweep';

export interface AutomationMirrorState {
  readonly autorun: AutorunRequest;
  readonly status: SweepStatus;
  readonly results: SweepResults;
  readonly gpu: GpuState['kind'];
  readonly repository: RepositoryState;
  /** Why the gate refused the requested run (a headless driver stops waiting and reports it). */
  readonly refusal: string | undefined;
}

/**
 * Mirrors the run on `window.ttftBench` for headless drivers (npm run bench): a bad autorun, a refused run or
 * a model that could not be read counts as a failed run, so the driver stops waiting.
 */
export function useAutomationMirror({
  autorun,
  status,
  results,
  gpu,
  repository,
  refusal,
}: AutomationMirrorState): void {
  useEffect(() => {
    publishAutomationState({
      status:
        autorun.kind === 'invalid'
          ? { kind: 'failed', message: autorun.message }
          : refusal !== undefined && status.kind === 'idle'
            ? { kind: 'failed', message: refusal }
            : repository.kind === 'failed' && status.kind === 'idle'
              ? { kind: 'failed', message: repository.message }
              : status,
      trials: results.trials,
      loads: results.loads,
      gpu,
    });
  }, [autorun, status, results, gpu, repository, refusal]);
}
