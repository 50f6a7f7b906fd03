/**
 * Runs measured on a real GPU and shipped with the page (public/reference/, the app's own run JSON, byte for
 * byte as the app wrote them), so a run on any machine can be set beside an NVIDIA H200's with one click. Which
 * model each file measured is read from its trials, never assumed from its name, and a comparison across two
 * models always says so.
 */
import { describeModel, type ModelRef } from '../config/model-ref';
import type { FirstTokenArgmax, LmHead, SweepConfig, TokenReadback } from '../config/sweep-config';
import type { PresetId } from '../model/config';
import { QUANTIZATION_LEVELS } from '../model/quantization';
import { parseRunJson } from '../results/run-json';
import type { TrialRecord } from '../results/trial';
import {
  comparedRunFromTrials,
  type ComparedRun,
  type ImportResult,
  type ReferenceFacts,
} from './compared-run';

/** The GPU every shipped reference was measured on, as its adapter label names it. */
export const REFERENCE_GPU = 'NVIDIA H200';

/** The folder of the reference files, relative to the page (Vite serves public/ at the base URL). */
export const REFERENCE_FOLDER = 'reference/';

/** The shipped runs, by the built-in preset each measured (what else they hold, their trials say). */
export const REFERENCE_FILES: Readonly<Partial<Record<PresetId, string>>> = {
  tiny: 'h200-tiny.run.json',
  'smollm2-135m': 'h200-smollm2-135m.run.json',
  'llama-3.2-1b': 'h200-llama-3.2-1b.run.json',
};

/** What a model without a reference of its own is set beside: the most common real model shape here. */
export const FALLBACK_REFERENCE_PRESET: PresetId = 'llama-3.2-1b';

export interface ReferenceChoice {
  readonly preset: PresetId;
  /** Relative to the page, e.g. `reference/h200-tiny.run.json`. */
  readonly path: string;
  /** Why the reference is another model than the run on screen; absent when it is the same built-in preset. */
  readonly otherModel?: string;
}

function fallbackFile(): string {
  const file = REFERENCE_FILES[FALLBACK_REFERENCE_PRESET];
  if (file === undefined) throw new Error(`no reference file for ${FALLBACK_REFERENCE_PRESET}`);
  return file;
}

/** The reference for the run on screen: its own built-in preset's where one ships, else Llama-3.2-1B's. */
export function pickReference(model: ModelRef | undefined): ReferenceChoice {
  if (model?.kind === 'builtin') {
    const file = REFERENCE_FILES[model.preset];
    if (file !== undefined) return { preset: model.preset, path: `${REFERENCE_FOLDER}${file}` };
  }
  const path = `${REFERENCE_FOLDER}${fallbackFile()}`;
  const fallback = `built-in ${FALLBACK_REFERENCE_PRESET}`;
  if (model === undefined) {
    return {
      preset: FALLBACK_REFERENCE_PRESET,
      path,
      otherModel: `No run on screen: the reference is the ${fallback}.`,
    };
  }
  return {
    preset: FALLBACK_REFERENCE_PRESET,
    path,
    otherModel: `No ${REFERENCE_GPU} run of ${describeModel(model)} ships with this page: the reference is the ${fallback}, a different model.`,
  };
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

const LM_HEAD_PHRASES: Readonly<Record<LmHead, string>> = {
  last: 'the last position',
  all: 'every position',
};

/** What the trials measured, and the same said the way the form says it: model, levels, graph, LM head, lengths. */
function referenceFacts(trials: readonly TrialRecord[], preset: PresetId): ReferenceFacts {
  const first = trials[0]!;
  const lmHeads = distinct(trials.map((trial) => trial.lmHead));
  const graphs = distinct(trials.map((trial) => trial.graph));
  const accuracyLevels = distinct(trials.flatMap((trial) => trial.accuracyLevel ?? []));
  const qkvs = distinct(trials.filter(packsQkv).map((trial) => trial.qkv));
  const firstTokenArgmaxes = distinct(trials.map((trial) => trial.firstTokenArgmax));
  const tokenReadbacks = distinct(
    trials.filter((trial) => trial.syncMode === 'barrier').map((trial) => trial.tokenReadback),
  );
  const lengths = trials.map((trial) => trial.promptTokens);
  const depths = distinct(trials.map((trial) => trial.depthTokens)).filter((depth) => depth > 0);
  const date = trials
    .map((trial) => trial.startedAt)
    .sort()[0]!
    .slice(0, 10);
  const browser = first.browser.split(';')[0]!.trim();
  const about = [
    `Measured on an ${REFERENCE_GPU} (${browser}, ${first.os}) on ${date}:`,
    `built-in ${preset},`,
    `${distinct(trials.map((trial) => trial.quantization)).join(', ')},`,
    `${graphs.join(' and ')} graph,`,
    `LM head on ${lmHeads.map((lmHead) => LM_HEAD_PHRASES[lmHead]).join(' and ')},`,
    `prompts of ${Math.min(...lengths)}–${Math.max(...lengths)} tokens${depths.length > 0 ? ` at depths ${depths.join(', ')}` : ''}.`,
  ].join(' ');
  return { preset, lmHeads, graphs, accuracyLevels, qkvs, firstTokenArgmaxes, tokenReadbacks, about };
}

/**
 * A fetched reference file as a compared run, validated like any imported run, and refused unless its trials
 * are all of the chosen built-in preset and were measured on the reference GPU. Never throws.
 */
export function referenceRunFromJson(text: string, choice: ReferenceChoice): ImportResult {
  const label = `${REFERENCE_GPU} · ${choice.preset}`;
  const failed = (why: string): ImportResult => ({
    ok: false,
    message: `The ${REFERENCE_GPU} reference (${choice.path}) could not be read: ${why}`,
  });
  const parsed = parseRunJson(text);
  if (!parsed.ok) return failed(parsed.message);
  const { trials } = parsed.run;
  const stranger = trials.find(
    (trial) =>
      trial.modelSource !== 'builtin' ||
      trial.model !== choice.preset ||
      !trial.adapter.includes(REFERENCE_GPU),
  );
  if (stranger !== undefined) {
    return failed(
      `it holds a trial of ${stranger.model} on "${stranger.adapter}", not the built-in ${choice.preset} on an ${REFERENCE_GPU}.`,
    );
  }
  const imported = comparedRunFromTrials(trials, label, `reference-${choice.preset}`);
  if (!imported.ok) return failed(imported.message);
  return {
    ok: true,
    run: {
      ...imported.run,
      origin: 'reference',
      reference: referenceFacts(trials, choice.preset),
    },
  };
}

/** The run on screen, as far as a reference's cautions care. */
export type RunOnScreen = Pick<
  SweepConfig,
  | 'model'
  | 'lmHead'
  | 'graph'
  | 'qkv'
  | 'accuracyLevel'
  | 'quantizations'
  | 'syncModes'
  | 'firstTokenArgmax'
  | 'tokenReadback'
>;

const ARGMAX_PHRASES: Readonly<Record<FirstTokenArgmax, string>> = { cpu: 'on the CPU', gpu: 'on the GPU' };
const READBACK_PHRASES: Readonly<Record<TokenReadback, string>> = {
  'after-barrier': 'after the barrier',
  'with-barrier': 'beside the barrier',
};

/** The built-in levels written with MatMulNBits, the only ones an accuracy level applies to. */
function hasFourBitLevel(screen: RunOnScreen): boolean {
  return screen.quantizations.some((quantization) => QUANTIZATION_LEVELS[quantization].weightBits === 4);
}

/** Trials whose graph could hold packed q/k/v: fused, with weights that are not 4-bit (see QkvProjection). */
function packsQkv(trial: Pick<TrialRecord, 'graph' | 'quantization'>): boolean {
  return trial.graph === 'fused' && QUANTIZATION_LEVELS[trial.quantization].weightBits !== 4;
}

function referenceCaution(facts: ReferenceFacts, screen: RunOnScreen): string | undefined {
  const { model } = screen;
  if (model.kind !== 'builtin' || model.preset !== facts.preset) {
    return `Not the same model: this reference measured the built-in ${facts.preset}, the run on screen ${describeModel(model)}. Its ratios compare two different models.`;
  }
  const differences = [
    ...(facts.lmHeads.length === 1 && facts.lmHeads[0] === screen.lmHead
      ? []
      : [
          `its LM head is on ${facts.lmHeads.map((lmHead) => LM_HEAD_PHRASES[lmHead]).join(' and ')}, this run's on ${LM_HEAD_PHRASES[screen.lmHead]}`,
        ]),
    ...(facts.graphs.length === 1 && facts.graphs[0] === screen.graph
      ? []
      : [`its graph is ${facts.graphs.join(' and ')}, this run's ${screen.graph}`]),
    ...(facts.accuracyLevels.length === 0 ||
    !hasFourBitLevel(screen) ||
    (facts.accuracyLevels.length === 1 && facts.accuracyLevels[0] === screen.accuracyLevel)
      ? []
      : [
          `its 4-bit accuracy level is ${facts.accuracyLevels.join(' and ')}, this run's ${screen.accuracyLevel}`,
        ]),
    ...(facts.qkvs.length === 0 ||
    !screen.quantizations.some((quantization) => packsQkv({ graph: screen.graph, quantization })) ||
    (facts.qkvs.length === 1 && facts.qkvs[0] === screen.qkv)
      ? []
      : [`its q/k/v projections are ${facts.qkvs.join(' and ')}, this run's ${screen.qkv}`]),
    ...(facts.firstTokenArgmaxes.length === 1 && facts.firstTokenArgmaxes[0] === screen.firstTokenArgmax
      ? []
      : [
          `its first token was picked ${facts.firstTokenArgmaxes.map((where) => ARGMAX_PHRASES[where]).join(' and ')}, this run's ${ARGMAX_PHRASES[screen.firstTokenArgmax]}`,
        ]),
    ...(facts.tokenReadbacks.length === 0 ||
    !screen.syncModes.includes('barrier') ||
    (facts.tokenReadbacks.length === 1 && facts.tokenReadbacks[0] === screen.tokenReadback)
      ? []
      : [
          `its first token was read back ${facts.tokenReadbacks.map((when) => READBACK_PHRASES[when]).join(' and ')}, this run's ${READBACK_PHRASES[screen.tokenReadback]}`,
        ]),
  ];
  if (differences.length === 0) return undefined;
  return `Same model, other settings: ${differences.join('; ')}. Its ratios include that difference.`;
}

/** Each reference run with a caution where it measured another model, or other settings, than the run on screen. */
export function withReferenceCautions(
  runs: readonly ComparedRun[],
  screen: RunOnScreen | undefined,
): ComparedRun[] {
  return runs.map((run) => {
    if (run.reference === undefined || screen === undefined) return run;
    const caution = referenceCaution(run.reference, screen);
    return caution === undefined ? run : { ...run, caution };
  });
}
