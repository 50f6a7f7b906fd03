/**
 * What the run-cost estimate (src/report/run-estimate.ts) knows about a configuration on this page: the
 * adapter's kind, the model's shape and sizes, and which earlier runs on this adapter can teach it. The line
 * above Run and the run gate build it here, so they show the same numbers. Pure.
 */
import { modelLabel } from '../config/model-ref';
import type { SweepConfig } from '../config/sweep-config';
import type { InspectedModel } from '../hub/repository';
import { PRESETS } from '../model/config';
import { isBuiltInQuantization } from '../model/quantization';
import { estimateVariantBytes } from '../model/size';
import type { EstimateContext } from '../report/run-estimate';
import type { RunSummary } from '../results/run-store';
import type { TrialRecord, VariantLoadRecord } from '../results/trial';

/** Earlier runs' records, as loaded from the run store. */
export interface EarlierRecords {
  readonly trials: readonly TrialRecord[];
  readonly loads: readonly VariantLoadRecord[];
}

export const NO_EARLIER_RECORDS: EarlierRecords = { trials: [], loads: [] };

/** At most this many earlier runs are read: the newest say most about the machine as it is now. */
const EARLIER_RUNS_READ = 3;

/**
 * The earlier runs that can teach the estimate about `config` on this adapter: the same model, LM head and
 * onnxruntime settings, measured on an adapter with the same name, with trials; newest first.
 */
export function earlierRunIds(
  runs: readonly RunSummary[],
  config: SweepConfig,
  adapter: string,
  excludeRunId?: string,
): string[] {
  const model = modelLabel(config.model);
  return runs
    .filter(
      (run) =>
        run.runId !== excludeRunId &&
        run.trialCount > 0 &&
        run.state !== 'running' &&
        run.adapter === adapter &&
        modelLabel(run.config.model) === model &&
        run.config.lmHead === config.lmHead &&
        JSON.stringify(run.config.runtime) === JSON.stringify(config.runtime),
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, EARLIER_RUNS_READ)
    .map((run) => run.runId);
}

export function estimateContextFor(
  config: SweepConfig,
  options: {
    readonly software: boolean;
    /** The looked-up repository, for hub and folder models. */
    readonly inspected: InspectedModel | undefined;
    readonly earlier: EarlierRecords;
  },
): EstimateContext {
  const { inspected } = options;
  // Records read for another model (the form changed since) teach nothing about this one.
  const model = modelLabel(config.model);
  const earlier = {
    earlierTrials: options.earlier.trials.filter((trial) => trial.model === model),
    earlierLoads: options.earlier.loads.filter((load) => load.model === model),
  };
  if (config.model.kind === 'builtin') {
    const shape = PRESETS[config.model.preset].config;
    return {
      software: options.software,
      shape,
      variantBytes: (quantization) =>
        isBuiltInQuantization(quantization) ? estimateVariantBytes(shape, quantization) : undefined,
      ...earlier,
    };
  }
  const sameModel =
    inspected !== undefined && modelLabel(inspected.repository.ref) === modelLabel(config.model);
  const decoder = sameModel ? inspected.decoder : undefined;
  const intermediateSize = decoder?.intermediateSize;
  return {
    software: options.software,
    shape:
      decoder === undefined || intermediateSize === undefined ? undefined : { ...decoder, intermediateSize },
    variantBytes: (quantization) =>
      sameModel
        ? inspected.variants.find((variant) => variant.quantization === quantization)?.totalBytes
        : undefined,
    ...earlier,
  };
}
