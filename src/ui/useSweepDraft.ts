import { useCallback, useMemo, useState } from 'react';
import type { AdapterProfile } from '../bench/adapter-defaults';
import { isSoftwareAdapter } from '../bench/adapter-identity';
import type { GpuState } from '../worker/engine-client';
import { draftToConfig, shownDraft, type DraftCheck, type DraftOrigin } from './draft';
import { hubRefOf, modelChoiceOf } from './model-choice';
import { quantizationOptions, runnableQuantizations, type OptionsModel } from './quantization-options';
import type { SweepDraft } from './SweepForm';
import type { RepositoryState } from './useModelRepository';

/**
 * What the form holds, the quantization levels it offers for the chosen model on this adapter, and the
 * configuration it would run. A level this model lacks or this adapter cannot run is never kept selected.
 * `given`: the configuration a share link or autorun brought; without one the untouched form follows the
 * adapter's defaults (src/bench/adapter-defaults.ts) until the user changes anything.
 */
export function useSweepDraft(
  given: () => SweepDraft | undefined,
  gpu: GpuState,
  repository: RepositoryState,
) {
  const [origin, setOrigin] = useState<DraftOrigin>(() => {
    const draft = given();
    return draft === undefined ? { kind: 'initial' } : { kind: 'given', draft };
  });
  const setDraft = useCallback((draft: SweepDraft) => setOrigin({ kind: 'edited', draft }), []);
  const adapter = gpu.kind === 'ready' ? gpu.adapter : undefined;
  const profile = useMemo(
    (): AdapterProfile | undefined =>
      adapter === undefined ? undefined : { ...adapter, software: isSoftwareAdapter(adapter) },
    [adapter],
  );
  const { draft, defaults } = useMemo(() => shownDraft(origin, profile), [origin, profile]);
  const hubRef = useMemo(() => hubRefOf(draft), [draft]);
  const choice = useMemo(() => modelChoiceOf(draft, hubRef, repository), [draft, hubRef, repository]);
  const inspected =
    draft.modelKind !== 'builtin' && repository.kind === 'ready' ? repository.inspected : undefined;
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
  return {
    draft,
    setDraft,
    defaults,
    software: profile?.software,
    hubRef,
    inspected,
    options,
    runnableDraft,
    check,
  };
}
