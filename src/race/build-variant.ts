/** Builds one variant of a built-in repository in the page, with the app's own model-building worker. */
import { DEFAULT_ACCURACY_LEVEL } from '../model/accuracy-level';
import { buildModelInWorker } from '../worker/model-builder-client';
import type { BuiltVariant, VariantBuild } from './builtin-repository';

export function buildVariantInWorker(
  build: VariantBuild,
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
): Promise<BuiltVariant> {
  // The worker leaves external data to the builder's own rule (only past 1.5 GiB); none is forced here.
  if (build.externalData === true)
    return Promise.reject(new Error('the model-building worker cannot be asked for external data'));
  return buildModelInWorker(
    {
      config: build.config,
      quantization: build.quantization,
      seed: build.seed,
      lastPositionLogits: build.lastPositionLogits,
      form: build.form,
      // A published repository is what exports ship: no accuracy_level (the app's default).
      accuracyLevel: DEFAULT_ACCURACY_LEVEL,
      kvCache: 'growing',
      // The race's published runs were measured on separate projections; the contenders share the files anyway.
      qkv: 'separate',
    },
    signal,
    onProgress,
  );
}
