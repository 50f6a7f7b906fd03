/** The built-in presets as a ModelSource: seeded weights built in a worker, the tokenizer the app serves. */
import type { LmHead } from '../config/sweep-config';
import type { ModelSource } from '../source/model-source';
import { isBuiltInQuantization, PRESETS, type PresetId } from '../model/config';
import type { GraphForm, QkvProjection } from '../model/graph-form';
import type { AccuracyLevel } from '../model/accuracy-level';
import { buildModelInWorker } from './model-builder-client';

export interface BuiltInSourceOptions {
  readonly preset: PresetId;
  readonly weightSeed: number;
  readonly lmHead: LmHead;
  readonly graph: GraphForm;
  readonly accuracyLevel: AccuracyLevel;
  readonly qkv: QkvProjection;
  /** Build the static-KV form graph capture needs (llama-fused-graph.ts). */
  readonly graphCapture: boolean;
}

export function builtInSource({
  preset,
  weightSeed,
  lmHead,
  graph,
  accuracyLevel,
  qkv,
  graphCapture,
}: BuiltInSourceOptions): ModelSource {
  const { config, tokenizer: tokenizerId } = PRESETS[preset];
  // Absolute, so the engine worker (which resolves relative URLs against its own script) finds the same files.
  const baseUrl = new URL(`${import.meta.env.BASE_URL}tokenizers/`, document.baseURI).href;
  return {
    description: {
      model: { kind: 'builtin', preset },
      revision: '',
      tokenizer: { kind: 'served', id: tokenizerId, baseUrl },
      decoder: undefined,
    },
    async loadVariant(quantization, signal) {
      if (!isBuiltInQuantization(quantization)) {
        throw new Error(`the built-in builder writes no ${quantization} variant`);
      }
      return {
        files: await buildModelInWorker(
          {
            config,
            quantization,
            seed: weightSeed,
            lastPositionLogits: lmHead === 'last',
            form: graph,
            accuracyLevel,
            kvCache: graphCapture ? 'static' : 'growing',
            qkv,
          },
          signal,
        ),
        filesFrom: 'built',
      };
    },
  };
}
