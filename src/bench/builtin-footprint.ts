/**
 * The built-in presets described for the admission check (src/bench/run-admission.ts), from their shapes
 * alone: what the builder will write, where, and what the adapter says about it, before anything is built.
 */
import { DEFAULT_GRAPH_FORM } from '../config/sweep-config';
import type { GraphForm } from '../model/graph-form';
import { describeBuiltInVariant, whyVariantCannotRun, type AdapterLimits } from './admission';
import {
  BUILT_IN_QUANTIZATIONS,
  PRESET_IDS,
  PRESETS,
  type BuiltInQuantization,
  type LlamaConfig,
  type PresetId,
} from '../model/config';
import { activationBytes } from '../model/quantization';
import { EXTERNAL_DATA_FILE, EXTERNAL_DATA_THRESHOLD_BYTES } from '../model/external-data';
import { estimateVariantBytes } from '../model/size';
import type { ModelShape, VariantFootprint } from './run-admission';

/** The graph's names, opsets and node list, beside the weights: well under this. */
const GRAPH_BYTES_ESTIMATE = 2 ** 20;

/** The adapter's verdict on a built-in level (the one "can this variant run here" check); undefined: it can. */
export function builtInAdapterRefusal(
  config: LlamaConfig,
  quantization: BuiltInQuantization,
  limits: AdapterLimits | undefined,
  form: GraphForm = DEFAULT_GRAPH_FORM,
): string | undefined {
  if (limits === undefined) return undefined;
  return whyVariantCannotRun(describeBuiltInVariant(config, quantization, form), limits);
}

/**
 * A preset's shape for the admission check. Without `form` the plain graph's attention scores are counted
 * whatever form the run uses (as the gate in src/ui/run-verdict.ts does).
 */
export function builtInModelShape(config: LlamaConfig, form?: GraphForm): ModelShape {
  return {
    numLayers: config.numLayers,
    hiddenSize: config.hiddenSize,
    numAttentionHeads: config.numAttentionHeads,
    numKeyValueHeads: config.numKeyValueHeads,
    headDim: config.headDim,
    vocabSize: config.vocabSize,
    intermediateSize: config.intermediateSize,
    graph: form === 'fused' ? 'built-in-fused' : 'built-in',
  };
}

/** One level as the builder writes it: weights inside model.onnx, or all of them in one external file. */
export function builtInFootprint(
  config: LlamaConfig,
  quantization: BuiltInQuantization,
  limits: AdapterLimits | undefined,
  form: GraphForm = DEFAULT_GRAPH_FORM,
): VariantFootprint {
  const weightBytes = estimateVariantBytes(config, quantization, form);
  const external = weightBytes > EXTERNAL_DATA_THRESHOLD_BYTES;
  return {
    quantization,
    adapterRefusal: builtInAdapterRefusal(config, quantization, limits, form),
    weightBytes,
    files: external
      ? [
          { path: 'model.onnx', bytes: GRAPH_BYTES_ESTIMATE },
          { path: EXTERNAL_DATA_FILE, bytes: weightBytes },
        ]
      : [{ path: 'model.onnx', bytes: weightBytes + GRAPH_BYTES_ESTIMATE }],
    modelFilePath: 'model.onnx',
    filesFrom: 'built',
    activationBytes: activationBytes(quantization),
  };
}

/** Every built-in level of a preset. */
export function builtInFootprints(
  preset: PresetId,
  limits: AdapterLimits | undefined,
  form: GraphForm = DEFAULT_GRAPH_FORM,
): VariantFootprint[] {
  const { config } = PRESETS[preset];
  return BUILT_IN_QUANTIZATIONS.map((quantization) => builtInFootprint(config, quantization, limits, form));
}

/** Presets smaller than this one (fewer weights at fp32), smallest last: what to suggest instead. */
export function smallerPresets(preset: PresetId): PresetId[] {
  const size = (id: PresetId) => estimateVariantBytes(PRESETS[id].config, 'fp32');
  return PRESET_IDS.filter((id) => size(id) < size(preset)).sort((a, b) => size(b) - size(a));
}
