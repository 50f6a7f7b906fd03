/**
 * Runs that wait for their model (autorun, "Run this on my GPU", Resume) and runs that can be resumed; pure
 * so the orchestration is tested without React.
 */
import type { SweepStatus } from '../bench/progress';
import type { SweepConfig } from '../config/sweep-config';
import { sameHubModel, type HubModel } from './model-choice';
import type { RepositoryState } from './useModelRepository';
import type { ResumeFrom, SweepResults } from './useSweep';

/**
 * A run asked for (the form, autorun, "Run this on my GPU", a linked configuration, Resume): it waits for its
 * model, then goes through one gate (admission, then the cost) before it starts.
 */
export interface PendingRun {
  readonly config: SweepConfig;
  readonly resume?: ResumeFrom;
  /** The user agreed to a long run, or a headless driver opted in to autorun. */
  readonly confirmed?: boolean;
}

export interface PendingRunContext {
  readonly running: boolean;
  readonly repository: RepositoryState;
  /** The hub model last looked up for a pending run (its JSON), so each is looked up once. */
  readonly lookedUpKey: string | undefined;
}

export type PendingRunStep =
  | { readonly kind: 'wait' }
  | { readonly kind: 'look-up'; readonly model: HubModel; readonly key: string }
  /** Its model could not be read: the failure is on screen, and the run is given up. */
  | { readonly kind: 'drop' }
  /** Its model is known: the gate judges it (admission, cost) before it starts. */
  | { readonly kind: 'ready' };

const WAIT: PendingRunStep = { kind: 'wait' };

/**
 * What to do next with a pending run: built-in models are ready at once, hub and folder models once read.
 * The adapter is not waited for here: a run that can never work is refused before it is (see run-verdict).
 */
export function pendingRunStep(config: SweepConfig, context: PendingRunContext): PendingRunStep {
  const { repository } = context;
  if (context.running) return WAIT;
  const { model } = config;
  if (model.kind === 'hub') {
    const key = JSON.stringify(model);
    if (context.lookedUpKey !== key) return { kind: 'look-up', model, key };
    if (repository.kind === 'failed') return { kind: 'drop' };
    if (repository.kind !== 'ready' || !sameHubModel(repository.inspected, model)) return WAIT;
  }
  if (model.kind === 'local') {
    if (repository.kind !== 'ready' || repository.inspected.repository.ref.kind !== 'local') return WAIT;
  }
  return { kind: 'ready' };
}

/**
 * The run on screen when it can be continued, measuring only what it is missing: it is the latest run, it
 * ended by a cancel, a failure or a lost device, and the GPU is ready again.
 */
export function resumableRun(
  status: SweepStatus,
  results: SweepResults,
  latestRunId: string | undefined,
  gpuReady: boolean,
): PendingRun | undefined {
  const { runId, config } = results;
  const interrupted = status.kind === 'failed' || status.kind === 'cancelled';
  if (!interrupted || !gpuReady || runId === undefined || runId !== latestRunId || config === undefined) {
    return undefined;
  }
  return { config, resume: { runId, trials: results.trials, loads: results.loads } };
}
