/** Which model the form points at, and whether it is ready to run; pure so it is tested without React. */
import {
  modelLabel,
  normalizeHubUrl,
  repoIdProblem,
  revisionProblem,
  type ModelRef,
} from '../config/model-ref';
import type { SweepConfig } from '../config/sweep-config';
import type { DecoderShape } from '../source/decoder-shape';
import type { InspectedModel } from '../hub/repository';
import type { ModelChoice } from './draft';
import type { SweepDraft } from './SweepForm';
import type { RepositoryState } from './useModelRepository';

export type HubModel = Extract<ModelRef, { kind: 'hub' }>;
export type HubModelCheck =
  { readonly ok: true; readonly ref: HubModel } | { readonly ok: false; readonly message: string };

export function hubRefOf(draft: SweepDraft): HubModelCheck {
  const idProblem = repoIdProblem(draft.hubId);
  if (idProblem !== undefined) return { ok: false, message: idProblem };
  const revision = draft.hubRevision === '' ? 'main' : draft.hubRevision;
  const badRevision = revisionProblem(revision);
  if (badRevision !== undefined) return { ok: false, message: badRevision };
  const hubUrl = normalizeHubUrl(draft.hubUrl);
  if (!hubUrl.ok) return { ok: false, message: hubUrl.message };
  return { ok: true, ref: { kind: 'hub', id: draft.hubId, revision, hubUrl: hubUrl.url } };
}

export function sameHubModel(inspected: InspectedModel, model: HubModel): boolean {
  const { ref } = inspected.repository;
  return (
    ref.kind === 'hub' &&
    ref.id === model.id &&
    ref.revision === model.revision &&
    ref.hubUrl === model.hubUrl
  );
}

/** Whether the looked-up repository is this hub or folder model (the same hub, id and revision; the same folder). */
export function isInspectedModel(inspected: InspectedModel, model: ModelRef): boolean {
  switch (model.kind) {
    case 'builtin':
      return false;
    case 'hub':
      return sameHubModel(inspected, model);
    case 'local': {
      const { ref } = inspected.repository;
      return ref.kind === 'local' && ref.folderName === model.folderName;
    }
  }
}

export function modelChoiceOf(
  draft: SweepDraft,
  hub: HubModelCheck,
  repository: RepositoryState,
): ModelChoice {
  switch (draft.modelKind) {
    case 'builtin':
      return { ok: true, model: { kind: 'builtin', preset: draft.modelPreset } };
    case 'hub': {
      if (!hub.ok) return { ok: false, message: hub.message };
      if (repository.kind === 'inspecting') return { ok: false, message: `Reading ${repository.what}…` };
      if (repository.kind === 'ready' && sameHubModel(repository.inspected, hub.ref)) {
        return { ok: true, model: hub.ref };
      }
      return { ok: false, message: 'Look up the model to see its variants before running.' };
    }
    case 'local':
      if (repository.kind === 'ready' && repository.inspected.repository.ref.kind === 'local') {
        return { ok: true, model: repository.inspected.repository.ref };
      }
      return { ok: false, message: 'Pick or drop a model folder first.' };
  }
}

/** The looked-up repository's decoder shape when the results on screen are of that model (for the roofline). */
export function decoderOfResults(
  inspected: InspectedModel | undefined,
  config: SweepConfig | undefined,
): DecoderShape | undefined {
  if (inspected === undefined || config === undefined || config.model.kind === 'builtin') return undefined;
  return modelLabel(config.model) === modelLabel(inspected.repository.ref) ? inspected.decoder : undefined;
}
