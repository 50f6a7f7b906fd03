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

/** The run's own status, unless the page knows no run will start: a bad autorun, a refusal, an unreadable model. */
function mirroredStatus({
  autorun,
  status,
  repository,
  refusal,
}: Pick<AutomationMirrorState, 'autorun' | 'status' | 'repository' | 'refusal'>): SweepStatus {
  if (autorun.kind === 'invalid') return { kind: 'failed', message: autorun.message };
  if (status.kind !== 'idle') return status;
  if (refusal !== undefined) return { kind: 'failed', message: refusal };
  if (repository.kind === 'failed') return { kind: 'failed', message: repository.message };
  return status;
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
      status: mirroredStatus({ autorun, status, repository, refusal }),
      trials: results.trials,
      loads: results.loads,
      gpu,
    });
  }, [autorun, status, results, gpu, repository, refusal]);
}
