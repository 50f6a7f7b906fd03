/**
 * The quantization levels the form offers for the chosen model, with their sizes and, where this adapter
 * cannot run one, why; pure so it is tested without React.
 */
import type { AdapterLimits } from '../bench/admission';
import { builtInFootprints } from '../bench/builtin-footprint';
import { variantOwnRefusals, type VariantFootprint } from '../bench/run-admission';
import type { InspectedModel } from '../hub/repository';
import { repositoryFootprints } from '../hub/repository-footprint';
import type { PresetId } from '../model/config';
import type { Quantization } from '../model/quantization';
import type { GraphForm } from '../model/graph-form';

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

function optionOf(footprint: VariantFootprint, bytesExact: boolean): QuantizationOption {
  return {
    quantization: footprint.quantization,
    bytes: footprint.weightBytes,
    bytesExact,
    // The admission check's own limits of the level (the adapter's verdict, file sizes), as every way a run
    // starts sees them; without an adapter yet (still probing) only the file limits apply.
    disabledReason: variantOwnRefusals(footprint)[0],
  };
}

export function quantizationOptions(
  model: OptionsModel,
  adapter: AdapterLimits | undefined,
): QuantizationOption[] {
  if (model.kind === 'repository') {
    const { inspected } = model;
    if (inspected === undefined) return [];
    return repositoryFootprints(inspected, adapter).map((footprint) => optionOf(footprint, true));
  }
  return builtInFootprints(model.preset, adapter, model.graph).map((footprint) => optionOf(footprint, false));
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
