import { useCallback, useEffect, useRef, useState } from 'react';
import type { HubAccess } from '../hub/hub-repository';
import type { HubModel } from './model-choice';
import { pendingRunStep, type PendingRun } from './pending-run';
import type { RepositoryState } from './useModelRepository';

export interface PendingRunOptions {
  /** A run to start as soon as it can (autorun). */
  readonly initial: PendingRun | undefined;
  readonly gpuReady: boolean;
  readonly running: boolean;
  readonly repository: RepositoryState;
  readonly lookUpHub: (model: HubModel, access: HubAccess) => Promise<void>;
  readonly hubAccess: HubAccess;
  readonly start: (run: PendingRun) => void;
}

/**
 * Holds a run until its model is ready (autorun, "Run this on my GPU", Resume): looks a hub model up once,
 * waits for the repository and an idle GPU, then starts it; a model that cannot be read drops it.
 */
export function usePendingRun(options: PendingRunOptions): (run: PendingRun) => void {
  const { gpuReady, running, repository, lookUpHub, hubAccess, start } = options;
  const [pending, setPending] = useState<PendingRun | undefined>(options.initial);
  const lookedUpKey = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (pending === undefined) return;
    const step = pendingRunStep(pending.config, {
      gpuReady,
      running,
      repository,
      lookedUpKey: lookedUpKey.current,
    });
    switch (step.kind) {
      case 'wait':
        return;
      case 'look-up':
        lookedUpKey.current = step.key;
        void lookUpHub(step.model, hubAccess);
        return;
      case 'drop':
        setPending(undefined);
        return;
      case 'start':
        setPending(undefined);
        start(pending);
    }
  }, [pending, gpuReady, running, repository, lookUpHub, hubAccess, start]);
  return useCallback((run: PendingRun) => setPending(run), []);
}
