/**
 * The one gate every way a run starts goes through (the form, a share link, an autorun link, Resume, the CLI
 * through autorun): the admission check (src/bench/run-admission.ts) with the model described from its preset
 * or its repository, then the cost (src/report/run-estimate.ts: the numbers the line above Run shows), asking
 * first when a run is long. Pure: the page supplies what it knows (adapter, repository, device memory, earlier
 * runs).
 */
import { builtInFootprints, builtInModelShape, smallerPresets } from '../bench/builtin-footprint';
import {
  admitRun,
  suggestInstead,
  type AdmissionRequest,
  type AlternativeModel,
  type HostLimits,
  type Refusal,
  type RunDemand,
} from '../bench/run-admission';
import { isSoftwareAdapter, type AdapterIdentity } from '../bench/adapter-identity';
import { MAX_PROMPT_TOKENS } from '../config/lengths';
import type { SweepConfig } from '../config/sweep-config';
import { PRESETS } from '../model/config';
import type { InspectedModel } from '../hub/repository';
import { repositoryFootprints, repositoryModelShape } from '../hub/repository-footprint';
import type { AdapterLimits } from '../bench/admission';
import { estimateRun, plannedPromptLengths, type RunEstimate } from '../report/run-estimate';
import type { TrialRecord } from '../results/trial';
import { estimateContextFor, type EarlierRecords } from './estimate-context';
import { isInspectedModel } from './model-choice';

/** Runs estimated above either bound ask before they start (issue 18). */
export const CONFIRM_ABOVE_MS = 10 * 60_000;
export const CONFIRM_ABOVE_TRIALS = 2000;

/** Chrome rounds `navigator.deviceMemory` down to a power of two and reports at most this many GiB. */
const DEVICE_MEMORY_CAP_GIB = 8;

/** What of the adapter the gate reads (the engine's AdapterSummary has all of it). */
export interface GateAdapter extends AdapterLimits, AdapterIdentity {}

/** What the page knows when a run is asked for. */
export interface RunContext {
  /** Undefined while the engine looks for an adapter. */
  readonly adapter: GateAdapter | undefined;
  /** The looked-up repository, for hub and folder models (undefined: not looked up yet). */
  readonly inspected: InspectedModel | undefined;
  /** `navigator.deviceMemory` (GiB), where the browser has it. */
  readonly deviceMemoryGiB: number | undefined;
  /** Earlier runs of this model on this adapter, for the estimate (those the line above Run uses). */
  readonly earlier: EarlierRecords;
  /** A resumed run's trials: only what is missing is planned. */
  readonly done?: readonly TrialRecord[];
}

export type RunVerdict =
  /** A hub or folder model not looked up yet: its sizes are unknown. */
  | { readonly kind: 'needs-model' }
  /** Nothing refuses it so far; the adapter's limits will decide once the engine has one. */
  | { readonly kind: 'needs-adapter' }
  | {
      readonly kind: 'refused';
      readonly refusals: readonly Refusal[];
      readonly suggestions: readonly string[];
    }
  /** It fits but is long (over 10 minutes or 2,000 trials): ask first. */
  | { readonly kind: 'confirm'; readonly estimate: RunEstimate }
  | { readonly kind: 'go'; readonly estimate: RunEstimate };

/** Over 10 minutes or 2,000 trials. */
export function isLongRun(estimate: RunEstimate): boolean {
  return estimate.trials > CONFIRM_ABOVE_TRIALS || estimate.seconds * 1000 > CONFIRM_ABOVE_MS;
}

export function hostLimitsOf(
  adapter: GateAdapter | undefined,
  deviceMemoryGiB: number | undefined,
): HostLimits {
  const software = isSoftwareAdapter(adapter);
  return {
    maxBufferSizeBytes: adapter?.maxBufferSizeBytes,
    deviceMemory:
      deviceMemoryGiB === undefined || !(deviceMemoryGiB > 0)
        ? undefined
        : { bytes: deviceMemoryGiB * 2 ** 30, capped: deviceMemoryGiB >= DEVICE_MEMORY_CAP_GIB },
    gpuMemoryBytes: undefined,
    gpuSharesHostMemory: software,
  };
}

function demandOf(config: SweepConfig): RunDemand {
  return {
    quantizations: config.quantizations,
    longestPromptTokens: Math.max(1, ...plannedPromptLengths(config)),
    deepestContextTokens: Math.max(0, ...config.depths),
    decodeTokens: config.decodeTokens,
    lmHead: config.lmHead,
    order: config.order,
    graphCapture: config.graphCapture,
  };
}

interface DescribedRun {
  readonly request: AdmissionRequest;
  readonly alternatives: readonly AlternativeModel[];
}

/** The run as the admission check sees it; undefined until a repository is looked up. */
export function describeRun(config: SweepConfig, context: RunContext): DescribedRun | undefined {
  const host = hostLimitsOf(context.adapter, context.deviceMemoryGiB);
  const demand = demandOf(config);
  const { model } = config;
  if (model.kind === 'builtin') {
    const preset = PRESETS[model.preset];
    const request: AdmissionRequest = {
      model: builtInModelShape(preset.config),
      variants: builtInFootprints(model.preset, context.adapter, config.graph),
      demand,
      host,
    };
    const alternatives = smallerPresets(model.preset).map((id) => ({
      label: `${PRESETS[id].label} (${config.quantizations.join(', ')})`,
      request: {
        ...request,
        model: builtInModelShape(PRESETS[id].config),
        variants: builtInFootprints(id, context.adapter, config.graph),
      },
    }));
    return { request, alternatives };
  }
  const { inspected } = context;
  if (inspected === undefined) return undefined;
  if (!isInspectedModel(inspected, model)) return undefined;
  const { decoder } = inspected;
  return {
    request: {
      model: repositoryModelShape(decoder),
      variants: repositoryFootprints(inspected, context.adapter),
      demand,
      host,
    },
    alternatives: [],
  };
}

/**
 * Whether to start this run now, refuse it (with the reasons and what to pick instead), ask first, or wait
 * for the model's listing or the adapter. `confirmed`: the user (or a headless driver that opted in) already
 * agreed to a long run.
 */
export function judgeRun(config: SweepConfig, context: RunContext, confirmed: boolean): RunVerdict {
  const described = describeRun(config, context);
  if (described === undefined) return { kind: 'needs-model' };
  const admission = admitRun(described.request);
  if (!admission.ok) {
    return {
      kind: 'refused',
      refusals: admission.refusals,
      suggestions: suggestInstead(described.request, described.alternatives, MAX_PROMPT_TOKENS),
    };
  }
  if (admission.pendingAdapter) return { kind: 'needs-adapter' };
  const software = isSoftwareAdapter(context.adapter);
  const estimate = estimateRun(
    config,
    estimateContextFor(config, { software, inspected: context.inspected, earlier: context.earlier }),
    context.done,
  );
  if (isLongRun(estimate) && !confirmed) return { kind: 'confirm', estimate };
  return { kind: 'go', estimate };
}

/** A refusal in one paragraph, for the page and a headless driver's failed status. */
export function describeRefusal(verdict: Extract<RunVerdict, { kind: 'refused' }>): string {
  const reasons = verdict.refusals
    .map((refusal) =>
      refusal.quantization === undefined ? refusal.reason : `${refusal.quantization}: ${refusal.reason}`,
    )
    .join(' ');
  const instead = verdict.suggestions.length === 0 ? '' : ` Instead: ${verdict.suggestions.join(' ')}`;
  return `This run cannot work here, so nothing was built or downloaded. ${reasons}${instead}`;
}
