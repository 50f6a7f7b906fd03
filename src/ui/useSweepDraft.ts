import { useMemo, useState } from 'react';
import type { GpuState } from '../worker/engine-client';
import { draftToConfig, type DraftCheck } from './draft';
import { hubRefOf, modelChoiceOf } from './model-choice';
import { quantizationOptions, runnableQuantizations, type OptionsModel } from './quantization-options';
import type { SweepDraft } from './SweepForm';
import type { RepositoryState } from './useModelRepository';

/**
 * What the form holds, the quantization levels it offers for the chosen model on this adapter, and the
 * configuration it would run. A level this model lacks or this adapter cannot run is never kept selected.
 */
export function useSweepDraft(initial: () => SweepDraft, gpu: GpuState, repository: RepositoryState) {
  const [draft, setDraft] = useState<SweepDraft>(initial);
  const hubRef = useMemo(() => hubRefOf(draft), [draft]);
  const choice = useMemo(() => modelChoiceOf(draft, hubRef, repository), [draft, hubRef, repository]);
  const inspected =
    draft.modelKind !== 'builtin' && repository.kind === 'ready' ? repository.inspected : undefined;
  const adapter = gpu.kind === 'ready' ? gpu.adapter : undefined;
  const options = useMemo(() => {
    const model: OptionsModel =
      draft.modelKind === 'builtin'
        ? { kind: 'builtin', preset: draft.modelPreset, graph: draft.graph }
        : { kind: 'repository', inspected };
    return quantizationOptions(model, adapter);
  }, [draft.modelKind, draft.modelPreset, draft.graph, inspected, adapter]);
  const runnableDraft = useMemo(
    (): SweepDraft => ({ ...draft, quantizations: runnableQuantizations(draft.quantizations, options) }),
    [draft, options],
  );
  const check = useMemo((): DraftCheck => draftToConfig(runnableDraft, choice), [runnableDraft, choice]);
  return { draft, setDraft, hubRef, inspected, options, runnableDraft, check };
}
