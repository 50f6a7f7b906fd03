import { useCallback, useEffect, useRef, useState } from 'react';
import type { HubAccess } from '../hub/hub-repository';
import type { HubModel } from './model-choice';
import { pendingRunStep, type PendingRun } from './pending-run';
import type { RunGate } from './RunGatePanel';
import type { RunVerdict } from './run-verdict';
import type { RepositoryState } from './useModelRepository';

export interface PendingRunOptions {
  /** A run to start as soon as it can (autorun). */
  readonly initial: PendingRun | undefined;
  readonly gpuReady: boolean;
  readonly running: boolean;
  readonly repository: RepositoryState;
  readonly lookUpHub: (model: HubModel, access: HubAccess) => Promise<void>;
  /** Each hub gets only its own token: a link that names another hub gets none. */
  readonly accessFor: (hubUrl: string) => HubAccess;
  /** The one gate every run passes: admission, then the cost (src/ui/run-verdict.ts). */
  readonly judge: (run: PendingRun) => RunVerdict;
  readonly start: (run: PendingRun) => void;
}

/** A run the gate stopped: refused with its reasons, or waiting for a yes. */
export type HeldRun = RunGate & { readonly run: PendingRun };

/**
 * Holds a run until its model is ready (autorun, "Run this on my GPU", Resume, the Run button): looks a hub
 * model up once, then judges it — refused runs and long runs that need a yes are held, with the reasons, and
 * nothing is built or downloaded for them — and starts it once the GPU is idle.
 */
export function usePendingRun(options: PendingRunOptions) {
  const { gpuReady, running, repository, lookUpHub, accessFor, judge, start } = options;
  const [pending, setPending] = useState<PendingRun | undefined>(options.initial);
  const [held, setHeld] = useState<HeldRun | undefined>(undefined);
  const lookedUpKey = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (pending === undefined) return;
    const step = pendingRunStep(pending.config, { running, repository, lookedUpKey: lookedUpKey.current });
    switch (step.kind) {
      case 'wait':
        return;
      case 'look-up':
        lookedUpKey.current = step.key;
        void lookUpHub(step.model, accessFor(step.model.hubUrl));
        return;
      case 'drop':
        setPending(undefined);
        return;
      case 'ready':
        break;
    }
    const verdict = judge(pending);
    switch (verdict.kind) {
      case 'needs-model':
      case 'needs-adapter':
        return;
      case 'refused':
      case 'confirm':
        setPending(undefined);
        setHeld({ ...verdict, run: pending });
        return;
      case 'go':
        if (!gpuReady) return;
        setPending(undefined);
        start(pending);
    }
  }, [pending, gpuReady, running, repository, lookUpHub, accessFor, judge, start]);

  const request = useCallback((run: PendingRun) => {
    setHeld(undefined);
    setPending(run);
  }, []);
  const confirm = useCallback(() => {
    if (held === undefined) return;
    setHeld(undefined);
    setPending({ ...held.run, confirmed: true });
  }, [held]);
  const dismiss = useCallback(() => setHeld(undefined), []);
  return { request, held, confirm, dismiss };
}
