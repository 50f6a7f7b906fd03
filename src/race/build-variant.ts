/** Builds one variant of a built-in repository in the page, with the app's own model-building worker. */
import { buildModelInWorker } from '../worker/model-builder-client';
import type { BuiltVariant, VariantBuild } from './builtin-repository';
import { PUBLISHABLE_GRAPH_FORMS } from './publish-config';

export function buildVariantInWorker(
  build: VariantBuild,
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
): Promise<BuiltVariant> {
  if (!PUBLISHABLE_GRAPH_FORMS.includes(build.form))
    return Promise.reject(new Error(`the model-building worker takes no graph form (${build.form} asked)`));
  // The worker leaves external data to the builder's own rule (only past 1.5 GiB); none is forced here.
  if (build.externalData === true)
    return Promise.reject(new Error('the model-building worker cannot be asked for external data'));
  return buildModelInWorker(
    build.config,
    build.quantization,
    build.seed,
    build.lastPositionLogits,
    signal,
    onProgress,
  );
}
