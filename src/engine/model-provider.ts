/**
 * Makes a model source ready to measure where the measuring happens (the engine worker, the race's page):
 * the tokenizer is built from the source's description, and each session is checked against the decoder
 * shape its config declares. The page that only serves files never builds either.
 */
import { decoderMismatch } from '../source/decoder-shape';
import { tokenizerFromSource } from '../tokenizer/load';
import type { ModelProvider } from './types';
import type { ModelSource } from '../source/model-source';

export async function providerFromSource(source: ModelSource): Promise<ModelProvider> {
  const { description } = source;
  const tokenizer = await tokenizerFromSource(description.tokenizer);
  return {
    description,
    tokenizer,
    loadVariant: (quantization, signal, onProgress) => source.loadVariant(quantization, signal, onProgress),
    checkDecoderIo(io) {
      // Built-in models declare none: the builder wrote the graph from this very config (and the tests check
      // its logits and first token against the reference forward pass).
      if (description.decoder === undefined) return;
      const mismatch = decoderMismatch(description.decoder, io);
      if (mismatch !== undefined) throw new Error(mismatch);
    },
  };
}
