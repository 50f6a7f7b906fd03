import {
  customPromptSizeProblem,
  parseDepths,
  parsePromptLengths,
  formatPromptLengths,
} from '../config/lengths';
import { DEFAULT_DECODE_TOKENS, DEFAULT_SWEEP_CONFIG, type SweepConfig } from '../config/sweep-config';
import { DEFAULT_HUB_URL, type ModelRef } from '../config/model-ref';
import { graphCaptureProblem } from '../config/graph-capture';
import { defaultsForAdapter, type AdapterDefaults, type AdapterProfile } from '../bench/adapter-defaults';
import type { SweepDraft } from './SweepForm';

export const INITIAL_DRAFT: SweepDraft = {
  modelKind: 'builtin',
  modelPreset: 'tiny',
  hubId: '',
  hubRevision: 'main',
  hubUrl: DEFAULT_HUB_URL,
  quantizations: DEFAULT_SWEEP_CONFIG.quantizations,
  lengthsText: formatPromptLengths(DEFAULT_SWEEP_CONFIG.promptLengths),
  warmupRuns: DEFAULT_SWEEP_CONFIG.warmupRuns,
  repetitions: DEFAULT_SWEEP_CONFIG.repetitions,
  syncModes: DEFAULT_SWEEP_CONFIG.syncModes,
  order: DEFAULT_SWEEP_CONFIG.order,
  decode: false,
  decodeTokens: DEFAULT_DECODE_TOKENS,
  decodeLoop: DEFAULT_SWEEP_CONFIG.decodeLoop,
  firstTokenArgmax: DEFAULT_SWEEP_CONFIG.firstTokenArgmax,
  tokenReadback: DEFAULT_SWEEP_CONFIG.tokenReadback,
  lastPositionLogits: DEFAULT_SWEEP_CONFIG.lmHead === 'last',
  useCustomPrompt: false,
  customPrompt: '',
  depthsText: formatPromptLengths(DEFAULT_SWEEP_CONFIG.depths),
  cpuMatch: DEFAULT_SWEEP_CONFIG.cpuMatch,
  runtime: DEFAULT_SWEEP_CONFIG.runtime,
  graph: DEFAULT_SWEEP_CONFIG.graph,
  qkv: DEFAULT_SWEEP_CONFIG.qkv,
  accuracyLevel: DEFAULT_SWEEP_CONFIG.accuracyLevel,
  graphCapture: DEFAULT_SWEEP_CONFIG.graphCapture,
  kernelProfile: DEFAULT_SWEEP_CONFIG.kernelProfile,
};

/** The initial form with the adapter's default sweep (src/bench/adapter-defaults.ts). */
export function draftWithDefaults(defaults: AdapterDefaults): SweepDraft {
  return {
    ...INITIAL_DRAFT,
    modelKind: 'builtin',
    modelPreset: defaults.preset,
    quantizations: defaults.quantizations,
    lengthsText: formatPromptLengths(defaults.promptLengths),
    warmupRuns: defaults.warmupRuns,
    repetitions: defaults.repetitions,
    lastPositionLogits: defaults.lmHead === 'last',
    accuracyLevel: defaults.accuracyLevel,
    decodeLoop: defaults.decodeLoop,
    firstTokenArgmax: defaults.firstTokenArgmax,
  };
}

/**
 * Where the form's content came from: `initial` (untouched: it follows the adapter once it is known),
 * `edited` by the user, or `given` by a share link or autorun. Only `initial` ever changes by itself.
 */
export type DraftOrigin =
  { readonly kind: 'initial' } | { readonly kind: 'edited' | 'given'; readonly draft: SweepDraft };

/** The form to show, and the adapter's defaults when they chose it (their reason is shown). */
export function shownDraft(
  origin: DraftOrigin,
  adapter: AdapterProfile | undefined,
): { readonly draft: SweepDraft; readonly defaults: AdapterDefaults | undefined } {
  if (origin.kind !== 'initial') return { draft: origin.draft, defaults: undefined };
  if (adapter === undefined) return { draft: INITIAL_DRAFT, defaults: undefined };
  const defaults = defaultsForAdapter(adapter);
  return { draft: draftWithDefaults(defaults), defaults };
}

export type DraftCheck =
  { readonly ok: true; readonly config: SweepConfig } | { readonly ok: false; readonly message: string };

/** The model the form points at: a preset, or the repository that was looked up / opened (else why not). */
export type ModelChoice =
  { readonly ok: true; readonly model: ModelRef } | { readonly ok: false; readonly message: string };

/** Turns what the form holds into a SweepConfig, or says what to fix. */
export function draftToConfig(draft: SweepDraft, choice: ModelChoice): DraftCheck {
  if (!choice.ok) return { ok: false, message: choice.message };
  if (draft.quantizations.length === 0)
    return { ok: false, message: 'Pick at least one quantization level.' };
  if (
    draft.decode &&
    (!Number.isInteger(draft.decodeTokens) || draft.decodeTokens < 1 || draft.decodeTokens > 1024)
  ) {
    return { ok: false, message: 'Decode tokens must be a whole number from 1 to 1024.' };
  }
  if (draft.syncModes.length === 0) return { ok: false, message: 'Pick at least one synchronization mode.' };
  if (!Number.isInteger(draft.warmupRuns) || draft.warmupRuns < 0 || draft.warmupRuns > 20) {
    return { ok: false, message: 'Warm-up runs must be a whole number from 0 to 20.' };
  }
  if (!Number.isInteger(draft.repetitions) || draft.repetitions < 1 || draft.repetitions > 1000) {
    return { ok: false, message: 'Repetitions must be a whole number from 1 to 1000.' };
  }
  const depths = parseDepths(draft.depthsText);
  if (!depths.ok) return { ok: false, message: depths.message };
  const base = {
    model: choice.model,
    quantizations: draft.quantizations,
    warmupRuns: draft.warmupRuns,
    repetitions: draft.repetitions,
    syncModes: draft.syncModes,
    order: draft.order,
    decodeTokens: draft.decode ? draft.decodeTokens : 0,
    decodeLoop: draft.decodeLoop,
    firstTokenArgmax: draft.firstTokenArgmax,
    tokenReadback: draft.tokenReadback,
    weightSeed: DEFAULT_SWEEP_CONFIG.weightSeed,
    lmHead: draft.lastPositionLogits ? ('last' as const) : ('all' as const),
    depths: depths.lengths,
    cpuMatch: draft.cpuMatch,
    runtime: draft.runtime,
    graph: draft.graph,
    qkv: draft.qkv,
    accuracyLevel: draft.accuracyLevel,
    // The form shows the option for built-in fused models only; elsewhere it is off, as its checkbox shows.
    graphCapture: draft.graphCapture && draft.modelKind === 'builtin' && draft.graph === 'fused',
    // The checkbox is off while graph capture is on (a captured replay has no kernels of its own to time).
    kernelProfile:
      draft.kernelProfile &&
      !(draft.graphCapture && draft.modelKind === 'builtin' && draft.graph === 'fused'),
  };
  const captureProblem = graphCaptureProblem({
    ...base,
    depths: draft.useCustomPrompt ? [0] : base.depths,
  });
  if (captureProblem !== undefined) return { ok: false, message: captureProblem };
  if (draft.useCustomPrompt) {
    if (draft.customPrompt.trim() === '') return { ok: false, message: 'The custom prompt is empty.' };
    const tooLarge = customPromptSizeProblem(draft.customPrompt);
    if (tooLarge !== undefined) return { ok: false, message: tooLarge };
    // A custom prompt is measured fresh (the depth field is off while it is used).
    return {
      ok: true,
      config: { ...base, promptLengths: [], customPrompt: draft.customPrompt, depths: [0] },
    };
  }
  const lengths = parsePromptLengths(draft.lengthsText);
  if (!lengths.ok) return { ok: false, message: lengths.message };
  return { ok: true, config: { ...base, promptLengths: lengths.lengths } };
}

/** The form as it would look had the user typed this configuration (autorun and, later, shared links). */
export function configToDraft(config: SweepConfig): SweepDraft {
  const { model } = config;
  return {
    modelKind: model.kind,
    modelPreset: model.kind === 'builtin' ? model.preset : INITIAL_DRAFT.modelPreset,
    hubId: model.kind === 'hub' ? model.id : '',
    hubRevision: model.kind === 'hub' ? model.revision : INITIAL_DRAFT.hubRevision,
    hubUrl: model.kind === 'hub' ? model.hubUrl : INITIAL_DRAFT.hubUrl,
    quantizations: config.quantizations,
    lengthsText: formatPromptLengths(config.promptLengths),
    warmupRuns: config.warmupRuns,
    repetitions: config.repetitions,
    syncModes: config.syncModes,
    order: config.order,
    decode: config.decodeTokens > 0,
    decodeTokens: config.decodeTokens > 0 ? config.decodeTokens : DEFAULT_DECODE_TOKENS,
    decodeLoop: config.decodeLoop,
    firstTokenArgmax: config.firstTokenArgmax,
    tokenReadback: config.tokenReadback,
    lastPositionLogits: config.lmHead === 'last',
    useCustomPrompt: config.customPrompt !== undefined,
    customPrompt: config.customPrompt ?? '',
    depthsText: formatPromptLengths(config.depths),
    cpuMatch: config.cpuMatch,
    runtime: config.runtime,
    graph: config.graph,
    qkv: config.qkv,
    accuracyLevel: config.accuracyLevel,
    graphCapture: config.graphCapture,
    kernelProfile: config.kernelProfile,
  };
}
