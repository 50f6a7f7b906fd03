/** The built-in presets as a ModelProvider: seeded weights built in a worker, the tokenizer the app serves. */
import type { LmHead } from '../bench/sweep-config';
import type { ModelProvider } from '../engine/sweep-runner';
import { isBuiltInQuantization, PRESETS, type PresetId } from '../model/config';
import { loadTokenizer } from '../tokenizer/load';
import { buildModelInWorker } from './model-builder-client';

export async function builtInProvider(
  preset: PresetId,
  weightSeed: number,
  lmHead: LmHead,
): Promise<ModelProvider> {
  const { config, tokenizer: tokenizerId } = PRESETS[preset];
  // Absolute, so the engine worker (which resolves relative URLs against its own script) finds the same files.
  const baseUrl = new URL(`${import.meta.env.BASE_URL}tokenizers/`, document.baseURI).href;
  const tokenizer = await loadTokenizer(tokenizerId, baseUrl);
  const model = { kind: 'builtin', preset } as const;
  return {
    model,
    revision: '',
    tokenizer,
    description: {
      model,
      revision: '',
      tokenizer: { kind: 'served', id: tokenizerId, baseUrl },
      decoder: undefined,
    },
    async loadVariant(quantization, signal) {
      if (!isBuiltInQuantization(quantization)) {
        throw new Error(`the built-in builder writes no ${quantization} variant`);
      }
      return {
        files: await buildModelInWorker(config, quantization, weightSeed, lmHead === 'last', signal),
        filesFrom: 'built',
      };
    },
    // The builder wrote the graph from this very config; the trial checks the first token against a reference.
    checkDecoderIo: () => undefined,
  };
}
