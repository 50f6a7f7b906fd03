/**
 * The quantization levels the form offers for the chosen model, with their sizes and, where this adapter
 * cannot run one, why; pure so it is tested without React.
 */
import {
  describeBuiltInVariant,
  whyVariantCannotRun,
  type AdapterLimits,
  type VariantDescription,
} from '../bench/admission';
import type { InspectedModel } from '../hub/repository';
import { describeRepositoryVariant } from '../hub/variant-limits';
import { PRESETS, type PresetId } from '../model/config';
import type { GraphForm } from '../model/graph-form';
import { BUILT_IN_QUANTIZATIONS, type Quantization } from '../model/quantization';

export interface QuantizationOption {
  readonly quantization: Quantization;
  /** Download size from the repository's listing, or the built-in builder's estimate. */
  readonly bytes: number;
  readonly bytesExact: boolean;
  /** Why it cannot run here, or undefined when it can. */
  readonly disabledReason: string | undefined;
}

/** The model the options are for: a preset the builder writes, or a looked-up repository (none yet: no options). */
export type OptionsModel =
  | { readonly kind: 'builtin'; readonly preset: PresetId; readonly graph: GraphForm }
  | { readonly kind: 'repository'; readonly inspected: InspectedModel | undefined };

/** Without an adapter yet (still probing), nothing is disabled. */
export function quantizationOptions(
  model: OptionsModel,
  adapter: AdapterLimits | undefined,
): QuantizationOption[] {
  const reason = (variant: VariantDescription) =>
    adapter === undefined ? undefined : whyVariantCannotRun(variant, adapter);
  if (model.kind === 'repository') {
    const { inspected } = model;
    if (inspected === undefined) return [];
    return inspected.variants.map((variant) => ({
      quantization: variant.quantization,
      bytes: variant.totalBytes,
      bytesExact: true,
      disabledReason: reason(describeRepositoryVariant(variant, inspected.decoder)),
    }));
  }
  const config = PRESETS[model.preset].config;
  return BUILT_IN_QUANTIZATIONS.map((quantization) => {
    const variant = describeBuiltInVariant(config, quantization, model.graph);
    return {
      quantization,
      bytes: variant.totalBytes,
      bytesExact: false,
      disabledReason: reason(variant),
    };
  });
}

/** The selected levels this model has and this adapter can run, in their selected order. */
export function runnableQuantizations(
  selected: readonly Quantization[],
  options: readonly QuantizationOption[],
): Quantization[] {
  return selected.filter((quantization) =>
    options.some((option) => option.quantization === quantization && option.disabledReason === undefined),
  );
}
